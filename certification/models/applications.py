"""An application, the answers of its six demonstrations, its designated individuals and
attestation."""

from django.db import models

from certification.models.handbook import Demonstration, HandbookEdition
from recordkeepers.models import RiskFlag, SizeClass
from recordkeepers.validators import compact_number, is_masked


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    IN_REVIEW = "in_review", "In review"
    INFO_REQUESTED = "info_requested", "Information requested"
    RECOMMENDED = "recommended", "Recommended"
    CERTIFIED = "certified", "Certified"
    DENIED = "denied", "Denied"
    WITHDRAWN = "withdrawn", "Withdrawn"


# The statuses of an application waiting for CBP (certification.workflow.AWAITING_CBP names the
# same four), for the queue's partial indexes.
AWAITING_CBP_STATUSES = [
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.IN_REVIEW,
    ApplicationStatus.INFO_REQUESTED,
    ApplicationStatus.RECOMMENDED,
]

# How many flags `risk_flag_bits` holds, as the database counts them (for the constraint that
# `risk_flags_declared` is that number).
_FLAGS_IN_BITS = models.Case(
    *(
        models.When(
            risk_flag_bits__in=[
                bits for bits in range(1 << len(RiskFlag.values)) if bits.bit_count() == count
            ],
            then=models.Value(count),
        )
        for count in range(1, len(RiskFlag.values) + 1)
    ),
    default=models.Value(0),
)


class ApplicationRoute(models.TextChoices):
    GENERAL = "general", "General recordkeeping requirements"
    ALTERNATIVE = "alternative", "Negotiated alternative program"


