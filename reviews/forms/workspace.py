"""Forms of the workspace: scores, the compliance finding and questions to the applicant. They
validate; they decide nothing."""

from django import forms

from certification.models import Demonstration
from certification.workflow import Question
from reviews.models import CriterionScore

# The score choice that means "no score": a score given before is cleared.
NOT_SCORED = "none"


class RubricScoresForm(forms.Form):
    """The whole rubric on one form, so that one save keeps every choice: for each criterion that
    applies, a 0-3 choice (or N/A where allowed, or "not scored yet" to clear it) and notes.
    Fields are named by criterion id. A criterion the POST leaves out entirely is not touched."""

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

    def rows(self, demonstration: str) -> list[tuple]:
        """One demonstration's criteria with their score and notes fields, as the page lays
        them out under the applicant's answers."""
        return [
            (c, self[f"score_{c.pk}"], self[f"notes_{c.pk}"])
            for c in self.criteria
            if c.demonstration == demonstration
        ]


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
