"""The program core: the Handbook that applications are reviewed against."""

from django.core.exceptions import ValidationError
from django.db import models

from recordkeepers.models import RiskFlag, SizeClass


class Demonstration(models.TextChoices):
    """The six things a recordkeeper demonstrates, 19 CFR 163.12(b)(3)(i)-(vi)."""

    I = "i", "(i) Understanding of the legal recordkeeping requirements"  # noqa: E741
    II = "ii", "(ii) Procedures to explain the requirements to employees"
    III = "iii", "(iii) Procedures to prepare, maintain and produce records"
    IV = "iv", "(iv) Designated dependable individuals"
    V = "v", "(v) Record maintenance, or an alternative method under 163.5(b)"
    VI = "vi", "(vi) Reporting variances and violations, and corrective action"


class HandbookEdition(models.Model):
    """One edition of the Recordkeeping Compliance Handbook.

    Draft editions are edited; publishing one retires the edition in force. A published or retired
    edition never changes, because applications are reviewed against the edition they were pinned to.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published (in force)"
        RETIRED = "retired", "Retired"

    title = models.CharField(max_length=200)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    notes = models.TextField(blank=True, help_text="What changed in this edition, for reviewers.")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "published", "retired"]),
                name="handbookedition_status_valid",
            ),
            # At most one edition is in force; the publish service swaps them in one transaction.
            models.UniqueConstraint(
                fields=["status"],
                condition=models.Q(status="published"),
                name="handbookedition_one_in_force",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        if self.pk and not kwargs.get("update_fields"):
            stored = HandbookEdition.objects.filter(pk=self.pk).values_list("status", flat=True)
            if stored and stored[0] != self.Status.DRAFT:
                raise ValidationError("A published or retired Handbook edition cannot be edited.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if HandbookEdition.objects.filter(pk=self.pk).exclude(status=self.Status.DRAFT).exists():
            raise ValidationError("A published or retired Handbook edition cannot be deleted.")
        return super().delete(*args, **kwargs)

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class Criterion(models.Model):
    """A criterion reviewers score an application against, within one Handbook edition."""

    edition = models.ForeignKey(HandbookEdition, on_delete=models.CASCADE, related_name="criteria")
    demonstration = models.CharField(max_length=3, choices=Demonstration.choices)
    code = models.CharField(max_length=10, help_text="For example iii.2.")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    guidance = models.TextField(help_text="For reviewers: what to look for and how to score it.")
    expected_evidence = models.TextField(help_text="Shown to applicants as what to provide.")
    weight = models.PositiveSmallIntegerField(default=1)
    must_pass = models.BooleanField(
        default=False, help_text="A demonstration is not met if this criterion fails."
    )
    applies_to_flags = models.JSONField(
        default=list,
        blank=True,
        help_text="Risk flags this criterion applies to; empty means it applies to everyone.",
    )
    expectation_micro = models.TextField("expected of a micro importer", blank=True)
    expectation_small = models.TextField("expected of a small importer", blank=True)
    expectation_medium = models.TextField("expected of a medium importer", blank=True)
    expectation_large = models.TextField("expected of a large importer", blank=True)

    class Meta:
        ordering = ["edition", "demonstration", "position", "code"]
        verbose_name_plural = "criteria"
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="criterion_code_unique"),
            models.CheckConstraint(
                condition=models.Q(demonstration__in=Demonstration.values),
                name="criterion_demonstration_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(weight__gte=1, weight__lte=5), name="criterion_weight_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def save(self, *args, **kwargs):
        self._refuse_unless_draft("edited")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_unless_draft("deleted")
        return super().delete(*args, **kwargs)

    def clean(self) -> None:
        errors = {}
        unknown = set(self.applies_to_flags or []) - set(RiskFlag.values)
        if unknown:
            errors["applies_to_flags"] = f"Unknown risk flags: {sorted(unknown)}"
        if not self.code.startswith(f"{self.demonstration}."):
            errors["code"] = (
                f"A criterion of demonstration ({self.demonstration}) has a code starting "
                f"'{self.demonstration}.'"
            )
        if errors:
            raise ValidationError(errors)

    def expectation_for(self, size_class: SizeClass | str) -> str:
        return getattr(self, f"expectation_{SizeClass(size_class).value}")

    def applies_to(self, flags: set[str]) -> bool:
        return not self.applies_to_flags or bool(set(self.applies_to_flags) & flags)

    def _refuse_unless_draft(self, action: str) -> None:
        if not HandbookEdition.objects.filter(
            pk=self.edition_id, status=HandbookEdition.Status.DRAFT
        ).exists():
            raise ValidationError(f"Criteria of a published or retired edition cannot be {action}.")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    IN_REVIEW = "in_review", "In review"
    INFO_REQUESTED = "info_requested", "Information requested"
    RECOMMENDED = "recommended", "Recommended"
    CERTIFIED = "certified", "Certified"
    DENIED = "denied", "Denied"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Application(models.Model):
    """An organisation's application for certification.

    `status` changes only through the moves in certification/workflow.py, each a compare-and-set on
    (status, version); `version` also guards edits against a stale copy in another tab.
    """

    Status = ApplicationStatus

    class Route(models.TextChoices):
        GENERAL = "general", "General recordkeeping requirements"
        ALTERNATIVE = "alternative", "Negotiated alternative program"

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
    search_text = models.TextField(
        blank=True,
        editable=False,
        help_text="Reference, legal name, importer numbers and ports, lower case, for search.",
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
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ApplicationStatus.values),
                name="application_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(route__in=["general", "alternative"]),
                name="application_route_valid",
            ),
            models.CheckConstraint(
                # A draft withdrawn before submission never had a reference.
                condition=models.Q(status__in=["draft", "withdrawn"])
                | models.Q(reference__isnull=False),
                name="application_submitted_has_reference",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or f"Draft application {self.pk}"

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


class DesignatedIndividual(models.Model):
    """A person responsible for recordkeeping compliance, demonstration (iv)."""

    class Kind(models.TextChoices):
        PRIMARY = "primary", "Primary"
        BACKUP = "backup", "Backup"

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
                condition=models.Q(kind__in=["primary", "backup"]),
                name="designated_individual_kind_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class Evidence(models.Model):
    """An uploaded file supporting one demonstration.

    Stored privately under a random name; the original name is kept for display only. Served only
    through a permission-checked view.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="evidence")
    demonstration = models.CharField(
        max_length=3,
        choices=Demonstration.choices,
        blank=True,
        help_text="Blank only for a file answering a general question from CBP.",
    )
    request_item = models.ForeignKey(
        "InformationRequestItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence",
        help_text="The question from CBP this file answers, if any.",
    )
    file = models.FileField(upload_to="evidence/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100, help_text="Sniffed from the content.")
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        "recordkeepers.User", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application_id", "demonstration", "uploaded_at"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return self.original_name


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


class InformationRequest(models.Model):
    """CBP's questions to an applicant during a review, made by the request_information move, and
    the applicant's answers, sent with the answer_information_request move."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="information_requests"
    )
    requested_by = models.ForeignKey(
        "recordkeepers.User", on_delete=models.PROTECT, related_name="+"
    )
    due = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        "recordkeepers.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the reviewer opened the answers; until then the queue flags them.",
    )

    class Meta:
        ordering = ["application_id", "created_at"]
        constraints = [
            # At most one open request per application: the applicant answers one at a time.
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(answered_at__isnull=True),
                name="information_request_one_open",
            )
        ]

    def __str__(self) -> str:
        return f"Request for information on {self.application} due {self.due:%Y-%m-%d}"


class InformationRequestItem(models.Model):
    """One question of a request, about a demonstration or the application in general."""

    request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    demonstration = models.CharField(max_length=3, choices=Demonstration.choices, blank=True)
    question = models.TextField()
    answer = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["request", "position"]
        constraints = [
            models.UniqueConstraint(fields=["request", "position"], name="request_item_position")
        ]

    def __str__(self) -> str:
        return f"Question {self.position + 1} of {self.request}"


class ReferenceCounter(models.Model):
    """The last reference number issued in a year; locked while the next is taken."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


# What each event says on a timeline, in plain language.
EVENT_DESCRIPTIONS = {
    "application.started": "Application started",
    "draft.edited": "Draft changed",
    "application.submitted": "Application submitted",
    "application.withdrawn": "Application withdrawn",
    "review.started": "CBP started the review",
    "review.assigned": "Reviewer assigned",
    "review.information_requested": "CBP asked for more information",
    "application.information_provided": "More information sent to CBP",
    "review.recommended": "Reviewer made a recommendation",
    "review.returned_for_rework": "Supervisor returned the recommendation to the reviewer",
    "application.decided": "Decision issued",
    "letter.ready": "Letter ready to download",
}


def risk_flag_bits(flags) -> int:
    """The risk flags as a bit set (RiskFlag's order), for `Application.risk_flag_bits`."""
    return sum(1 << index for index, flag in enumerate(RiskFlag.values) if flag in set(flags))


def search_text(*, reference: str, snapshot: dict) -> str:
    """What the review queue searches: reference, legal name and importer numbers, and each port
    as "port:NNNN" so that a port filter cannot match part of another number."""
    words = [reference, snapshot.get("legal_name", ""), *(snapshot.get("importer_numbers") or [])]
    words += [f"port:{port}" for port in snapshot.get("ports") or []]
    return " ".join(words).lower()


def describe_verb(verb: str) -> str:
    return EVENT_DESCRIPTIONS.get(verb, verb.replace(".", ": ").replace("_", " "))


class Event(models.Model):
    """Append-only log of everything done to an application: the audit trail and the timeline.

    The model refuses updates and deletes; on PostgreSQL a trigger refuses them too.
    """

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey("recordkeepers.User", on_delete=models.PROTECT, related_name="+")
    verb = models.CharField(max_length=64)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    data = models.JSONField(default=dict, blank=True)
    applicant_visible = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["application", "created_at"])]

    def __str__(self) -> str:
        return f"{self.verb} by {self.actor} at {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("Events are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Events are never deleted.")

    @property
    def description(self) -> str:
        return describe_verb(self.verb)


