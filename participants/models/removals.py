"""Removal of a participant's certification (19 CFR 163.13(c)) and appeals of denials and removals
(163.13(d))."""

from django.db import models

from participants.models.register import Participant


class RemovalGround(models.TextChoices):
    """The grounds of 19 CFR 163.13(c)(1), in the regulation's order."""

    FRAUD_OR_MISTAKE = "c1i", "(i) Certification obtained through fraud or mistake of fact"
    NO_VALID_BOND = "c1ii", "(ii) The participant no longer has a valid bond"
    RECURRING_FAILURE = (
        "c1iii",
        "(iii) Fails on a recurring basis to provide entry records when demanded",
    )
    WILLFUL_REFUSAL = "c1iv", "(iv) Willfully refuses to produce records"
    NOT_IN_COMPLIANCE = "c1v", "(v) No longer in compliance with the program's requirements"
    FELONY_OR_THEFT = "c1vi", "(vi) Conduct described in 19 CFR 163.13(c)(1)(vi)"


class ImmediateBasis(models.TextChoices):
    """When a removal takes effect at once (163.13(c)(3))."""

    NONE = "", "Not at once: when the appeal time ends or an appeal upholds it"
    WILLFUL = "willful", "At once: willfulness"
    PUBLIC = "public", "At once: public health, interest or safety requires it"


class RemovalStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed, waiting for a supervisor"
    DECLINED = "declined", "Declined by a supervisor"
    ISSUED = "issued", "Notice issued, not yet in effect"
    EFFECTIVE = "effective", "In effect"
    REVERSED = "reversed", "Reversed on appeal"


class Removal(models.Model):
    """A reviewer's proposal to remove a participant, and a supervisor's decision on it (never the
    proposer: a database constraint). `status` changes only through `participants.workflow`."""

    Ground = RemovalGround
    Status = RemovalStatus

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="removals")
    grounds = models.JSONField(help_text="RemovalGround values.")
    reasons = models.TextField(
        help_text="CBP's reasons, in plain words, as the letter states them."
    )
    immediate = models.CharField(
        max_length=8, choices=ImmediateBasis.choices, blank=True, default=""
    )
    proposed_by = models.ForeignKey(
        "recordkeepers.User", on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    # The participant's status before the proposal, restored if it is declined.
    status_before = models.CharField(max_length=20)
    status = models.CharField(
        max_length=12, choices=RemovalStatus.choices, default=RemovalStatus.PROPOSED
    )
    version = models.PositiveIntegerField(default=1)
    decided_by = models.ForeignKey(
        "recordkeepers.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    # The notice is delivered in the service the day it is issued (the participant has it then).
    notice_received_on = models.DateField(null=True, blank=True)
    appeal_deadline = models.DateField(null=True, blank=True)
    effective_on = models.DateField(null=True, blank=True)
    letter = models.OneToOneField(
        "certification.Letter",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="removal",
    )

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=RemovalStatus.values), name="removal_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(immediate__in=ImmediateBasis.values),
                name="removal_immediate_valid",
            ),
            # Four eyes: whoever proposed a removal does not decide it.
            models.CheckConstraint(
                condition=~models.Q(decided_by=models.F("proposed_by")),
                name="removal_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return f"Removal of {self.participant.legal_name} ({self.get_status_display()})"

    @property
    def ground_labels(self) -> list[str]:
        return [RemovalGround(g).label for g in self.grounds]


class AppealKind(models.TextChoices):
    DENIAL = "denial", "Appeal of a denial"
    REMOVAL = "removal", "Appeal of a removal"


class AppealStatus(models.TextChoices):
    RECEIVED = "received", "Received, waiting for a decision"
    DELAYED = "delayed", "Decision delayed"
    UPHELD = "upheld", "Decided: the original decision stands"
    REVERSED = "reversed", "Decided: reversed"


class Appeal(models.Model):
    """A recordkeeper's appeal of a denial or a removal (19 CFR 163.13(d)), decided by an appeals
    official who did not decide the original case (a database constraint, as for sign-off)."""

    Kind = AppealKind
    Status = AppealStatus

    application = models.ForeignKey(
        "certification.Application", on_delete=models.PROTECT, related_name="appeals"
    )
    kind = models.CharField(max_length=8, choices=AppealKind.choices)
    removal = models.OneToOneField(
        Removal, on_delete=models.PROTECT, null=True, blank=True, related_name="appeal"
    )
    statement = models.TextField()
    filed_by = models.ForeignKey("recordkeepers.User", on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(auto_now_add=True)
    received_on = models.DateField(help_text="The day CBP received it, on CBP's calendar.")
    decision_due = models.DateField()
    original_decider = models.ForeignKey(
        "recordkeepers.User", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=AppealStatus.choices, default=AppealStatus.RECEIVED
    )
    version = models.PositiveIntegerField(default=1)
    delay_reasons = models.TextField(blank=True)
    expected_decision_date = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        "recordkeepers.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    reasons = models.TextField(blank=True)
    letter = models.OneToOneField(
        "certification.Letter",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeal_decided",
    )
    delay_letter = models.OneToOneField(
        "certification.Letter",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeal_delayed",
    )

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=AppealStatus.values), name="appeal_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(kind=AppealKind.DENIAL, removal=None)
                | models.Q(kind=AppealKind.REMOVAL, removal__isnull=False),
                name="appeal_kind_matches",
            ),
            # The appeals official is never the person who decided the original case.
            models.CheckConstraint(
                condition=~models.Q(decided_by=models.F("original_decider")),
                name="appeal_distinct_decider",
            ),
            # One appeal of a denial per application (a removal's is one-to-one already).
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(kind=AppealKind.DENIAL),
                name="appeal_of_denial_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.application})"


class AppealFile(models.Model):
    """A file sent with an appeal: checked as evidence is (type sniffed from the content, sizes),
    stored privately under a random name, served only through a permission-checked view."""

    appeal = models.ForeignKey(Appeal, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(upload_to="appeals/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100, help_text="Sniffed from the content.")
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        "recordkeepers.User", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name
