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


def membership_of(user) -> Membership | None:
    """The person's membership, loaded once per user object: a person belongs to at most one
    organisation, and a request checks it several times (view, selector, service). A user object
    loaded before a membership changed keeps the old answer; each request loads a fresh one."""
    if not user.is_authenticated:
        return None
    try:
        return user.membership
    except Membership.DoesNotExist:
        return None


@rules.predicate
def is_organisation_member(user, organisation: Organisation | None) -> bool:
    membership = membership_of(user)
    return (
        organisation is not None
        and membership is not None
        and (membership.organisation_id == organisation.pk)
    )


@rules.predicate
def is_organisation_owner(user, organisation: Organisation | None) -> bool:
    return is_organisation_member(user, organisation) and membership_of(user).is_owner


rules.add_perm("recordkeepers.view_organisation", is_organisation_member | is_cbp_staff)
rules.add_perm("recordkeepers.manage_members", is_organisation_owner)