class Decision(models.Model):
    """CBP's decision on an application: one per application, signed off by a supervisor."""

    class Outcome(models.TextChoices):
        CERTIFIED = "certified", "Certified"
        DENIED = "denied", "Denied"

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="decision"
    )
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    reasons = models.JSONField(
        default=list, blank=True, help_text="For a denial: [{ground, demonstration, text}]."
    )
    recommended_by = models.ForeignKey(
        "recordkeepers.User", on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey("recordkeepers.User", on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)
    effective_date = models.DateField(help_text="The day the decision takes effect.")
    appeal_deadline = models.DateField(
        null=True, blank=True, help_text="For a denial: the last day to appeal (163.13(d))."
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome__in=["certified", "denied"]),
                name="decision_outcome_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(recommended_by=models.F("decided_by")),
                name="decision_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.get_outcome_display()}"


class LetterKind(models.TextChoices):
    """The letters CBP sends. Notices of violation, removals and appeal decisions are added as kinds
    here, with their placeholders in `certification.letters.PLACEHOLDERS` and a default template."""

    CERTIFICATION = "certification", "Certification (general program)"
    CERTIFICATION_ALTERNATIVE = (
        "certification_alternative",
        "Certification (negotiated alternative program)",
    )
    DENIAL = "denial", "Denial"
    INFORMATION_REQUEST = "information_request", "Request for information"


class LetterTemplate(models.Model):
    """The text of one kind of letter, kept by admins: Markdown with a fixed set of placeholders.

    Every saved version is a row of its own and is never changed; the highest version of a kind is
    the one in use, and each letter records the version it was rendered from.
    """

    kind = models.CharField(max_length=32, choices=LetterKind.choices)
    version = models.PositiveIntegerField()
    subject = models.CharField(
        max_length=200, help_text="The letter's subject line. Placeholders may be used."
    )
    body = models.TextField(
        help_text="Markdown. Placeholders are written {{ name }}; see the list below the field."
    )
    created_by = models.ForeignKey(
        "recordkeepers.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "-version"]
        get_latest_by = "version"
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="letter_template_version"),
            models.CheckConstraint(
                condition=models.Q(kind__in=LetterKind.values), name="letter_template_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, version {self.version}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("A saved letter template is never changed: save a new version.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Letter templates are kept: letters record the version they used.")


class LetterStatus(models.TextChoices):
    PENDING = "pending", "Being prepared"
    RENDERING = "rendering", "Being prepared"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class Letter(models.Model):
    """One letter to an applicant, rendered to PDF by a Celery task.

    Written `pending` in the same transaction as what it reports (a decision, a request for
    information), so it is never lost; the task renders it once and stores the file with its
    SHA-256. A ready letter is never modified: reissuing creates a new letter (`reissue_of`).
    """

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="letters")
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="letters"
    )
    information_request = models.ForeignKey(
        "InformationRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letters",
    )
    kind = models.CharField(max_length=32, choices=LetterKind.choices)
    status = models.CharField(
        max_length=16, choices=LetterStatus.choices, default=LetterStatus.PENDING
    )
    template = models.ForeignKey(
        LetterTemplate,
        on_delete=models.PROTECT,
        related_name="letters",
        help_text="The template version the letter was rendered from.",
    )
    dated = models.DateField(help_text="The date the letter bears.")
    context = models.JSONField(
        default=dict,
        editable=False,
        help_text="The placeholders' values, fixed when the letter was asked for.",
    )
    file = models.FileField(upload_to="letters/%Y/%m/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    reissue_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reissues"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    rendering_started_at = models.DateTimeField(null=True, blank=True)
    ready_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application_id", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=LetterStatus.values), name="letter_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=LetterKind.values), name="letter_kind_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="ready") | ~models.Q(sha256=""),
                name="letter_ready_has_file",
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "created_at"],
                name="letter_unfinished",
                condition=models.Q(status__in=["pending", "rendering"]),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} letter for {self.application}"

    @property
    def is_ready(self) -> bool:
        return self.status == LetterStatus.READY

    @property
    def filename(self) -> str:
        return f"{self.application.reference}-{self.kind.replace('_', '-')}-{self.pk}.pdf"


