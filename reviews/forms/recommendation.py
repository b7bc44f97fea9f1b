"""Forms of the recommendation and the sign-off: certify or deny, with a denial's reasons in the
reviewer's words. They validate; they decide nothing."""

from collections.abc import Sequence
from dataclasses import dataclass

from django import forms

from certification.models import Decision, Demonstration
from reviews.scoring import Reason
from reviews.services import SIGN_OFF_RETURN

GROUND_CHOICES = [
    ("163.13(b)(1)(i)", "(b)(1)(i) A requirement of 163.12(b)(3) is not met"),
    ("163.13(b)(1)(ii)", "(b)(1)(ii) A circumstance that would justify removal"),
    ("163.13(b)(1)(iii)", "(b)(1)(iii) The applicant appears not to comply with the customs laws"),
]
FOUND_LABEL = "What we found"
MEET_LABEL = "What would meet the requirement"


@dataclass(frozen=True)
class ReasonRow:
    """One reason the reviewer writes for a denial: for a demonstration the scoring found not met
    (or the compliance finding), or a further one of the reviewer's own. `found` and `meet` are the
    reviewer's words the letter prints; `guidance` is the scoring's note, shown to the reviewer
    only."""

    key: str
    legend: str
    ground: str
    demonstration: str
    guidance: str
    found: forms.BoundField
    meet: forms.BoundField
    ground_field: forms.BoundField | None = None
    demonstration_field: forms.BoundField | None = None


class RecommendationForm(forms.Form):
    """Certify or deny. A denial gives its reasons in the reviewer's own words, one for each
    demonstration the scoring found not met (`failing`, the suggestion's reasons with a ground) and
    any further one: what we found, and what would meet the requirement. Nothing is prefilled from
    the scoring, whose notes stay beside the fields for the reviewer and out of the letter."""

    outcome = forms.ChoiceField(
        label="Your recommendation",
        choices=[(Decision.Outcome.CERTIFIED, "Certify"), (Decision.Outcome.DENIED, "Deny")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose certify or deny."},
    )
    differs_reason = forms.CharField(
        label="Why you recommend otherwise than the scoring suggests (only if you do)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason_ground = forms.ChoiceField(
        label="Its ground",
        required=False,
        choices=[("", "No further reason"), *GROUND_CHOICES],
    )
    reason_demonstration = forms.ChoiceField(
        label="The demonstration it concerns",
        required=False,
        choices=[("", "None in particular"), *Demonstration.choices],
    )
    reason_text = forms.CharField(
        label=FOUND_LABEL,
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason_remedy = forms.CharField(
        label=MEET_LABEL,
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, failing: Sequence[Reason] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.failing = [reason for reason in failing if reason.ground]
        for reason in self.failing:
            key = reason.demonstration or "compliance"
            about = (
                Demonstration(reason.demonstration).label
                if reason.demonstration
                else "Compliance with the customs laws"
            )
            for name, label in (("found", FOUND_LABEL), ("meet", MEET_LABEL)):
                self.fields[f"{name}_{key}"] = forms.CharField(
                    label=f"{label}: {about}",
                    required=False,
                    max_length=5000,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )

    def reason_rows(self) -> list[ReasonRow]:
        rows = [
            ReasonRow(
                key=key,
                legend=(
                    Demonstration(reason.demonstration).label
                    if reason.demonstration
                    else "Compliance with the customs laws (163.13(b)(1)(iii))"
                ),
                ground=reason.ground,
                demonstration=reason.demonstration,
                guidance=reason.text,
                found=self[f"found_{key}"],
                meet=self[f"meet_{key}"],
            )
            for reason in self.failing
            for key in [reason.demonstration or "compliance"]
        ]
        rows.append(
            ReasonRow(
                key="further",
                legend="A further reason" if rows else "The reason",
                ground="",
                demonstration="",
                guidance="",
                found=self["reason_text"],
                meet=self["reason_remedy"],
                ground_field=self["reason_ground"],
                demonstration_field=self["reason_demonstration"],
            )
        )
        return rows

    def _texts(self, found: str, meet: str) -> tuple[str, str]:
        return (
            (self.cleaned_data.get(found) or "").strip(),
            (self.cleaned_data.get(meet) or "").strip(),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") != Decision.Outcome.DENIED:
            return cleaned
        pairs = [(f"found_{row.key}", f"meet_{row.key}") for row in self.reason_rows()[:-1]]
        pairs.append(("reason_text", "reason_remedy"))
        for found, meet in pairs:
            found_text, meet_text = self._texts(found, meet)
            if found_text and not meet_text:
                self.add_error(meet, "Say what would meet the requirement, as the letter will.")
            if meet_text and not found_text:
                self.add_error(found, "Say what you found, as the letter will.")
        further = self._texts("reason_text", "reason_remedy")
        if any(further) and not cleaned.get("reason_ground"):
            self.add_error("reason_ground", "Choose the ground of this reason.")
        if cleaned.get("reason_ground") and not any(further):
            self.add_error("reason_text", "Say what you found, or choose no further reason.")
        # A denial with no reason at all is the service's to refuse, with any other refusal
        # (a recommendation against the suggestion without why), so all show at once.
        return cleaned

    def add_error(self, field, error):
        # The service's refusal of a denial without reasons goes beside the first reason's field.
        if field == "reasons":
            field = f"found_{self.reason_rows()[0].key}" if self.failing else "reason_text"
        super().add_error(field, error)

    def reasons(self) -> list[dict]:
        """The denial's reasons as `Decision.reasons` stores them: {ground, demonstration, text,
        remedy}, `text` being what we found and `remedy` what would meet the requirement."""
        if self.cleaned_data.get("outcome") != Decision.Outcome.DENIED:
            return []
        reasons = []
        for reason in self.failing:
            key = reason.demonstration or "compliance"
            found, meet = self._texts(f"found_{key}", f"meet_{key}")
            if found and meet:
                reasons.append(
                    {
                        "ground": reason.ground,
                        "demonstration": reason.demonstration,
                        "text": found,
                        "remedy": meet,
                    }
                )
        found, meet = self._texts("reason_text", "reason_remedy")
        if found and meet and self.cleaned_data.get("reason_ground"):
            reasons.append(
                {
                    "ground": self.cleaned_data["reason_ground"],
                    "demonstration": self.cleaned_data.get("reason_demonstration", ""),
                    "text": found,
                    "remedy": meet,
                }
            )
        return reasons


class SignOffForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            (Decision.Outcome.CERTIFIED, "Certify"),
            (Decision.Outcome.DENIED, "Deny, for the reasons given"),
            (SIGN_OFF_RETURN, "Return to the reviewer with comments"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a decision."},
    )
    comments = forms.CharField(
        label="Comments for the reviewer (when returning)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    terms = forms.CharField(
        label="The terms CBP agrees to (when certifying)",
        help_text="The negotiated alternative program as the letter and the register will state "
        "it: start from the applicant's proposal and change what CBP does not accept.",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, alternative: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not alternative:
            del self.fields["terms"]
