"""The status moves of an application: one table of what is allowed, one service per move.

Every move runs in one transaction: check the actor's role and the current state against the table,
update by compare-and-set on (status, version), write exactly one Event, and schedule side effects
with transaction.on_commit. Nothing else writes `Application.status`.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.utils import timezone

from certification.errors import StaleApplication, TransitionNotAllowed
from certification.events import EventVerb
from certification.models import (
    AWAITING_CBP_STATUSES,
    Application,
    ApplicationStatus,
    Event,
)
from certification.notifications.services import notify
from common import cache_versions
from recordkeepers.models import User
from recordkeepers.rules import is_appeals_official, is_reviewer, is_supervisor, membership_of

S = ApplicationStatus


class Role:
    """An actor's relation to one application."""

    OWNER = "owner"  # an owner of the applying organisation
    MEMBER = "member"  # another member of it
    REVIEWER = "reviewer"
    SUPERVISOR = "supervisor"
    APPEALS_OFFICIAL = "appeals_official"  # decides appeals (participants), never their own case


@dataclass(frozen=True)
class Move:
    sources: frozenset[str]
    targets: frozenset[str]
    roles: frozenset[str]
    verb: EventVerb


def _move(
    sources: Iterable[str], targets: Iterable[str], roles: Iterable[str], verb: EventVerb
) -> Move:
    return Move(frozenset(sources), frozenset(targets), frozenset(roles), verb)


UNDECIDED = {S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.INFO_REQUESTED, S.RECOMMENDED}


# The whole state machine. Adding a move means adding a row here and a service below.
MOVES: dict[str, Move] = {
    "submit": _move({S.DRAFT}, {S.SUBMITTED}, {Role.OWNER}, EventVerb.APPLICATION_SUBMITTED),
    "withdraw": _move(
        UNDECIDED, {S.WITHDRAWN}, {Role.OWNER, Role.MEMBER}, EventVerb.APPLICATION_WITHDRAWN
    ),
    "start_review": _move(
        {S.SUBMITTED}, {S.IN_REVIEW}, {Role.REVIEWER, Role.SUPERVISOR}, EventVerb.REVIEW_STARTED
    ),
    "request_information": _move(
        {S.IN_REVIEW}, {S.INFO_REQUESTED}, {Role.REVIEWER}, EventVerb.INFORMATION_REQUESTED
    ),
    "answer_information_request": _move(
        {S.INFO_REQUESTED},
        {S.IN_REVIEW},
        {Role.OWNER, Role.MEMBER},
        EventVerb.INFORMATION_PROVIDED,
    ),
    "recommend": _move(
        {S.IN_REVIEW}, {S.RECOMMENDED}, {Role.REVIEWER}, EventVerb.REVIEW_RECOMMENDED
    ),
    "return_for_rework": _move(
        {S.RECOMMENDED}, {S.IN_REVIEW}, {Role.SUPERVISOR}, EventVerb.RETURNED_FOR_REWORK
    ),
    "decide": _move(
        {S.RECOMMENDED}, {S.CERTIFIED, S.DENIED}, {Role.SUPERVISOR}, EventVerb.APPLICATION_DECIDED
    ),
    # An appeals official reverses a denial on appeal (19 CFR 163.13(d)); the appeal is the
    # participants app's, which checks who decided the denial.
    "certify_on_appeal": _move(
        {S.DENIED}, {S.CERTIFIED}, {Role.APPEALS_OFFICIAL}, EventVerb.CERTIFIED_ON_APPEAL
    ),
}


# The name under which cached reads of the applications' states and assignments (the review
# queue's counts) are versioned: every move, assignment and recusal bumps it.
APPLICATIONS_VERSION = "applications"

# An application waits on CBP in these states: it can be assigned, claimed or reassigned.
AWAITING_CBP = set(AWAITING_CBP_STATUSES)


def actor_role(user: User, application: Application) -> str | None:
    """How `user` relates to `application`, for the purpose of the moves table. "Reviewer" means the
    reviewer assigned to it (see `application_assign`)."""
    if not user.is_authenticated:
        return None
    membership = membership_of(user)
    if membership is not None and membership.organisation_id == application.organisation_id:
        return Role.OWNER if membership.is_owner else Role.MEMBER
    if is_supervisor(user):
        return Role.SUPERVISOR
    if is_appeals_official(user):
        return Role.APPEALS_OFFICIAL
    # A reviewer acts on the applications assigned to them, and on no other.
    if is_reviewer(user) and application.assigned_reviewer_id == user.pk:
        return Role.REVIEWER
    return None


def allowed_moves(*, application: Application, user: User) -> list[str]:
    role = actor_role(user, application)
    return [
        name
        for name, move in MOVES.items()
        if role in move.roles and application.status in move.sources
    ]


def transition(
    *,
    application: Application,
    actor: User,
    move_name: str,
    to: str,
    data: dict | None = None,
    expected_version: int | None = None,
    prepare: Callable[[], dict] | None = None,
) -> Event:
    """Make one move. `prepare`, called once the move is known to be allowed, checks what the move
    itself needs and returns further fields to set with the status."""
    move = MOVES[move_name]
    assert to in move.targets, f"{move_name} cannot lead to {to}"
    role = actor_role(actor, application)
    state = application.get_status_display().lower()
    if role not in move.roles:
        raise PermissionDenied(
            f"{actor} ({role or 'no role'}) may not {move_name.replace('_', ' ')} "
            f"an application that is {state}."
        )
    if application.status not in move.sources:
        raise TransitionNotAllowed(
            f"An application that is {state} cannot be {move_name.replace('_', ' ')} "
            f"(asked by {actor}, {role})."
        )
    fields = prepare() if prepare else {}
    version = application.version if expected_version is None else expected_version
    updated = Application.objects.filter(
        pk=application.pk, status=application.status, version=version
    ).update(status=to, version=F("version") + 1, updated_at=timezone.now(), **fields)
    if updated != 1:
        raise StaleApplication()
    cache_versions.bump(APPLICATIONS_VERSION)
    event = Event.objects.record(
        application=application,
        actor=actor,
        verb=move.verb,
        from_status=application.status,
        to_status=to,
        data=data,
    )
    application.refresh_from_db()
    notify(event=event)
    return event
