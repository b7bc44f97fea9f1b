"""The app's forms, one module a concept, re-exported for `ACCOUNT_FORMS` and the other apps."""

from recordkeepers.forms.accounts import (
    InvitationAcceptForm,
    InvitationForm,
    OrganisationForm,
    SignupForm,
)
from recordkeepers.forms.fields import CountField, LinesField, MoneyField
from recordkeepers.forms.profile import BusinessProfileForm

__all__ = [
    "BusinessProfileForm",
    "CountField",
    "InvitationAcceptForm",
    "InvitationForm",
    "LinesField",
    "MoneyField",
    "OrganisationForm",
    "SignupForm",
]
