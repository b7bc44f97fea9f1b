"""Joining the service: signing up with an organisation, registering one, invitations."""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth import password_validation
from django.db import transaction

from recordkeepers.models import User
from recordkeepers.services import organisation_register


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
        organisation_register(actor=user, legal_name=self.cleaned_data["organisation_legal_name"])


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
