"""Forms after certification. They validate and normalise; they decide nothing (the word
"variance" or "violation" is `classification`'s; entry numbers are checked by the service)."""

from django import forms

from certification.forms import MultipleFileField
from certification.models import Application
from participants import classification
from participants.models import AppealStatus, ImmediateBasis, ParticipantStatus, RemovalGround


def _day_field(label: str, *, required: str) -> forms.DateField:
    """A day typed as month/day/year, with the messages a person can act on."""
    return forms.DateField(
        label=label,
        help_text="For example: 01/15/2027",
        input_formats=["%m/%d/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(format="%m/%d/%Y"),
        error_messages={
            "required": required,
            "invalid": "Enter the day as month/day/year, for example 01/15/2027.",
        },
    )


class ReportForm(forms.Form):
    involves_failure = forms.TypedChoiceField(
        label=classification.QUESTION,
        choices=[("yes", "Yes: this is a violation"), ("no", "No: this is a variance")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text=f"{classification.VIOLATION_MEANS} {classification.VARIANCE_MEANS}",
        error_messages={
            "required": "Say whether it involved a failure to keep or produce records."
        },
    )
    what_happened = forms.CharField(
        label="What happened",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what happened."},
    )
    found_on = _day_field("The day you found it", required="Enter the day you found it.")
    records_concerned = forms.CharField(
        label="The records concerned",
        help_text="Which kinds of records, for which shipments or period.",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say which records it concerns."},
    )
    entry_numbers = forms.CharField(
        label="Entry numbers concerned (optional)",
        help_text="One a line, as on the entry summary: XXX-NNNNNNN-N.",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    action_taken = forms.CharField(
        label="What you have done about it",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what you have done about it."},
    )


class CorrectiveActionRequestForm(forms.Form):
    request = forms.CharField(
        label="What the participant should do",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what the participant should do."},
    )
    due = _day_field("Due by", required="Enter the day it is due.")


class CorrectiveActionResponseForm(forms.Form):
    response = forms.CharField(
        label="What you did",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what you did."},
    )


class CloseReportForm(forms.Form):
    note = forms.CharField(
        label="A note for the record (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RegisterFilterForm(forms.Form):
    q = forms.CharField(
        label="Search",
        help_text="Name, importer number or reference.",
        required=False,
        max_length=200,
    )
    status = forms.ChoiceField(
        label="Status", choices=[("", "Any"), *ParticipantStatus.choices], required=False
    )
    route = forms.ChoiceField(
        label="Program", choices=[("", "Any"), *Application.Route.choices], required=False
    )
    overdue = forms.BooleanField(label="Only with overdue corrective actions", required=False)
    sort = forms.ChoiceField(
        label="Sort by",
        choices=[("name", "Name"), ("certified", "Most recently certified")],
        required=False,
    )


class FailureForm(forms.Form):
    """CBP's record of a failure to produce a demanded record."""

    entry_number = forms.CharField(
        label="Entry number",
        help_text="The entry (or release) whose record was demanded: XXX-NNNNNNN-N.",
        max_length=20,
        error_messages={"required": "Enter the entry number."},
    )
    record_demanded = forms.CharField(
        label="The record demanded and not produced",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say which record was demanded."},
    )
    demanded_on = _day_field("The day CBP demanded it", required="Enter the day of the demand.")
    willful = forms.TypedChoiceField(
        label="Was the failure willful?",
        help_text="CBP's finding on this case. A willful failure is not eligible for a notice in "
        "lieu of a penalty.",
        choices=[("no", "No"), ("yes", "Yes")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the failure was willful."},
    )


class NoticeAnswerForm(forms.Form):
    response = forms.CharField(
        label="The steps you have taken to prevent it happening again",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Say what you have done to prevent it happening again."},
    )


class RemovalProposalForm(forms.Form):
    grounds = forms.MultipleChoiceField(
        label="Grounds (19 CFR 163.13(c)(1))",
        choices=RemovalGround.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one ground of 19 CFR 163.13(c)(1)."},
    )
    reasons = forms.CharField(
        label="CBP's reasons, in plain words",
        help_text="What happened, and why it meets the grounds. The notice of removal states it.",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Say, in plain words, why: the letter states it."},
    )
    immediate = forms.ChoiceField(
        label="When it would take effect (19 CFR 163.13(c)(3))",
        choices=ImmediateBasis.choices,
        widget=forms.RadioSelect,
        required=False,
        initial="",
    )


class RemovalDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("issue", "Remove: issue the notice of removal"), ("decline", "Decline")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a decision."},
    )
    reason = forms.CharField(
        label="Why you decline (when declining)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AppealForm(forms.Form):
    statement = forms.CharField(
        label="Why the decision should change",
        help_text="Say what you believe CBP got wrong, and what shows it.",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Say why the decision should change."},
    )
    files = MultipleFileField(
        label="Documents that support your appeal (optional)",
        required=False,
        help_text="PDF, PNG, JPEG, Word (.docx), Excel (.xlsx), CSV or plain-text files.",
    )


class AppealDelayForm(forms.Form):
    reasons = forms.CharField(
        label="Why the decision is delayed",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the decision is delayed: the appellant is told."},
    )
    expected = _day_field("The day a decision is now expected", required="Enter the expected day.")


class AppealDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="The decision on the appeal",
        choices=[
            (AppealStatus.UPHELD, "The original decision stands"),
            (AppealStatus.REVERSED, "Reverse the original decision"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the decision stands or is reversed."},
    )
    reasons = forms.CharField(
        label="The reasons, for the letter",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Give the reasons for the decision on the appeal."},
    )
