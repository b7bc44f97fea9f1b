"""The Handbook that applications are reviewed against: its editions and their criteria."""

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


class EditionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published (in force)"
    RETIRED = "retired", "Retired"


class HandbookEdition(models.Model):
    """One edition of the Recordkeeping Compliance Handbook.

    Draft editions are edited; publishing one retires the edition in force. A published or retired
    edition never changes, because applications are reviewed against the edition they were pinned to.
    """

    Status = EditionStatus

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
                condition=models.Q(status__in=EditionStatus.values),
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
