"""The app's forms, one module a concept, re-exported for `ACCOUNT_FORMS` and the other apps."""

from recordkeepers.forms.accounts import (
    InvitationAcceptForm,
    InvitationForm,
    OrganisationForm,
    SignupForm,
)
from recordkeepers.forms.fields import LinesField
from recordkeepers.forms.profile import BusinessProfileForm

__all__ = [
    "BusinessProfileForm",
    "InvitationAcceptForm",
    "InvitationForm",
    "LinesField",
    "OrganisationForm",
    "SignupForm",
]
