"""Forms of the applicant's wizard. They validate and normalise what was typed; they decide nothing.

Every field is optional while the application is a draft, so that a half-finished step can be saved
and finished another day. What a complete application needs is decided by
`certification.completeness`, over what was saved, whose question labels the forms use.
"""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

from certification.forms import NARRATIVE_MAX, TEXT_MAX, MultipleFileField, VersionedForm
from certification.models import Application, DesignatedIndividual
from common.conditional import ConditionalQuestionsMixin

DATE_FORMAT = "%m/%d/%Y"


def _text(label: str, *, help_text: str = "", max_length: int = TEXT_MAX, rows: int = 4):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=max_length,
        strip=False,  # stored as typed; surrounding space is trimmed when shown
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _date(label: str, *, help_text: str = "For example: 10/01/2026") -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=help_text,
        required=False,
        input_formats=[DATE_FORMAT, "%Y-%m-%d"],
        widget=forms.DateInput(format=DATE_FORMAT, attrs={"inputmode": "numeric"}),
        error_messages={"invalid": "Enter the date as month/day/year, for example 10/01/2026."},
    )


def _to_json(value):
    if isinstance(value, date):
        return value.isoformat()
    return value


class DemonstrationForm(ConditionalQuestionsMixin, VersionedForm):
    """One demonstration's structured answers, its narrative and new evidence files. Questions in
    `shown_when` are asked only when an earlier answer makes them apply (common.conditional)."""

    date_fields: tuple[str, ...] = ()

    narrative = forms.CharField(
        label="In your own words",
        help_text="Anything else a CBP reviewer should know about how you meet this requirement.",
        required=False,
        max_length=NARRATIVE_MAX,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    evidence = MultipleFileField(
        label="Add evidence files",
        required=False,
        help_text=(
            "PDF, PNG, JPEG, Word (.docx), Excel (.xlsx), CSV or plain-text files. You can choose "
            "several files at once."
        ),
    )

    @classmethod
    def initial_from(cls, *, answers: dict, narrative: str, version: int) -> dict:
        initial = {"narrative": narrative, "version": version}
        for name, value in answers.items():
            if name in cls.date_fields and value:
                value = date.fromisoformat(value)
            initial[name] = value
        return initial

    @property
    def answer_names(self) -> list[str]:
        return [name for name in self.fields if name not in {"narrative", "evidence", "version"}]

    def valid_answers(self, *, previous: dict) -> dict:
        """The answers to store: what cleaned, and for a field that did not, what was stored before.

        Called after `is_valid()`, so a step with one mistake still keeps every other value.
        """
        cleaned = getattr(self, "cleaned_data", {})
        answers = {}
        for name in self.answer_names:
            if name in cleaned and name not in self.errors:
                value = cleaned[name]
                answers[name] = (
                    [_to_json(v) for v in value] if isinstance(value, list) else _to_json(value)
                )
            elif name in previous:
                answers[name] = previous[name]
        return answers


class DesignatedIndividualForm(forms.ModelForm):
    class Meta:
        model = DesignatedIndividual
        fields = ["kind", "name", "title", "email", "phone", "duties", "qualifications"]
        labels = {
            "kind": "Primary or backup",
            "name": "Full name",
            "title": "Job title",
            "email": "Email address",
            "phone": "Phone number",
            "duties": "Their recordkeeping duties",
            "qualifications": "Qualifications",
        }
        help_texts = {
            "phone": "Including the area code, for example 202-555-0143.",
            "qualifications": "For example: licensed customs broker, years in import compliance.",
        }
        widgets = {
            "kind": forms.RadioSelect,
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
            "duties": forms.Textarea(attrs={"rows": 3}),
            "qualifications": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = DesignatedIndividual.Kind.choices
        for name, message in {
            "name": "Enter the person's full name.",
            "title": "Enter the person's job title.",
            "email": "Enter the person's email address.",
            "phone": "Enter the person's phone number.",
            "duties": "Describe the person's recordkeeping duties.",
            "kind": "Choose whether the person is the primary or a backup.",
        }.items():
            self.fields[name].error_messages["required"] = message
        for name in ("duties", "qualifications"):
            # The model's TextField has no limit; setting max_length on a built field adds no
            # validator, so the limit is checked by one of its own.
            self.fields[name].max_length = TEXT_MAX
            self.fields[name].validators.append(MaxLengthValidator(TEXT_MAX))
            self.fields[name].widget.attrs.pop("maxlength", None)

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        digits = [c for c in phone if c.isdigit()]
        if not 10 <= len(digits) <= 15:
            raise ValidationError(
                "Enter a phone number with 10 to 15 digits, for example 202-555-0143."
            )
        return phone


class BaseDesignatedIndividualFormSet(forms.BaseModelFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this person"

    def summary_heading(self, form, number: int) -> str:
        """Whose answers an error-summary entry is about: the person's name, or the new person."""
        return form.instance.name if form.instance.pk else "The person you are adding"


DesignatedIndividualFormSet = forms.modelformset_factory(
    DesignatedIndividual,
    form=DesignatedIndividualForm,
    formset=BaseDesignatedIndividualFormSet,
    extra=1,
    can_delete=True,
    max_num=10,
    validate_max=True,
    # Django's default builds up to max_num + 1000 forms for a tampered TOTAL_FORMS, and this page
    # renders each: seconds of work for one request. More than ten is refused with a message.
    absolute_max=10,
)


class RouteForm(VersionedForm):
    route = forms.ChoiceField(
        label="How do you want to be certified?",
        choices=[
            (Application.Route.GENERAL, "By meeting the general recordkeeping requirements"),
            (
                Application.Route.ALTERNATIVE,
                "Under an alternative program negotiated with CBP (you will describe the terms you propose)",
            ),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how you want to be certified."},
    )


class TermsForm(VersionedForm):
    proposed_terms = forms.CharField(
        label="The alternative program you propose",
        help_text=(
            "Which general requirements you ask to meet differently, how you would meet them instead, "
            "and why that suits your business."
        ),
        required=False,
        max_length=NARRATIVE_MAX,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )


class AttestationForm(VersionedForm):
    signer_name = forms.CharField(
        label="Your full name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "Type your full name."},
    )
    signer_title = forms.CharField(
        label="Your title",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
        error_messages={"required": "Type your title."},
    )
    confirm = forms.BooleanField(
        label="I make this attestation",
        error_messages={"required": "Tick the box to make the attestation."},
    )
