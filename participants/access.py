"""Who may see a participant and its records: one rule, for the register, every page and every
download, written as a predicate and as a query side by side (as `reviews.access` is for
applications).

- The participant's own organisation: its members.
- CBP admins, supervisors and appeals officials: every participant (an appeals official decides
  the appeals; the appeal's own rule keeps them off a case they decided).
- A reviewer: every participant with which no link is detected (a membership, a shared non-public
  email domain: `recordkeepers.conflicts`), the same conflict rule the review queue applies.
- Nobody else. Another organisation's participant is simply not found (404).
"""

import rules
from django.db.models import QuerySet

from participants.models import Participant
from recordkeepers.conflicts import conflict_links, linked_organisations
from recordkeepers.models import User
from recordkeepers.rules import (
    is_appeals_official,
    is_cbp_admin,
    is_reviewer,
    is_supervisor,
    membership_of,
)


def _sees_every_participant(user: User) -> bool:
    return (
        user.is_superuser or is_cbp_admin(user) or is_supervisor(user) or is_appeals_official(user)
    )


@rules.predicate
def is_participant_member(user: User, participant: Participant | None) -> bool:
    membership = membership_of(user)
    return (
        participant is not None
        and membership is not None
        and membership.organisation_id == participant.organisation_id
    )


@rules.predicate
def staff_may_see_participant(user: User, participant: Participant | None) -> bool:
    if participant is None or not user.is_authenticated:
        return False
    if _sees_every_participant(user):
        return True
    if not is_reviewer(user):
        return False
    return not conflict_links(reviewer=user, organisation=participant.organisation)


def participants_visible_to_staff(*, user: User) -> QuerySet[Participant]:
    """Every participant `user` may see on CBP's side under the rule above, as one query."""
    if _sees_every_participant(user):
        return Participant.objects.all()
    if not is_reviewer(user):
        return Participant.objects.none()
    return Participant.objects.exclude(linked_organisations(user=user))


# Who acts for CBP on a participant's records: its reviewers and supervisors, among those who may
# see it. Admins and appeals officials see participants but do not act on them (an appeals
# official decides appeals only).
acts_for_cbp = (is_reviewer | is_supervisor) & staff_may_see_participant

rules.add_perm("participants.view_participant", is_participant_member | staff_may_see_participant)
# Participants report; CBP acknowledges, asks for corrective action and closes.
rules.add_perm("participants.file_report", is_participant_member)
rules.add_perm("participants.handle_report", acts_for_cbp)
