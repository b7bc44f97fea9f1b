"""Removal of a participant's certification (19 CFR 163.13(c)): a reviewer proposes on one or more
grounds, a supervisor (never the proposer) declines it or issues the notice with the reasons and
the right to appeal; it takes effect as 163.13(c)(3) says, every date from the deadline engine."""

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from certification import deadlines
from certification.letters import content as letter_content
from certification.letters import lifecycle as letter_lifecycle
from certification.models import LetterKind, WorkloadSettings
from participants import workflow
from participants.models import (
    ImmediateBasis,
    Participant,
    ParticipantStatus,
    Removal,
    RemovalGround,
    RemovalStatus,
)
from recordkeepers.models import User

M = RemovalStatus
P = ParticipantStatus


def participant_move(
    participant: Participant,
    *,
    actor: User,
    move_name: str,
    to: str,
    roles: set[str],
    data: dict,
) -> None:
    move = workflow.check_move(
        workflow.PARTICIPANT_MOVES,
        move_name,
        status=participant.status,
        roles=roles,
        what="participant",
        to=to,
    )
    before = participant.status
    workflow.compare_and_set(participant, status=to, status_changed_at=timezone.now())
    workflow.record_event(
        participant=participant,
        actor=actor,
        verb=move.verb,
        data=data | {"from": before, "to": to},
        path=workflow.participant_path(participant),
    )


def _roles(actor: User, participant: Participant) -> set[str]:
    return workflow.actor_roles(actor, participant, participant.organisation_id)


@transaction.atomic
def removal_propose(
    *,
    participant: Participant,
    actor: User,
    grounds: list[str],
    reasons: str,
    immediate: str = "",
) -> Removal:
    """A reviewer (or supervisor) proposes removal on grounds of 163.13(c)(1); supervisors are
    told. The participant hears nothing until a supervisor issues the notice."""
    errors: dict[str, str] = {}
    if not grounds or set(grounds) - set(RemovalGround.values):
        errors["grounds"] = "Choose at least one ground of 19 CFR 163.13(c)(1)."
    if not reasons.strip():
        errors["reasons"] = "Say, in plain words, why: the letter states it."
    if immediate not in ImmediateBasis.values:
        errors["immediate"] = "Choose when the removal would take effect."
    if errors:
        raise ValidationError(errors)
    if workflow.Role.CBP not in _roles(actor, participant):
        raise PermissionDenied("Only CBP staff who may see this participant propose removal.")
    removal = Removal.objects.create(
        participant=participant,
        grounds=[g for g in RemovalGround.values if g in grounds],
        reasons=reasons.strip(),
        immediate=immediate,
        proposed_by=actor,
        status_before=participant.status,
    )
    participant_move(
        participant,
        actor=actor,
        move_name="propose_removal",
        to=P.REMOVAL_PROPOSED,
        roles=_roles(actor, participant),
        data={"removal": removal.pk, "grounds": removal.grounds},
    )
    return removal


def _check_removal_move(removal: Removal, actor: User, move_name: str, to: str) -> None:
    roles = _roles(actor, removal.participant)
    workflow.check_move(
        workflow.REMOVAL_MOVES, move_name, status=removal.status, roles=roles, what="removal", to=to
    )
    if actor.pk == removal.proposed_by_id:
        raise PermissionDenied("Whoever proposed a removal does not decide it: another supervisor.")


@transaction.atomic
def removal_decline(*, removal: Removal, actor: User, reason: str) -> Removal:
    """A supervisor declines the proposal, saying why; the participant's standing is restored."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the removal is declined."})
    _check_removal_move(removal, actor, "decline", M.DECLINED)
    workflow.compare_and_set(
        removal,
        status=M.DECLINED,
        decided_by=actor,
        decided_on=timezone.localdate(),
        decline_reason=reason.strip(),
    )
    participant = removal.participant
    participant.refresh_from_db()
    participant_move(
        participant,
        actor=actor,
        move_name="decline_removal",
        to=removal.status_before,
        roles=_roles(actor, participant),
        data={"removal": removal.pk, "reason": reason.strip()},
    )
    return removal


def effective_statement(removal: Removal) -> str:
    """When the removal takes effect, in the letter's words (19 CFR 163.13(c)(3))."""
    assert removal.appeal_deadline is not None and removal.decided_on is not None
    if removal.immediate:
        why = (
            "willfulness"
            if removal.immediate == ImmediateBasis.WILLFUL
            else "public health, interest or safety requires it"
        )
        return (
            f"The removal takes effect at once, on {letter_content.letter_day(removal.decided_on)}, "
            f"because {why} (19 CFR 163.13(c)(3)). You may still appeal."
        )
    first_day = deadlines.days_after(removal.appeal_deadline, 1)
    return (
        "The removal takes effect only if no appeal is received by the deadline below, on "
        f"{letter_content.letter_day(first_day)}, or, if you appeal, when the appeal is decided "
        "upholding it (19 CFR 163.13(c)(3)). Until then you remain a participant."
    )


