"""The business profile (step 1 of the application wizard)."""

from typing import cast

from django import forms
from django.core.exceptions import ValidationError

from common.conditional import ConditionalQuestionsMixin, ShownWhen
from recordkeepers.forms.fields import CountField, LinesField, MoneyField
from recordkeepers.models import US_STATES, ImporterType, Organisation, RiskFlag
from recordkeepers.validators import (
    KeepingSaved,
    normalise_importer_number,
    normalise_port_code,
    normalise_zip_code,
)


def _broker_name(line: str) -> str:
    name = " ".join(line.split())
    if len(name) > 200:
        raise ValidationError(
            "Enter a broker's name of 200 characters or fewer.", code="max_length"
        )
    return name


def _money_field(label: str, help_text: str) -> MoneyField:
    return MoneyField(
        label=label,
        help_text=help_text,
        required=False,
        min_value=0,
        max_digits=15,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "invalid": "Enter an amount in U.S. dollars, for example 3500000 or 3,500,000.00.",
            "min_value": "Enter an amount of 0 or more.",
        },
    )


_YES_NO = [(True, "Yes"), (False, "No")]


class BusinessProfileForm(ConditionalQuestionsMixin, forms.ModelForm):
    """The organisation's business profile: step 1 of the application wizard.

    Only the legal name is required, because a draft is saved as it is; what a complete profile
    needs is `Organisation.profile_missing()`. Format errors are errors even in a draft.
    Save through `organisation_update_profile` with `cleaned_data`; `save()` is the admin's.
    """

    importer_type = forms.ChoiceField(
        label="Type of importer",
        help_text="How the organization is set up legally, as on your CBP Form 5106.",
        choices=ImporterType.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    state = forms.ChoiceField(
        label="State or territory",
        choices=[("", "- Select -"), *US_STATES],
        required=False,
        widget=forms.Select(attrs={"autocomplete": "address-level1"}),
    )
    postal_code = forms.CharField(
        label="ZIP code",
        help_text="5 digits, or ZIP+4 (for example 20229-0001).",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    importer_numbers = LinesField(
        label="Importer numbers",
        help_text=(
            "The importer-of-record numbers your entries are filed under, as on your CBP Form "
            "5106, one per line: an IRS number and its suffix (95-2345678-00), a Social Security "
            "number (123-45-6789) or a CBP-assigned number (951234-56789, with its hyphen). "
            "Hyphens and spaces are optional elsewhere. A saved Social Security number shows its "
            "last four digits only; leave its line as it is to keep it."
        ),
        required=False,
        normalise=normalise_importer_number,
        max_items=50,
        noun="importer numbers",
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off", "spellcheck": "false"}),
    )
    entries_per_year = CountField(
        label="Entries per year",
        help_text="About how many customs entries were filed for you in the last 12 months.",
        required=False,
        min_value=0,
        max_value=2_147_483_647,  # PositiveIntegerField's range in every supported database
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter the number of entries as a whole number, for example 1200.",
            "min_value": "Enter a number of 0 or more.",
            "max_value": "Enter a smaller number of entries.",
        },
    )
    import_value = _money_field(
        "Value of imports per year (USD)",
        "The total entered value of your imports in the last 12 months, in U.S. dollars.",
    )
    duties_paid = _money_field(
        "Duties, taxes and fees per year (USD)",
        "What you paid in duties, taxes and fees on those imports in the last 12 months.",
    )
    ports = LinesField(
        label="Ports of entry",
        help_text=(
            "4-digit Schedule D codes of the ports where you usually enter goods, one per line, "
            "e.g. 2704 for Los Angeles."
        ),
        required=False,
        normalise=normalise_port_code,
        max_items=100,
        noun="ports",
        widget=forms.Textarea(attrs={"rows": 3, "inputmode": "numeric", "spellcheck": "false"}),
    )
    customs_brokers = LinesField(
        label="Customs brokers",
        help_text=(
            "The licensed customs brokers who file entries for you, one per line. Leave this "
            "empty if you file your own entries."
        ),
        required=False,
        normalise=_broker_name,
        max_items=50,
        noun="customs brokers",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    risk_flags = forms.MultipleChoiceField(
        label="Which of these apply to your imports?",
        help_text="Select all that apply.",
        choices=RiskFlag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    has_prior_penalties = forms.NullBooleanField(
        label=(
            "Has CBP ever assessed a penalty against the organization for recordkeeping "
            "violations (19 U.S.C. 1509)?"
        ),
        required=False,
        widget=forms.RadioSelect(choices=_YES_NO),
    )
    has_open_cases = forms.NullBooleanField(
        label="Does the organization have any open CBP cases or investigations?",
        required=False,
        widget=forms.RadioSelect(choices=_YES_NO),
    )

    class Meta:
        model = Organisation
        # Importer numbers are the form's own field: saved masked and sealed, never as typed
        # (Organisation.set_importer_numbers), so the model's check of them does not see them.
        fields = tuple(name for name in Organisation.PROFILE_FIELDS if name != "importer_numbers")
        labels = {
            "legal_name": "Organization's legal name",
            "dba_name": "Doing business as (DBA) name",
            "address_line1": "Street address",
            "address_line2": "Street address line 2",
            "city": "City",
            "prior_penalties": "Describe each penalty",
            "open_cases": "Describe each open case or investigation",
        }
        help_texts = {
            "legal_name": (
                "As it appears on your CBP Form 5106 (the name your importer number is issued to)."
            ),
            "dba_name": "Only if the organization trades under another name.",
            "address_line1": "The organization's address as on your CBP Form 5106.",
            "prior_penalties": (
                "Only if you answered Yes. For each: when it was assessed, the case number if you "
                "have it, the amount, and what you changed afterwards."
            ),
            "open_cases": (
                "Only if you answered Yes. For each: what it concerns, the CBP office handling it, "
                "and where it stands."
            ),
        }
        widgets = {
            "legal_name": forms.TextInput(attrs={"autocomplete": "organization"}),
            "address_line1": forms.TextInput(attrs={"autocomplete": "address-line1"}),
            "address_line2": forms.TextInput(attrs={"autocomplete": "address-line2"}),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "prior_penalties": forms.Textarea(attrs={"rows": 4}),
            "open_cases": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "legal_name": {"required": "Enter your organization's legal name."},
        }

    # A description is asked for only after a Yes (common.conditional); after a No it is cleared.
    shown_when = {
        "prior_penalties": ShownWhen("has_prior_penalties", ("True",)),
        "open_cases": ShownWhen("has_open_cases", ("True",)),
    }

    field_order = Organisation.PROFILE_FIELDS

    def __init__(self, *args, fields: tuple[str, ...] | None = None, **kwargs):
        """`fields`: ask only these (one page of the profile); the rest are left as they are."""
        super().__init__(*args, **kwargs)
        # Shown as kept (a Social Security number masked); a masked line sent back keeps its number.
        self.initial.setdefault("importer_numbers", list(self.instance.importer_numbers or []))
        if self.instance.sealed_importer_numbers and "importer_numbers" in self.fields:
            numbers = cast(LinesField, self.fields["importer_numbers"])
            numbers.normalise = KeepingSaved(self.instance.importer_numbers_in_full())
        if fields is not None:
            for name in [name for name in self.fields if name not in fields]:
                del self.fields[name]

    def save(self, commit: bool = True) -> Organisation:
        """For the admin, which saves the form itself: the importer numbers masked and sealed, as
        `organisation_update_profile` keeps them."""
        if "importer_numbers" in self.cleaned_data:
            self.instance.set_importer_numbers(self.cleaned_data["importer_numbers"])
        return super().save(commit)

    def clean_legal_name(self) -> str:
        return " ".join(self.cleaned_data["legal_name"].split())

    def clean_dba_name(self) -> str:
        return " ".join(self.cleaned_data["dba_name"].split())

    def clean_postal_code(self) -> str:
        value = self.cleaned_data["postal_code"]
        return normalise_zip_code(value) if value else ""