class WorkloadSettings(models.Model):
    """CBP's scheduling parameters, kept by admins. One row; read with `WorkloadSettings.current()`.

    Workload shapes scheduling only (queue priority, expected timelines); it is never a reason in a
    decision.
    """

    reviewer_capacity = models.PositiveSmallIntegerField(
        default=8, help_text="Open applications one reviewer works at a time."
    )
    target_days_micro = models.PositiveSmallIntegerField("target review days, micro", default=30)
    target_days_small = models.PositiveSmallIntegerField("target review days, small", default=45)
    target_days_medium = models.PositiveSmallIntegerField("target review days, medium", default=60)
    target_days_large = models.PositiveSmallIntegerField("target review days, large", default=90)
    information_request_days = models.PositiveSmallIntegerField(
        default=30, help_text="Days an applicant has to answer a request for information."
    )
    appeal_days = models.PositiveSmallIntegerField(
        default=30, help_text="Days after a denial or removal within which an appeal may be filed."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "workload settings"
        verbose_name_plural = "workload settings"
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="workload_single_row")]

    def __str__(self) -> str:
        return "Workload settings"

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> "WorkloadSettings":
        settings, _ = cls.objects.get_or_create(pk=1)
        return settings

    def target_days(self, size_class: SizeClass | str) -> int:
        return getattr(self, f"target_days_{SizeClass(size_class).value}")


class Notification(models.Model):
    """A message to one person about an application: shown in the service and sent by email.

    Written in the same transaction as the event it reports, so it is never lost; the email goes out
    from a Celery task scheduled on commit, which records when it was sent. `read_at` is set when
    the person opens it in the service.
    """

    recipient = models.ForeignKey(
        "recordkeepers.User", on_delete=models.CASCADE, related_name="notifications"
    )
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, null=True, blank=True, related_name="notifications"
    )
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            # The sweep's: emails not sent yet (a broker that was down when they were asked for).
            models.Index(
                fields=["created_at"],
                name="notification_unsent",
                condition=models.Q(emailed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} (to {self.recipient})"
