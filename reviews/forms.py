"""Forms of the review: the queue's filters, claiming and assigning. They validate; they decide
nothing."""

from django import forms

from certification.models import Decision, Demonstration
from certification.workflow import Question
from recordkeepers.models import RiskFlag, SizeClass, User
from reviews.models import CriterionScore
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


class RecuseForm(forms.Form):
    reason = forms.CharField(
        label="Your conflict of interest",
        help_text=(
            "What links you to this organization: for example a family member who works there, "
            "a past job, or a financial interest. Your supervisor reads this when reassigning it."
        ),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what the conflict of interest is."},
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


# The score choice that means "no score": a score given before is cleared.
NOT_SCORED = "none"


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
            # Choosing it clears a score given before.
            choices.append((NOT_SCORED, "Not scored yet"))
            initial = NOT_SCORED
            if row is not None and (row.not_applicable or row.score is not None):
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
                "score": int(value) if value and value not in ("na", NOT_SCORED) else None,
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


class RecommendationForm(forms.Form):
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
        label="A further reason for a denial: its ground",
        required=False,
        choices=[
            ("", "No further reason"),
            ("163.13(b)(1)(i)", "(b)(1)(i) A requirement of 163.12(b)(3) is not met"),
            ("163.13(b)(1)(ii)", "(b)(1)(ii) A circumstance that would justify removal"),
            (
                "163.13(b)(1)(iii)",
                "(b)(1)(iii) The applicant appears not to comply with the customs laws",
            ),
        ],
    )
    reason_demonstration = forms.ChoiceField(
        label="The demonstration it concerns",
        required=False,
        choices=[("", "None in particular"), *Demonstration.choices],
    )
    reason_text = forms.CharField(
        label="The reason, as the letter will state it",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("reason_ground")) != bool((cleaned.get("reason_text") or "").strip()):
            self.add_error("reason_text", "Give both the ground and the text of the reason.")
        return cleaned

    def extra_reasons(self) -> list[dict]:
        if not self.cleaned_data.get("reason_ground"):
            return []
        return [
            {
                "ground": self.cleaned_data["reason_ground"],
                "demonstration": self.cleaned_data["reason_demonstration"],
                "text": self.cleaned_data["reason_text"].strip(),
            }
        ]


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
