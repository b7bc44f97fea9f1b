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
from certification.models import Event
from certification.notifications.services import notify
from participants.access import is_participant_member, staff_may_see_participant
from participants.models import ComplianceReport, Participant, ReportStatus
from recordkeepers.models import User

R = ReportStatus


class Role:
    """An actor's relation to a participant's record."""

    PARTICIPANT = "participant"  # a member of the participant's organisation
    CBP = "cbp"  # CBP staff who may see the participant


@dataclass(frozen=True)
class Move:
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    verb: EventVerb


def _move(sources: set[str], target: str, roles: set[str], verb: EventVerb) -> Move:
    return Move(frozenset(sources), target, frozenset(roles), verb)


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


def actor_role(user: User, participant: Participant) -> str | None:
    if is_participant_member(user, participant):
        return Role.PARTICIPANT
    if staff_may_see_participant(user, participant):
        return Role.CBP
    return None


def allowed_report_moves(*, report: ComplianceReport, user: User) -> list[str]:
    role = actor_role(user, report.participant)
    return [
        name
        for name, move in REPORT_MOVES.items()
        if role in move.roles and report.status in move.sources
    ]


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
    """Make one move of a report, after checking the actor's role and the report's state against
    the table; the event and its messages are written in the caller's transaction."""
    move = REPORT_MOVES[move_name]
    role = actor_role(actor, report.participant)
    words = move_name.replace("_", " ")
    if role not in move.roles:
        raise PermissionDenied(f"{actor} may not {words} on this report.")
    if report.status not in move.sources:
        state = report.get_status_display().lower()
        raise TransitionNotAllowed(
            f"A report that is {state.split(',')[0]} cannot be moved on: {words}."
        )
    before = report.status
    compare_and_set(report, status=move.target, **fields)
    return record_event(
        participant=report.participant,
        actor=actor,
        verb=move.verb,
        data={"report": report.pk, "from": before, "to": move.target} | (data or {}),
        path=report_path(report),
    )


def record_event(
    *, participant: Participant, actor: User, verb: EventVerb, data: dict, path: str
) -> Event:
    """One event on the certified application's timeline, and its messages (the organisation's
    link leading to `path`)."""
    event = Event.objects.record(
        application=participant.application, actor=actor, verb=verb, data=data
    )
    notify(event=event, applicant_path=path)
    return event


def report_path(report: ComplianceReport) -> str:
    return reverse("participants:report", args=[report.pk])
