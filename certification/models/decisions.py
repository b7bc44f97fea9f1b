"""CBP's decision on an application."""

from django.db import models

from certification.models.applications import Application


class DecisionOutcome(models.TextChoices):
    CERTIFIED = "certified", "Certified"
    DENIED = "denied", "Denied"


class Decision(models.Model):
    """CBP's decision on an application: one per application, signed off by a supervisor."""

    Outcome = DecisionOutcome

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="decision"
    )
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    reasons = models.JSONField(
        default=list, blank=True, help_text="For a denial: [{ground, demonstration, text}]."
    )
    terms = models.TextField(
        blank=True,
        help_text="For a negotiated alternative program: the terms CBP agreed, as the letter "
        "states them (not the applicant's proposal).",
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
                condition=models.Q(outcome__in=DecisionOutcome.values),
                name="decision_outcome_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(recommended_by=models.F("decided_by")),
                name="decision_four_eyes",
            ),
        ]
        # The dashboard reads the decisions since its tallies' last day (reporting.figures.tallies).
        indexes = [models.Index(fields=["decided_at"], name="decision_decided_at")]

    def __str__(self) -> str:
        return f"{self.application}: {self.get_outcome_display()}"
