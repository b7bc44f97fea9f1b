"""Permission predicates about people and organisations.

Later apps compose these (an application is visible to members of its organisation and to staff who
may review it). Each predicate takes (user, object) and returns a bool.
"""

import rules

from recordkeepers.models import Membership, Organisation, StaffRole

is_reviewer = rules.is_group_member(StaffRole.REVIEWER.value)
is_supervisor = rules.is_group_member(StaffRole.SUPERVISOR.value)
is_cbp_admin = rules.is_group_member(StaffRole.ADMIN.value)
is_cbp_staff = is_reviewer | is_supervisor | is_cbp_admin


@rules.predicate
def is_organisation_member(user, organisation: Organisation | None) -> bool:
    if organisation is None or not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, organisation=organisation).exists()


@rules.predicate
def is_organisation_owner(user, organisation: Organisation | None) -> bool:
    if organisation is None or not user.is_authenticated:
        return False
    return Membership.objects.filter(
        user=user, organisation=organisation, role=Membership.Role.OWNER
    ).exists()


@rules.predicate
def is_recordkeeper(user) -> bool:
    """Signed in and belonging to an organisation."""
    return user.is_authenticated and Membership.objects.filter(user=user).exists()


rules.add_perm("recordkeepers.view_organisation", is_organisation_member | is_cbp_staff)
rules.add_perm("recordkeepers.manage_members", is_organisation_owner)
