"""Forms after certification. They validate and normalise; they decide nothing (the word
"variance" or "violation" is `classification`'s; entry numbers are checked by the service)."""

from django import forms

from certification.models import Application
from participants import classification
from participants.models import ParticipantStatus


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
