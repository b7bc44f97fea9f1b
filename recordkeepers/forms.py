from collections.abc import Callable

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction

from recordkeepers.models import US_STATES, ImporterType, Organisation, RiskFlag, User
from recordkeepers.services import organisation_register
from recordkeepers.validators import (
    normalise_importer_number,
    normalise_port_code,
    normalise_zip_code,
)


class SignupForm(AllauthSignupForm):
    """Sign-up for a recordkeeper: the person and the organisation they register."""

    full_name = forms.CharField(
        label="Your full name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    organisation_legal_name = forms.CharField(
        label="Organization's legal name",
        max_length=200,
        help_text="As it appears on your CBP Form 5106 (the name your importer number is issued to).",
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        error_messages={"required": "Enter your organization's legal name."},
    )
    field_order = ["full_name", "email", "organisation_legal_name", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # allauth builds some fields itself; give each a message that says what to do.
        self.fields["full_name"].error_messages["required"] = "Enter your full name."
        self.fields["email"].label = "Email address"
        self.fields["email"].error_messages["required"] = "Enter your email address."
        self.fields["password1"].error_messages["required"] = "Enter a password."
        self.fields["password2"].error_messages["required"] = "Enter the same password again."

    def clean_email(self):
        # allauth's own check, plus a length limit stated in words rather than a database error.
        email = self.cleaned_data.get("email", "")
        if len(email) > 254:
            raise forms.ValidationError("Enter an email address of 254 characters or fewer.")
        return super().clean_email()

    def save(self, request):
        with transaction.atomic():
            return super().save(request)

    def custom_signup(self, request, user) -> None:
        user.full_name = " ".join(self.cleaned_data["full_name"].split())
        user.save(update_fields=["full_name"])
        organisation_register(owner=user, legal_name=self.cleaned_data["organisation_legal_name"])


class OrganisationForm(forms.Form):
    legal_name = forms.CharField(
        label="Organization's legal name",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label="Colleague's email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


class InvitationAcceptForm(forms.Form):
    """A new account for an invited colleague; the email address is the invitation's."""

    full_name = forms.CharField(
        label="Your full name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Password (again)",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password1")
        if password:
            candidate = User(email=self.email, full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password, user=candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
            if password != cleaned.get("password2"):
                self.add_error("password2", "The two passwords do not match.")
        return cleaned


# --- The business profile (step 1 of the application wizard) --------------------------------------
def _excerpt(line: str, limit: int = 24) -> str:
    return line if len(line) <= limit else line[: limit - 1] + "…"


class LinesField(forms.CharField):
    """A textarea of one value per line, cleaned to a list of normalised values without repeats.

    Errors name the line by its number as the person sees it in the box, so the text is not
    stripped as a whole (that would renumber the lines after leading blank ones).
    """

    widget = forms.Textarea
    # Past this many bad lines the rest are summarised: a pasted spreadsheet column can have
    # hundreds, and a wall of errors helps nobody.
    MAX_ERRORS = 5

    def __init__(
        self, *, normalise: Callable[[str], str], max_items: int, noun: str, **kwargs
    ) -> None:
        kwargs.setdefault("strip", False)
        super().__init__(**kwargs)
        self.normalise = normalise
        self.max_items = max_items
        self.noun = noun

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(item) for item in value)
        return value

    def clean(self, value) -> list[str]:
        text = super().clean(value)  # also refuses NUL characters, which PostgreSQL cannot store
        items: list[str] = []
        seen: set[str] = set()
        errors: list[ValidationError] = []
        for number, line in enumerate(text.splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            try:
                item = self.normalise(line)
            except ValidationError as error:
                errors.extend(
                    ValidationError(
                        f"Line {number} (“{_excerpt(line)}”): {' '.join(e.messages)}", code=e.code
                    )
                    for e in error.error_list
                )
                continue
            if item.casefold() not in seen:
                seen.add(item.casefold())
                items.append(item)
        if len(errors) > self.MAX_ERRORS:
            more = len(errors) - self.MAX_ERRORS
            errors = [
                *errors[: self.MAX_ERRORS],
                ValidationError(f"And {more} more lines to correct.", code="invalid"),
            ]
        if errors:
            raise ValidationError(errors)
        if len(items) > self.max_items:
            raise ValidationError(
                f"Enter no more than {self.max_items} {self.noun}.", code="max_items"
            )
        if self.required and not items:
            raise ValidationError(self.error_messages["required"], code="required")
        return items

    def has_changed(self, initial, data) -> bool:
        try:
            return self.clean(data) != list(initial or [])
        except ValidationError:
            return True


class _Grouped:
    """Accepts amounts as people copy them from statements: "$3,500,000.00", "1,200"."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().removeprefix("$").replace(",", "").strip()
        return super().to_python(value)


class MoneyField(_Grouped, forms.DecimalField):
    pass


class CountField(_Grouped, forms.IntegerField):
    pass


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


class BusinessProfileForm(forms.ModelForm):
    """The organisation's business profile: step 1 of the application wizard.

    Only the legal name is required, because a draft is saved as it is; what a complete profile
    needs is `Organisation.profile_missing()`. Format errors are errors even in a draft.
    Save through `organisation_update_profile` with `cleaned_data`, not `form.save()`.
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
            "5106, one per line: NN-NNNNNNNXX (IRS number and suffix), NNN-NN-NNNN (Social "
            "Security number) or YYDDPP-NNNNN (CBP-assigned number)."
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
        fields = [
            "legal_name",
            "dba_name",
            "importer_type",
            "address_line1",
            "address_line2",
            "city",
            "state",
            "postal_code",
            "importer_numbers",
            "entries_per_year",
            "import_value",
            "duties_paid",
            "ports",
            "customs_brokers",
            "risk_flags",
            "has_prior_penalties",
            "prior_penalties",
            "has_open_cases",
            "open_cases",
        ]
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
                "For each: when it was assessed, the case number if you have it, the amount, and "
                "what you changed afterwards."
            ),
            "open_cases": (
                "For each: what it concerns, the CBP office handling it, and where it stands."
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

    def clean_legal_name(self) -> str:
        return " ".join(self.cleaned_data["legal_name"].split())

    def clean_dba_name(self) -> str:
        return " ".join(self.cleaned_data["dba_name"].split())

    def clean_postal_code(self) -> str:
        value = self.cleaned_data["postal_code"]
        return normalise_zip_code(value) if value else ""

    def clean(self):
        cleaned = super().clean()
        # "No" beside a description contradicts itself; which one is true only the importer knows.
        for answer, description in [
            ("has_prior_penalties", "prior_penalties"),
            ("has_open_cases", "open_cases"),
        ]:
            if cleaned.get(answer) is False and cleaned.get(description):
                self.add_error(
                    description,
                    "You answered No: remove this description, or change your answer to Yes.",
                )
        return cleaned
