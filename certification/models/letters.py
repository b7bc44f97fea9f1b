"""Letters to applicants and the admin-kept templates they are rendered from."""

from django.core.exceptions import ValidationError
from django.db import models

from certification.models.applications import Application
from certification.models.decisions import Decision


class LetterKind(models.TextChoices):
    """The letters CBP sends, each with its placeholders in `certification.letters.PLACEHOLDERS`
    and a default template. The kinds after certification are asked for by the participants app
    (`letter_create`), which fixes their values."""

    CERTIFICATION = "certification", "Certification (general program)"
    CERTIFICATION_ALTERNATIVE = (
        "certification_alternative",
        "Certification (negotiated alternative program)",
    )
    DENIAL = "denial", "Denial"
    INFORMATION_REQUEST = "information_request", "Request for information"
    NOTICE_OF_VIOLATION = "notice_of_violation", "Notice of violation in lieu of penalty"
    REMOVAL = "removal", "Removal from the program"
    APPEAL_DECISION = "appeal_decision", "Decision on an appeal"
    APPEAL_DELAY = "appeal_delay", "Notice of a delayed appeal decision"


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
    issued_by = models.ForeignKey(
        "recordkeepers.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who issued what the letter reports, when it is not a decision or CBP's "
        "questions (a notice, a removal, an appeal's decision).",
    )
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
    queued_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When its render was last sent to the workers' queue; empty when the broker "
        "could not take it, so that the sweep sends it again at once.",
    )
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
