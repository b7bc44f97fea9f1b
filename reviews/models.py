"""How CBP reviews: conflict declarations, criterion scores, the compliance finding, the
recommendation, scoring settings.

The application itself changes only through certification's workflow services; these rows hold the
review's own work. A score keeps a copy of the criterion it scored (code, title, weight, must-pass), so
editing the Handbook later never changes a score already given.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from certification.models import Decision, Demonstration
from common.models import SingletonModel
from recordkeepers.models import RiskFlag, SizeClass


class ConflictDeclaration(models.Model):
    """What was declared when a reviewer took, or was given, an application.

    The reviewer declares that they have no conflict of interest. Where the service found a link
    between the reviewer and the organisation (a membership, the same email domain), only a
    supervisor can go ahead, and must say why: `links` and `override_reason` record both.
    """

    application = models.ForeignKey(
        "certification.Application", on_delete=models.PROTECT, related_name="conflict_declarations"
    )
    reviewer = models.ForeignKey("recordkeepers.User", on_delete=models.PROTECT, related_name="+")
    declared_by = models.ForeignKey(
        "recordkeepers.User", on_delete=models.PROTECT, related_name="+"
    )
    links = models.JSONField(
        default=list, blank=True, help_text="Links found between reviewer and organisation."
    )
    override_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application_id", "created_at"]

    def __str__(self) -> str:
        return f"{self.reviewer} on {self.application}"


class Recusal(models.Model):
    """A reviewer's declaration of a conflict of interest with an application's organisation: they
    step aside, and the application leaves their queue and their access for good. Supervisors see
    the declaration, with its reason, when they reassign the application."""

    application = models.ForeignKey(
        "certification.Application", on_delete=models.PROTECT, related_name="recusals"
    )
    reviewer = models.ForeignKey("recordkeepers.User", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application_id", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="recusal_once"),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} stepped aside from {self.application}"


class CriterionScore(models.Model):
    """One reviewer's score of one criterion of the application's pinned Handbook edition."""

    class Score(models.IntegerChoices):
        ABSENT = 0, "0 – absent"
        PARTIAL = 1, "1 – partial"
        ADEQUATE = 2, "2 – adequate"
        STRONG = 3, "3 – strong"

    application = models.ForeignKey(
        "certification.Application", on_delete=models.PROTECT, related_name="criterion_scores"
    )
    criterion = models.ForeignKey(
        "certification.Criterion", on_delete=models.PROTECT, related_name="scores"
    )
    reviewer = models.ForeignKey("recordkeepers.User", on_delete=models.PROTECT, related_name="+")
    # The criterion as it was scored.
    demonstration = models.CharField(max_length=3, choices=Demonstration.choices)
    code = models.CharField(max_length=16)
    title = models.CharField(max_length=200)
    weight = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    must_pass = models.BooleanField()
    score = models.PositiveSmallIntegerField(choices=Score.choices, null=True, blank=True)
    not_applicable = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["application_id", "demonstration", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion"], name="score_one_per_criterion"
            ),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__lte=3),
                name="score_zero_to_three",
            ),
            models.CheckConstraint(
                condition=~models.Q(not_applicable=True, score__isnull=False),
                name="score_or_not_applicable",
            ),
        ]

    def __str__(self) -> str:
        shown = "N/A" if self.not_applicable else self.score
        return f"{self.application} {self.code}: {shown}"


class ComplianceFinding(models.Model):
    """The reviewer's finding on compliance history (prior penalties, open cases): the ground of
    19 CFR 163.13(b)(1)(iii), recorded on its own and never as a score."""

    application = models.OneToOneField(
        "certification.Application", on_delete=models.PROTECT, related_name="compliance_finding"
    )
    reviewer = models.ForeignKey("recordkeepers.User", on_delete=models.PROTECT, related_name="+")
    concern = models.BooleanField(
        default=False,
        help_text="In CBP's judgment the applicant appears not to comply with the customs laws.",
    )
    notes = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Compliance finding on {self.application}"


class Recommendation(models.Model):
    """The reviewer's recommendation to a supervisor, as made: what the sign-off reads.

    The workflow's "review.recommended" event records the same move for the audit trail; this row
    is what the review reads back, so the sign-off does not parse event data. A returned
    recommendation stays, and the next one is a new row: the latest is the one to sign off.
    """

    application = models.ForeignKey(
        "certification.Application", on_delete=models.PROTECT, related_name="recommendations"
    )
    reviewer = models.ForeignKey("recordkeepers.User", on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=16, choices=Decision.Outcome.choices)
    # Each {"ground", "demonstration", "text", "remedy"}: the shape `Decision.reasons` stores, in
    # the reviewer's words (`text`: what was found; `remedy`: what would meet the requirement).
    # Rows made before reviewers wrote the remedy have only the first three.
    reasons = models.JSONField(default=list, blank=True)
    # The scoring's reasons when the reviewer recommended ({"ground", "demonstration", "text"},
    # points and percentages): CBP's record of what the scores said, never printed in a letter.
    scoring_notes = models.JSONField(default=list, blank=True)
    # What the scoring suggested when the reviewer recommended, and why they differ from it.
    suggestion = models.CharField(max_length=32, blank=True)
    differs_reason = models.TextField(blank=True)
    # A default rather than auto_now_add, so the migration can copy the events' own times.
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["application_id", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome__in=Decision.Outcome.values),
                name="recommendation_outcome_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} recommends {self.outcome} on {self.application}"


ABOVE_ADEQUATE = (
    "A fraction of the weighted maximum. Above 0.66, a demonstration scored adequate on every "
    "criterion (2 of 3, 66.7%) is not met."
)


def _fraction(default: str, help_text: str = ABOVE_ADEQUATE) -> models.DecimalField:
    return models.DecimalField(
        max_digits=3,
        decimal_places=2,
        default=Decimal(default),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=help_text,
    )


class ScoringSettings(SingletonModel):
    """The thresholds that turn scores into suggestions, kept by admins. One row (`current()`).

    A demonstration is met when its weighted score reaches the fraction for the applicant's size
    class; within `information_band` below it, the suggestion is to ask for information. The
    defaults keep "adequate on every criterion" (2/3) met for every size class: see
    `reviews.scoring.Thresholds`.
    """

    met_micro = _fraction("0.50")
    met_small = _fraction("0.60")
    met_medium = _fraction("0.63")
    met_large = _fraction("0.66")
    information_band = _fraction(
        "0.15", help_text="How far below the threshold CBP asks for information rather than deny."
    )
    # {risk flag: "0.05"}: how much a declared risk flag raises the application's threshold.
    # Edited in the admin one field per flag (reviews.admin.ScoringSettingsForm).
    risk_flag_raises = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "scoring settings"
        verbose_name_plural = "scoring settings"
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="scoring_settings_single_row")
        ]

    def __str__(self) -> str:
        return "Scoring settings"

    def met_for(self, size_class: SizeClass | str) -> Decimal:
        return getattr(self, f"met_{SizeClass(size_class).value}")

    def raise_for(self, flag: str) -> Decimal:
        return Decimal(str((self.risk_flag_raises or {}).get(flag) or "0"))

    def clean(self) -> None:
        super().clean()
        for flag, by in (self.risk_flag_raises or {}).items():
            if flag not in RiskFlag.values:
                raise ValidationError({"risk_flag_raises": f"Unknown risk flag {flag!r}."})
            try:
                fraction = Decimal(str(by))
            except ArithmeticError:
                raise ValidationError({"risk_flag_raises": f"{flag}: not a number."}) from None
            if not Decimal(0) <= fraction <= Decimal(1):
                raise ValidationError({"risk_flag_raises": f"{flag}: a fraction from 0 to 1."})


class ReviewThresholds(models.Model):
    """The scoring thresholds as they stood when the application's review started, pinned as the
    application pins its Handbook edition: an admin's later change to `ScoringSettings` never
    moves the bar of a review under way. Written once, when the application is first claimed or
    assigned (or, for a review that started before pinning existed, when it is first scored);
    `raises` holds only the raises for the application's own declared risk flags."""

    application = models.OneToOneField(
        "certification.Application", on_delete=models.PROTECT, related_name="review_thresholds"
    )
    met_micro = models.DecimalField(max_digits=3, decimal_places=2)
    met_small = models.DecimalField(max_digits=3, decimal_places=2)
    met_medium = models.DecimalField(max_digits=3, decimal_places=2)
    met_large = models.DecimalField(max_digits=3, decimal_places=2)
    information_band = models.DecimalField(max_digits=3, decimal_places=2)
    # [{"flag": "adcvd", "by": "0.05"}], in the order RiskFlag lists them.
    raises = models.JSONField(default=list, blank=True)
    pinned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "review thresholds"
        verbose_name_plural = "review thresholds"

    def __str__(self) -> str:
        return f"Thresholds pinned for {self.application}"
