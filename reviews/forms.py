"""Forms of the review: the queue's filters, claiming and assigning. They validate; they decide
nothing."""

from collections.abc import Sequence
from dataclasses import dataclass

from django import forms

from certification.models import Decision, Demonstration
from certification.workflow import Question
from recordkeepers.models import RiskFlag, SizeClass, User
from reviews.models import CriterionScore
from reviews.scoring import Reason
from reviews.selectors import QUEUE_STATUSES, QueueFilters
from reviews.services import SIGN_OFF_RETURN

EMPTY = [("", "Any")]


class QueueFilterForm(forms.Form):
    """The queue's filters, from the query string; an invalid value is ignored with a message."""

    search = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        help_text="Reference, legal name or importer number.",
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=EMPTY + [(s.value, s.label) for s in QUEUE_STATUSES],
    )
    size_class = forms.ChoiceField(
        label="Size", required=False, choices=EMPTY + list(SizeClass.choices)
    )
    risk_flag = forms.ChoiceField(
        label="Risk flag", required=False, choices=EMPTY + list(RiskFlag.choices)
    )
    port = forms.RegexField(
        label="Port",
        required=False,
        regex=r"^\d{4}$",
        help_text="4-digit Schedule D code.",
        error_messages={"invalid": "Enter a port as 4 digits, for example 2704."},
    )
    assigned = forms.ChoiceField(label="Assigned", required=False)
    older_than_days = forms.IntegerField(
        label="Waiting at least (days)", required=False, min_value=1, max_value=3650
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[
            ("priority", "Priority"),
            ("age", "Longest waiting"),
            ("volume", "Import volume"),
        ],
    )

    def __init__(self, *args, reviewers: list[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned"].choices = [
            ("", "Anyone or no one"),
            ("me", "Me"),
            ("unassigned", "No one yet"),
            ("others", "Someone else"),
        ] + [(str(r.pk), str(r)) for r in reviewers]

    def fragment_key(self) -> str:
        """All that the rendered form depends on: the filters asked for and the reviewers
        offered. The queue caches the form's HTML under it (`{% cache %}`): rendering its
        widgets is a fifth of the page's Python time (docs/benchmarks.md)."""
        values = [str(self.is_bound)] + [self.data.get(name, "") for name in self.fields]
        return "\x1f".join(
            values + [f"{pk}={label}" for pk, label in self.fields["assigned"].choices]
        )

    def filters(self) -> QueueFilters:
        if not self.is_valid():
            valid = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        else:
            valid = self.cleaned_data
        return QueueFilters(**{k: v for k, v in valid.items() if v not in (None, "")})


class ClaimForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    no_conflict = forms.BooleanField(
        label=(
            "I have no conflict of interest with this organization: no financial or family "
            "interest, no past employment or business relationship, and no other reason my "
            "review could be questioned."
        ),
        required=False,
    )


class AssignForm(forms.Form):
    reviewer = forms.ModelChoiceField(
        label="Reviewer",
        queryset=User.objects.none(),
        error_messages={"required": "Choose the reviewer."},
    )
    override_reason = forms.CharField(
        label="Why a link to the organization is not a conflict (only if one is found)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers


class DemonstrationScoresForm(forms.Form):
    """The scores of one demonstration's criteria: a 0-3 choice (or N/A where allowed) and notes
    for each. Fields are named by criterion id."""

    def __init__(self, *args, criteria, saved: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            row = saved.get(criterion.pk)
            choices = [(str(v), label) for v, label in CriterionScore.Score.choices]
            if not criterion.must_pass:
                choices.append(("na", "N/A – does not apply"))
            initial = None
            if row is not None:
                initial = "na" if row.not_applicable else str(row.score)
            allowed = "from 0 to 3" if criterion.must_pass else "from 0 to 3, or N/A"
            self.fields[f"score_{criterion.pk}"] = forms.ChoiceField(
                label=f"Score for {criterion.code} {criterion.title}",
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
                initial=initial,
                error_messages={"invalid_choice": f"Score {criterion.code} {allowed}."},
            )
            self.fields[f"notes_{criterion.pk}"] = forms.CharField(
                label=f"Notes on {criterion.code}",
                required=False,
                max_length=5000,
                initial=row.notes if row else "",
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def scores(self) -> dict[int, dict]:
        given = {}
        for criterion in self.criteria:
            value = self.cleaned_data.get(f"score_{criterion.pk}")
            notes = self.cleaned_data.get(f"notes_{criterion.pk}", "")
            if not value and not notes:
                continue
            given[criterion.pk] = {
                "score": int(value) if value and value != "na" else None,
                "not_applicable": value == "na",
                "notes": notes,
            }
        return given

    def rows(self):
        return [(c, self[f"score_{c.pk}"], self[f"notes_{c.pk}"]) for c in self.criteria]


class ComplianceFindingForm(forms.Form):
    concern = forms.BooleanField(
        label=(
            "In CBP's judgment the applicant appears not to comply with the customs laws "
            "(19 CFR 163.13(b)(1)(iii))"
        ),
        required=False,
    )
    notes = forms.CharField(
        label="Finding on compliance history",
        help_text="Prior recordkeeping penalties, open cases, and what you concluded.",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InformationRequestForm(forms.Form):
    """Up to three questions, each about a demonstration or the application in general."""

    due = forms.DateField(
        label="Answers due by",
        help_text="For example: 01/15/2027",
        input_formats=["%m/%d/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(format="%m/%d/%Y"),
        error_messages={"required": "Enter the date the answers are due."},
    )
    with_letter = forms.BooleanField(
        label="Also send the questions as a letter (PDF) the applicant can download and keep",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "The application in general"), *Demonstration.choices]
        for n in range(1, 4):
            self.fields[f"demonstration_{n}"] = forms.ChoiceField(
                label=f"Question {n} is about", choices=choices, required=False
            )
            self.fields[f"question_{n}"] = forms.CharField(
                label=f"Question {n}",
                required=n == 1,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"required": "Write at least one question."},
            )
        self.fields["with_letter"] = self.fields.pop("with_letter")  # after the questions

    def questions(self) -> list[Question]:
        return [
            Question(
                text=self.cleaned_data[f"question_{n}"],
                demonstration=self.cleaned_data.get(f"demonstration_{n}", ""),
            )
            for n in range(1, 4)
            if self.cleaned_data.get(f"question_{n}", "").strip()
        ]


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
