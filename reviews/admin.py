from decimal import Decimal

from django import forms
from django.contrib import admin

from certification.admin.base import ViewOnly
from common.admin import SingletonAdmin
from recordkeepers.admin import CBPAdminOnly
from recordkeepers.models import RiskFlag
from reviews.models import ReviewThresholds, ScoringSettings


def _raise_field(flag: RiskFlag) -> str:
    return f"raise_{flag.value}"


def _raise_form_field(flag: RiskFlag) -> forms.DecimalField:
    return forms.DecimalField(
        label=f"Raise for {flag.label.lower()}",
        required=False,
        min_value=Decimal("0"),
        max_value=Decimal("1"),
        max_digits=3,
        decimal_places=2,
        help_text="Added to the size class's threshold for applicants declaring this (0.05 is 5 "
        "points). Applies to reviews that start after the change.",
    )


class ScoringSettingsForm(forms.ModelForm):
    """The settings, with one field per risk flag for its raise, kept as one JSON mapping."""

    class Meta:
        model = ScoringSettings
        fields = ["met_micro", "met_small", "met_medium", "met_large", "information_band"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for flag in RiskFlag:
            self.fields[_raise_field(flag)].initial = self.instance.raise_for(flag.value) or None

    def save(self, commit=True):
        self.instance.risk_flag_raises = {
            flag.value: str(self.cleaned_data[_raise_field(flag)])
            for flag in RiskFlag
            if self.cleaned_data.get(_raise_field(flag))
        }
        return super().save(commit=commit)


# Declared on the class (not only added per instance) so the admin's fieldsets can name them.
for _flag in RiskFlag:
    ScoringSettingsForm.base_fields[_raise_field(_flag)] = _raise_form_field(_flag)
    ScoringSettingsForm.declared_fields[_raise_field(_flag)] = _raise_form_field(_flag)


@admin.register(ScoringSettings)
class ScoringSettingsAdmin(SingletonAdmin, CBPAdminOnly, admin.ModelAdmin):
    """The thresholds that turn scores into suggestions (see reviews/scoring/). One row. A review
    keeps the thresholds in force when it started (`ReviewThresholds`)."""

    form = ScoringSettingsForm
    fieldsets = [
        (
            "A demonstration is met at this fraction of its weighted points",
            {"fields": ["met_micro", "met_small", "met_medium", "met_large"]},
        ),
        (
            "Below that, by at most this much, the suggestion is to ask for information",
            {"fields": ["information_band"]},
        ),
        (
            "A declared risk flag raises the threshold by this much",
            {"fields": [_raise_field(flag) for flag in RiskFlag]},
        ),
    ]


@admin.register(ReviewThresholds)
class ReviewThresholdsAdmin(ViewOnly, CBPAdminOnly, admin.ModelAdmin):
    """The thresholds each review was pinned to when it started: read only, like any snapshot."""

    list_display = ["application", "pinned_at"]
    readonly_fields = [
        "application",
        "met_micro",
        "met_small",
        "met_medium",
        "met_large",
        "information_band",
        "raises",
        "pinned_at",
    ]
