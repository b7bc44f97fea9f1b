"""The status moves after certification: one table of what is allowed for each kind of record, one
service per move (in `participants.services`), each a compare-and-set on (status, version) that
writes exactly one event on the certified application's timeline and tells whoever it concerns.
Nothing else writes a participant's or a report's `status`.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import F
from django.urls import reverse

from certification.errors import StaleApplication, TransitionNotAllowed
from certification.events import EventVerb
from certification.models import Application, Event
from certification.notifications.services import notify
from participants.access import acts_for_cbp
from participants.models import (
    AppealStatus,
    ComplianceReport,
    NoticeOfViolation,
    NoticeStatus,
    Participant,
    ParticipantStatus,
    RemovalStatus,
    ReportStatus,
)
from recordkeepers.models import User
from recordkeepers.rules import is_appeals_official, is_supervisor, membership_of

R = ReportStatus
N = NoticeStatus
P = ParticipantStatus
M = RemovalStatus
A = AppealStatus


class Role:
    """An actor's relations to a participant's record (a person may have several)."""

    PARTICIPANT = "participant"  # a member of the participant's (or applicant's) organisation
    CBP = "cbp"  # CBP staff who may see the participant
    SUPERVISOR = "supervisor"  # decides removals (four eyes: never the proposer)
    APPEALS = "appeals"  # an appeals official: decides appeals, never their own case
    SWEEP = "sweep"  # the periodic task, for what the calendar decides (a removal taking effect)


@dataclass(frozen=True)
class Move:
    sources: frozenset[str]
    targets: frozenset[str]
    roles: frozenset[str]
    verb: EventVerb


def _move(sources: set[str], targets: str | set[str], roles: set[str], verb: EventVerb) -> Move:
    return Move(
        frozenset(sources),
        frozenset({targets} if isinstance(targets, str) else targets),
        frozenset(roles),
        verb,
    )


# A report's whole life. Adding a move means adding a row here and a service.
REPORT_MOVES: dict[str, Move] = {
    "acknowledge": _move({R.FILED}, R.ACKNOWLEDGED, {Role.CBP}, EventVerb.REPORT_ACKNOWLEDGED),
    "request_corrective_action": _move(
        {R.FILED, R.ACKNOWLEDGED, R.ACTION_TAKEN},
        R.ACTION_REQUESTED,
        {Role.CBP},
        EventVerb.CORRECTIVE_ACTION_REQUESTED,
    ),
    "report_corrective_action": _move(
        {R.ACTION_REQUESTED}, R.ACTION_TAKEN, {Role.PARTICIPANT}, EventVerb.CORRECTIVE_ACTION_TAKEN
    ),
    "close": _move(
        {R.FILED, R.ACKNOWLEDGED, R.ACTION_TAKEN}, R.CLOSED, {Role.CBP}, EventVerb.REPORT_CLOSED
    ),
}


# A notice's life after it is recorded (issued, or not eligible): the participant answers, CBP
# closes.
NOTICE_MOVES: dict[str, Move] = {
    "answer": _move({N.ISSUED}, N.ANSWERED, {Role.PARTICIPANT}, EventVerb.NOTICE_ANSWERED),
    "close": _move({N.ISSUED, N.ANSWERED}, N.CLOSED, {Role.CBP}, EventVerb.NOTICE_CLOSED),
}

# A participant's standing in the program (19 CFR 163.13(c), (d)).
PARTICIPANT_MOVES: dict[str, Move] = {
    "propose_removal": _move(
        {P.ACTIVE, P.REINSTATED}, P.REMOVAL_PROPOSED, {Role.CBP}, EventVerb.REMOVAL_PROPOSED
    ),
    "decline_removal": _move(
        {P.REMOVAL_PROPOSED},
        {P.ACTIVE, P.REINSTATED},
        {Role.SUPERVISOR},
        EventVerb.REMOVAL_DECLINED,
    ),
    # Issuing the notice leaves the participant's status as proposed until the removal takes effect
    # (at once, for willfulness or public health, interest or safety: then `take_effect` follows).
    "take_effect": _move(
        {P.REMOVAL_PROPOSED},
        P.REMOVED,
        {Role.SUPERVISOR, Role.APPEALS, Role.SWEEP},
        EventVerb.REMOVAL_EFFECTIVE,
    ),
    "reinstate": _move(
        {P.REMOVAL_PROPOSED, P.REMOVED}, P.REINSTATED, {Role.APPEALS}, EventVerb.REINSTATED
    ),
}

# A removal's own record.
REMOVAL_MOVES: dict[str, Move] = {
    "issue": _move(
        {M.PROPOSED}, {M.ISSUED, M.EFFECTIVE}, {Role.SUPERVISOR}, EventVerb.REMOVAL_ISSUED
    ),
    "decline": _move({M.PROPOSED}, M.DECLINED, {Role.SUPERVISOR}, EventVerb.REMOVAL_DECLINED),
}

# An appeal's life (19 CFR 163.13(d)).
APPEAL_MOVES: dict[str, Move] = {
    "delay": _move({A.RECEIVED}, A.DELAYED, {Role.APPEALS}, EventVerb.APPEAL_DELAYED),
    "decide": _move(
        {A.RECEIVED, A.DELAYED}, {A.UPHELD, A.REVERSED}, {Role.APPEALS}, EventVerb.APPEAL_DECIDED
    ),
}


def actor_roles(user: User, participant: Participant | None, organisation_id: int) -> set[str]:
    """Every relation `user` has to the record of `organisation_id` (and its participant)."""
    roles: set[str] = set()
    membership = membership_of(user)
    if membership is not None and membership.organisation_id == organisation_id:
        roles.add(Role.PARTICIPANT)
    if is_appeals_official(user):
        roles.add(Role.APPEALS)
    if participant is not None and acts_for_cbp(user, participant):
        roles.add(Role.CBP)
        if is_supervisor(user):
            roles.add(Role.SUPERVISOR)
    return roles


def actor_role(user: User, participant: Participant) -> str | None:
    """The one relation the report and notice moves check: participant, or CBP."""
    roles = actor_roles(user, participant, participant.organisation_id)
    if Role.PARTICIPANT in roles:
        return Role.PARTICIPANT
    return Role.CBP if Role.CBP in roles else None


def allowed_report_moves(*, report: ComplianceReport, user: User) -> list[str]:
    return _allowed(REPORT_MOVES, report.status, actor_role(user, report.participant))


def allowed_notice_moves(*, notice: NoticeOfViolation, user: User) -> list[str]:
    return _allowed(NOTICE_MOVES, notice.status, actor_role(user, notice.participant))


def _allowed(moves: dict[str, Move], status: str, role: str | None) -> list[str]:
    return [name for name, move in moves.items() if role in move.roles and status in move.sources]


def check_move(
    moves: dict[str, Move], move_name: str, *, status: str, roles: set[str], what: str, to: str
) -> Move:
    """The move, if `roles` may make it from `status` to `to`; otherwise PermissionDenied or
    TransitionNotAllowed, saying why."""
    move = moves[move_name]
    words = move_name.replace("_", " ")
    if not roles & move.roles:
        raise PermissionDenied(f"You may not {words} on this {what}.")
    if status not in move.sources:
        raise TransitionNotAllowed(f"A {what} that is {status.replace('_', ' ')} cannot: {words}.")
    assert to in move.targets, f"{move_name} cannot lead to {to}"
    return move


def compare_and_set(record: models.Model, *, status: str, **fields: object) -> None:
    """Move `record` (with `status` and `version`) to `status` if nobody changed it since it was
    read; otherwise StaleApplication, and nothing is written."""
    model = type(record)
    updated = model._default_manager.filter(
        pk=record.pk,
        status=record.status,  # type: ignore[attr-defined]
        version=record.version,  # type: ignore[attr-defined]
    ).update(status=status, version=F("version") + 1, **fields)
    if updated != 1:
        raise StaleApplication(
            "This record was changed by someone else since you opened it. Reload the page to see "
            "the latest version; nothing was saved."
        )
    record.refresh_from_db()


def report_transition(
    *,
    report: ComplianceReport,
    actor: User,
    move_name: str,
    data: dict | None = None,
    **fields: object,
) -> Event:
    """Make one move of a report (REPORT_MOVES)."""
    return _transition(
        report,
        participant=report.participant,
        moves=REPORT_MOVES,
        what="report",
        actor=actor,
        move_name=move_name,
        data={"report": report.pk} | (data or {}),
        path=report_path(report),
        fields=fields,
    )


def notice_transition(
    *, notice: NoticeOfViolation, actor: User, move_name: str, **fields: object
) -> Event:
    """Make one move of a notice of violation (NOTICE_MOVES)."""
    return _transition(
        notice,
        participant=notice.participant,
        moves=NOTICE_MOVES,
        what="notice",
        actor=actor,
        move_name=move_name,
        data={"notice": notice.pk},
        path=notice_path(notice),
        fields=fields,
    )


def _transition(
    record: ComplianceReport | NoticeOfViolation,
    *,
    participant: Participant,
    moves: dict[str, Move],
    what: str,
    actor: User,
    move_name: str,
    data: dict,
    path: str,
    fields: dict[str, object],
) -> Event:
    """Check the actor's role and the record's state against the table, move it by
    compare-and-set, and write the event and its messages in the caller's transaction."""
    move = moves[move_name]
    role = actor_role(actor, participant)
    words = move_name.replace("_", " ")
    if role not in move.roles:
        raise PermissionDenied(f"{actor} may not {words} on this {what}.")
    if record.status not in move.sources:
        state = record.get_status_display().lower().split(",")[0]
        raise TransitionNotAllowed(f"A {what} that is {state} cannot be moved on: {words}.")
    (target,) = move.targets
    before = record.status
    compare_and_set(record, status=target, **fields)
    return record_event(
        participant=participant,
        actor=actor,
        verb=move.verb,
        data=data | {"from": before, "to": target},
        path=path,
    )


def record_event(
    *, participant: Participant, actor: User, verb: EventVerb, data: dict, path: str
) -> Event:
    """One event on the certified application's timeline, and its messages (the organisation's
    link leading to `path`)."""
    return record_application_event(
        application=participant.application, actor=actor, verb=verb, data=data, path=path
    )


def record_application_event(
    *, application: Application, actor: User, verb: EventVerb, data: dict, path: str
) -> Event:
    """The same for an application with no participant (a denial under appeal)."""
    event = Event.objects.record(application=application, actor=actor, verb=verb, data=data)
    notify(event=event, applicant_path=path)
    return event


def participant_path(participant: Participant) -> str:
    return reverse("participants:certification")


def report_path(report: ComplianceReport) -> str:
    return reverse("participants:report", args=[report.pk])


def notice_path(notice: NoticeOfViolation) -> str:
    return reverse("participants:notice", args=[notice.pk])