@transaction.atomic
def removal_issue(*, removal: Removal, actor: User) -> Removal:
    """A supervisor, not the proposer, decides to remove: the notice with the reasons and the
    right to appeal is issued (delivered in the service today, so the participant has it today);
    effective at once for willfulness or public health, interest or safety, otherwise when the
    appeal time ends or an appeal upholds it."""
    today = timezone.localdate()
    to = M.EFFECTIVE if removal.immediate else M.ISSUED
    _check_removal_move(removal, actor, "issue", to)
    deadline = deadlines.appeal_deadline(
        issued=today, window_days=WorkloadSettings.current().appeal_days
    )
    effective = deadlines.removal_effective_on(
        decided=today,
        immediate=bool(removal.immediate),
        notice_received=today,
        appeal_deadline=deadline,
        appeal_received=None,
        appeal_upheld_on=None,
    )
    workflow.compare_and_set(
        removal,
        status=to,
        decided_by=actor,
        decided_on=today,
        notice_received_on=today,
        appeal_deadline=deadline,
        effective_on=effective if removal.immediate else None,
    )
    participant = removal.participant
    removal.letter = letter_lifecycle.letter_create(
        application=participant.application,
        kind=LetterKind.REMOVAL,
        context=removal_letter_context(removal),
        issued_by=actor,
    )
    removal.save(update_fields=["letter"])
    workflow.record_event(
        participant=participant,
        actor=actor,
        verb=workflow.REMOVAL_MOVES["issue"].verb,
        data={
            "removal": removal.pk,
            "grounds": removal.grounds,
            "appeal_deadline": deadline.isoformat(),
            "immediate": removal.immediate,
        },
        path=workflow.participant_path(participant),
    )
    if removal.immediate:
        participant.refresh_from_db()
        participant_move(
            participant,
            actor=actor,
            move_name="take_effect",
            to=P.REMOVED,
            roles=_roles(actor, participant),
            data={"removal": removal.pk, "effective_on": today.isoformat()},
        )
    return removal


def _ground_item(ground: str) -> dict[str, str | list[str]]:
    """A ground as the letter lists it: "19 CFR 163.13(c)(1)(iii)", then what it says."""
    numeral, _, words = RemovalGround(ground).label.partition(" ")
    return {"heading": f"19 CFR 163.13(c)(1){numeral}", "lines": [words]}


def removal_letter_context(removal: Removal) -> dict[str, str | list]:
    """The removal's placeholders: its grounds and reasons, when it takes effect, the appeal."""
    assert removal.decided_on is not None and removal.appeal_deadline is not None
    participant = removal.participant
    return letter_content.common_context(participant.application, removal.decided_on) | {
        "decision_date": letter_content.letter_day(removal.decided_on),
        "removal_reasons": [_ground_item(g) for g in removal.grounds]
        + [{"heading": "CBP's reasons", "lines": [removal.reasons]}],
        "effective_statement": effective_statement(removal),
        "appeal_deadline": letter_content.letter_day(removal.appeal_deadline),
        "appeal_addressee": settings.APPEAL_ADDRESSEE,
    }


@transaction.atomic
def removals_take_effect(*, today: date | None = None) -> int:
    """The sweep: a removal issued, with the notice received and no appeal received by its
    deadline, takes effect the day after the deadline (163.13(c)(3)). The event's actor is the
    supervisor who decided it: the calendar, not a person, moves it now."""
    today = today or timezone.localdate()
    done = 0
    waiting = Removal.objects.filter(
        status=M.ISSUED, appeal_deadline__lt=today, appeal__isnull=True
    ).select_related("participant__application", "decided_by")
    for removal in waiting:
        assert removal.appeal_deadline is not None and removal.decided_by is not None
        effective = deadlines.removal_effective_on(
            decided=removal.decided_on or today,
            immediate=False,
            notice_received=removal.notice_received_on,
            appeal_deadline=removal.appeal_deadline,
            appeal_received=None,
            appeal_upheld_on=None,
        )
        workflow.compare_and_set(removal, status=M.EFFECTIVE, effective_on=effective)
        participant = removal.participant
        participant_move(
            participant,
            actor=removal.decided_by,
            move_name="take_effect",
            to=P.REMOVED,
            roles={workflow.Role.SWEEP},
            data={"removal": removal.pk, "effective_on": str(effective)},
        )
        done += 1
    return done
