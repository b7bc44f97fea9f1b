"""Permission predicates about people and organisations.

Later apps compose these (an application is visible to members of its organisation and to staff who
may review it). Each predicate takes (user, object) and returns a bool.
"""

from typing import cast

import rules
from django.contrib.auth.models import AnonymousUser
from rules import Predicate

from recordkeepers.models import Membership, Organisation, StaffRole, User


def _in_group(role: StaffRole) -> Predicate:
    # rules annotates is_group_member as returning a plain callable; it returns a Predicate, which is
    # what lets the roles combine with `|` below.
    return cast(Predicate, rules.is_group_member(role.value))


is_reviewer = _in_group(StaffRole.REVIEWER)
is_supervisor = _in_group(StaffRole.SUPERVISOR)
is_cbp_admin = _in_group(StaffRole.ADMIN)
# Decides appeals of denials and removals (19 CFR 163.13(d)), never one they decided themselves.
is_appeals_official = _in_group(StaffRole.APPEALS_OFFICIAL)
is_cbp_staff = is_reviewer | is_supervisor | is_cbp_admin | is_appeals_official


def membership_of(user: User | AnonymousUser) -> Membership | None:
    """The person's membership, loaded once per user object: a person belongs to at most one
    organisation, and a request checks it several times (view, selector, service). A user object
    loaded before a membership changed keeps the old answer; each request loads a fresh one."""
    if isinstance(user, AnonymousUser):
        return None
    try:
        return user.membership
    except Membership.DoesNotExist:
        return None


def _membership_in(
    user: User | AnonymousUser, organisation: Organisation | None
) -> Membership | None:
    membership = membership_of(user)
    if organisation is None or membership is None:
        return None
    return membership if membership.organisation_id == organisation.pk else None


@rules.predicate
def is_organisation_member(user: User | AnonymousUser, organisation: Organisation | None) -> bool:
    return _membership_in(user, organisation) is not None


@rules.predicate
def is_organisation_owner(user: User | AnonymousUser, organisation: Organisation | None) -> bool:
    membership = _membership_in(user, organisation)
    return membership is not None and membership.is_owner


rules.add_perm("recordkeepers.view_organisation", is_organisation_member | is_cbp_staff)
rules.add_perm("recordkeepers.manage_members", is_organisation_owner)


def may(user: User | AnonymousUser, permission: str, obj: object = None) -> bool:
    """Whether `user` may do `permission` to `obj`, asked of the rules alone. Django's
    `user.has_perm` answers True to every permission for an active superuser, and a CBP admin is
    often one (for the Django admin); but the program's moves are each its own people's: an
    organisation's (editing and signing its application, answering CBP's questions, its members,
    its reports) or a role's (a reviewer scores what is theirs, a supervisor decides), and an
    admin takes none of them. Every action of the program asks `may`, never `has_perm`."""
    return rules.has_perm(permission, user, obj)