class Application(models.Model):
    """An organisation's application for certification.

    `status` changes only through the moves in certification/workflow.py, each a compare-and-set on
    (status, version); `version` also guards edits against a stale copy in another tab.
    """

    Status = ApplicationStatus

    Route = ApplicationRoute

    organisation = models.ForeignKey(
        "recordkeepers.Organisation", on_delete=models.PROTECT, related_name="applications"
    )
    reference = models.CharField(max_length=20, unique=True, null=True, blank=True, editable=False)
    route = models.CharField(max_length=16, choices=Route.choices, default=Route.GENERAL)
    proposed_terms = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    handbook_edition = models.ForeignKey(
        HandbookEdition,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        help_text="The edition in force when the application was submitted.",
    )
    profile_snapshot = models.JSONField(default=dict, blank=True, editable=False)
    size_class = models.CharField(max_length=8, choices=SizeClass.choices, blank=True)
    # Taken from the profile at submission, as columns, so the review queue can filter and sort
    # 100,000 applications with plain indexed SQL on any database (no JSON lookups).
    entries_per_year = models.PositiveIntegerField(null=True, blank=True, editable=False)
    risk_flag_bits = models.PositiveSmallIntegerField(
        default=0, editable=False, help_text="One bit per risk flag, in RiskFlag's order."
    )
    # The flags counted, for the queue's priority order: within a size class and a number of
    # flags, priority falls as submission time rises, so the queue is read as one already-ordered
    # stream of each (reviews/selectors/queue_streams.py) through the index below. Written with
    # the bits at submission; a constraint holds the two together. (Not a GeneratedField: its
    # system check asks the database server's version, so `check --deploy` would need one.)
    risk_flags_declared = models.PositiveSmallIntegerField(
        default=0, editable=False, help_text="How many bits of risk_flag_bits are set."
    )
    answers_unread = models.BooleanField(
        default=False,
        editable=False,
        help_text="The applicant has answered CBP's questions and no reviewer has opened the "
        "answers yet: set by the answer, cleared by the reviewer's opening them (certification "
        "workflow and services), for the queue's priority.",
    )
    search_text = models.TextField(
        blank=True,
        editable=False,
        help_text="Reference, legal name and importer numbers, lower case, for search.",
    )
    port_codes = models.TextField(
        blank=True,
        editable=False,
        help_text="The ports of entry named at submission, each between spaces, for the queue's "
        "port filter.",
    )
    assigned_reviewer = models.ForeignKey(
        "recordkeepers.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_applications",
        help_text="Changed only by the assignment service (certification.workflow).",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey("recordkeepers.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="application_queue"),
            models.Index(fields=["assigned_reviewer", "status"], name="application_assigned"),
            models.Index(
                fields=[
                    "size_class",
                    "risk_flags_declared",
                    "answers_unread",
                    "submitted_at",
                    "id",
                ],
                name="application_queue_stream",
                condition=models.Q(status__in=AWAITING_CBP_STATUSES),
                # A port filter is checked on the index's own entries (an index-only scan), so a
                # stream is still read in order and stops at its limit (docs/benchmarks.md).
                include=["port_codes"],
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ApplicationStatus.values),
                name="application_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(risk_flags_declared=_FLAGS_IN_BITS),
                name="application_risk_flags_counted",
            ),
            models.CheckConstraint(
                condition=models.Q(route__in=ApplicationRoute.values),
                name="application_route_valid",
            ),
            models.CheckConstraint(
                # Drafts get their reference when started; one started before that gets it at
                # submission, so a draft (or one withdrawn unsubmitted) may still have none.
                condition=models.Q(
                    status__in=[ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN]
                )
                | models.Q(reference__isnull=False),
                name="application_submitted_has_reference",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or f"Draft application {self.pk}"

    @property
    def url_key(self) -> str:
        """What the applicant's page addresses carry: the reference, as headings show it (a draft
        started before drafts had references is addressed by its number)."""
        return self.reference or str(self.pk)

    @property
    def risk_flag_count(self) -> int:
        """How many risk flags the applicant declared at submission."""
        return self.risk_flag_bits.bit_count()


class DemonstrationResponse(models.Model):
    """The applicant's answers for one demonstration: structured fields and a narrative.

    Saved to the database every time a wizard step is saved; the structured answers are a JSON object
    whose shape the step's form defines.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="responses")
    demonstration = models.CharField(max_length=3, choices=Demonstration.choices)
    answers = models.JSONField(default=dict, blank=True)
    narrative = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey("recordkeepers.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["application_id", "demonstration"]  # by id: no join to order
        constraints = [
            models.UniqueConstraint(
                fields=["application", "demonstration"], name="response_one_per_demonstration"
            ),
            models.CheckConstraint(
                condition=models.Q(demonstration__in=Demonstration.values),
                name="response_demonstration_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} ({self.demonstration})"


class IndividualKind(models.TextChoices):
    PRIMARY = "primary", "Primary"
    BACKUP = "backup", "Backup"


class DesignatedIndividual(models.Model):
    """A person responsible for recordkeeping compliance, demonstration (iv)."""

    Kind = IndividualKind

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="designated_individuals"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.PRIMARY)
    name = models.CharField(max_length=150)
    title = models.CharField(max_length=150)
    email = models.EmailField(max_length=254)
    phone = models.CharField(max_length=32)
    duties = models.TextField()
    qualifications = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["application_id", "kind", "position"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=IndividualKind.values),
                name="designated_individual_kind_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class Attestation(models.Model):
    """The owner's signed statement that the organization complies and the answers are true.

    Any later edit of the application deletes it (see `certification.services`), so a submitted
    application always carries an attestation of exactly what was submitted.
    """

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="attestation"
    )
    signed_by = models.ForeignKey("recordkeepers.User", on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField(max_length=150)
    signer_title = models.CharField(max_length=150)
    text = models.TextField(help_text="The exact statement attested to.")
    application_version = models.PositiveIntegerField()
    signed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Attestation by {self.signer_name} on {self.application}"


class ReferenceCounter(models.Model):
    """The last reference number issued in a year; locked while the next is taken."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


def risk_flag_bits(flags) -> int:
    """The risk flags as a bit set (RiskFlag's order), for `Application.risk_flag_bits`."""
    return sum(1 << index for index, flag in enumerate(RiskFlag.values) if flag in set(flags))


def risk_flag_columns(flags) -> dict[str, int]:
    """The queue's two columns of the risk flags: the bit set and how many there are."""
    bits = risk_flag_bits(flags)
    return {"risk_flag_bits": bits, "risk_flags_declared": bits.bit_count()}


def search_text(*, reference: str, snapshot: dict) -> str:
    """What the review queue searches: reference, legal name and importer numbers (as stored and
    as letters and digits only, so a number typed without hyphens is found). A Social Security
    number is there only as its keyed digest (recordkeepers.importer_numbers), which the exact
    search of a whole number matches: never in clear, and not its last four digits either."""
    numbers = [n for n in snapshot.get("importer_numbers") or [] if not is_masked(n)]
    words = [reference, snapshot.get("legal_name", ""), *numbers]
    words += [compact_number(number) for number in numbers]
    words += snapshot.get("importer_number_digests") or []
    return " ".join(words).lower()


def port_codes(snapshot: dict) -> str:
    """The ports of a submission as the queue's port filter reads them: " 2704 2809 ", so that
    " 2704 " matches a whole port and never part of another. A column of its own, not words in the
    search text, so that no text index tempts the database away from reading the queue in order
    (reviews/selectors/queue_streams.py)."""
    ports = snapshot.get("ports") or []
    return f" {' '.join(ports)} " if ports else ""
