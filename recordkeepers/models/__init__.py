"""Who applies: people, their organisations, memberships and invitations, and CBP staff roles.

One module a concept; everything is re-exported here because Django, the migrations
(`recordkeepers.models.UserManager`) and the other apps import from `recordkeepers.models`.
"""

from recordkeepers.models.choices import US_STATES, ImporterType, RiskFlag, SizeClass
from recordkeepers.models.organisations import Organisation
from recordkeepers.models.people import (
    Invitation,
    Membership,
    StaffRole,
    User,
    UserManager,
)

__all__ = [
    "US_STATES",
    "ImporterType",
    "Invitation",
    "Membership",
    "Organisation",
    "RiskFlag",
    "SizeClass",
    "StaffRole",
    "User",
    "UserManager",
]
