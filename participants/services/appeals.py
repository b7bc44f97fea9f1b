"""Appeals of a denial or a removal (19 CFR 163.13(d)): filed by the recordkeeper within the window,
decided by an appeals official who did not decide the original case; a denial's appeal may be
delayed with a notice of the reasons and the expected date; the outcome upholds or reverses, with
a letter, and a reversed removal reinstates the participant."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from certification import deadlines
from certification import workflow as certification_workflow
from certification.events import EventVerb
from certification.evidence.checks import sha256_of, validate_upload
from certification.letters import content as letter_content
from certification.letters import lifecycle as letter_lifecycle
from certification.models import Application, ApplicationStatus, Decision, LetterKind
from participants import workflow
from participants.models import (
    Appeal,
    AppealFile,
    AppealKind,
    AppealStatus,
    Participant,
    ParticipantStatus,
    Removal,
    RemovalStatus,
)
from participants.services.register import participant_register
from participants.services.removals import participant_move
from recordkeepers.models import User
from recordkeepers.rules import membership_of

A = AppealStatus
# The days an appeal is decided within, after receipt (163.13(d)).
DECISION_DAYS = 30


def appeal_path(appeal: Appeal) -> str:
    return reverse("participants:appeal", args=[appeal.pk])


def _record(appeal: Appeal, *, actor: User, verb: EventVerb, data: dict) -> None:
    """An appeal's event, on the application's timeline, with its messages."""
    workflow.record_application_event(
        application=appeal.application,
        actor=actor,
        verb=verb,
        data={"appeal": appeal.pk} | data,
        path=appeal_path(appeal),
    )


@dataclass(frozen=True)
class OpenToAppeal:
    """A decision the organisation may appeal now: a denial, or a removal (with its record)."""

    kind: str
    deadline: date
    decided_by: User
    removal: Removal | None = None


def appealable(*, application: Application, today: date | None = None) -> OpenToAppeal | None:
    """What the organisation may appeal now about `application`, if anything: its denial, or its
    certification's removal, within the window and not appealed yet."""
    today = today or timezone.localdate()
    if application.status == ApplicationStatus.DENIED:
        decision = Decision.objects.filter(application=application).first()
        if (
            decision is not None
            and decision.appeal_deadline is not None
            and today <= decision.appeal_deadline
            and not Appeal.objects.filter(application=application, kind=AppealKind.DENIAL).exists()
        ):
            return OpenToAppeal(AppealKind.DENIAL, decision.appeal_deadline, decision.decided_by)
        return None
    removal = (
        Removal.objects.filter(
            participant__application=application,
            status__in=[RemovalStatus.ISSUED, RemovalStatus.EFFECTIVE],
            appeal_deadline__gte=today,
            appeal__isnull=True,
        )
        .select_related("decided_by")
        .order_by("-pk")
        .first()
    )
    if removal is None or removal.appeal_deadline is None or removal.decided_by is None:
        return None
    return OpenToAppeal(AppealKind.REMOVAL, removal.appeal_deadline, removal.decided_by, removal)


def appeal_file(
    *,
    application: Application,
    actor: User,
    statement: str,
    uploads: Sequence[File] = (),
) -> Appeal:
    """The appeal and its files, in one transaction: a file refused (its type, its size) refuses
    the appeal, naming the file, and nothing is kept; a stored file whose appeal is not saved is
    removed."""
    stored: list[str] = []
    try:
        with transaction.atomic():
            appeal = _appeal_file(application=application, actor=actor, statement=statement)
            total = 0
            for upload in uploads:
                checked = validate_upload(upload, already_stored_bytes=total)
                total += checked.size
                record = AppealFile(
                    appeal=appeal,
                    original_name=checked.name,
                    content_type=checked.content_type,
                    size=checked.size,
                    sha256=sha256_of(upload),
                    uploaded_by=actor,
                )
                record.file.save(f"{uuid.uuid4().hex}{checked.extension}", upload, save=False)
                stored.append(record.file.name or "")
                record.save()
    except BaseException:
        for name in stored:
            AppealFile.file.field.storage.delete(name)
        raise
    return appeal


def _appeal_file(*, application: Application, actor: User, statement: str) -> Appeal:
    """The recordkeeper appeals the denial or the removal open to appeal; it must be received
    within the window (30 calendar days after the notice's issuance, a setting), on CBP's
    calendar. Appeals officials are told."""
    membership = membership_of(actor)
    if membership is None or membership.organisation_id != application.organisation_id:
        raise PermissionDenied("Only the organisation's people appeal its decisions.")
    if not statement.strip():
        raise ValidationError({"statement": "Say why the decision should change."})
    today = deadlines.cbp_day(timezone.now())
    open_to = appealable(application=application, today=today)
    if open_to is None:
        raise ValidationError(
            "There is nothing to appeal: the time to appeal has passed, or an appeal was filed."
        )
    appeal = Appeal.objects.create(
        application=application,
        kind=open_to.kind,
        removal=open_to.removal,
        statement=statement.strip(),
        filed_by=actor,
        received_on=today,
        decision_due=deadlines.appeal_decision_due(received=today, window_days=DECISION_DAYS),
        original_decider=open_to.decided_by,
    )
    _record(
        appeal,
        actor=actor,
        verb=EventVerb.APPEAL_FILED,
        data={"kind": open_to.kind, "decision_due": appeal.decision_due.isoformat()},
    )
    return appeal


def _check(appeal: Appeal, actor: User, move_name: str, to: str) -> None:
    participant = Participant.objects.filter(application=appeal.application).first()
    roles = workflow.actor_roles(actor, participant, appeal.application.organisation_id)
    workflow.check_move(
        workflow.APPEAL_MOVES, move_name, status=appeal.status, roles=roles, what="appeal", to=to
    )
    if actor.pk == appeal.original_decider_id:
        raise PermissionDenied(
            "You decided the original case: another appeals official decides the appeal."
        )


def _appeal_common(appeal: Appeal, dated: date) -> dict[str, str | list]:
    subject = (
        "the denial of your application"
        if appeal.kind == AppealKind.DENIAL
        else "the removal of your certification"
    )
    return letter_content.common_context(appeal.application, dated) | {
        "appeal_subject": subject,
        "appeal_received_on": letter_content.letter_day(appeal.received_on),
    }


@transaction.atomic
def appeal_delay(*, appeal: Appeal, actor: User, reasons: str, expected: date) -> Appeal:
    """A denial's appeal is decided within 30 days unless circumstances require a delay: the
    appellant gets a notice of the reasons and the expected date (163.13(d))."""
    if appeal.kind != AppealKind.DENIAL:
        raise ValidationError(
            "A removal's appeal is decided within 30 days after receipt: it cannot be delayed."
        )
    errors = {}
    if not reasons.strip():
        errors["reasons"] = "Say why the decision is delayed: the appellant is told."
    if expected <= appeal.decision_due:
        errors["expected"] = "A delay's expected date is after the decision's due date."
    if errors:
        raise ValidationError(errors)
    _check(appeal, actor, "delay", A.DELAYED)
    workflow.compare_and_set(
        appeal, status=A.DELAYED, delay_reasons=reasons.strip(), expected_decision_date=expected
    )
    today = timezone.localdate()
    appeal.delay_letter = letter_lifecycle.letter_create(
        application=appeal.application,
        kind=LetterKind.APPEAL_DELAY,
        context=_appeal_common(appeal, today)
        | {
            "delay_reasons": [line for line in reasons.strip().splitlines() if line.strip()],
            "expected_decision_date": letter_content.letter_day(expected),
        },
        issued_by=actor,
    )
    appeal.save(update_fields=["delay_letter"])
    _record(
        appeal,
        actor=actor,
        verb=workflow.APPEAL_MOVES["delay"].verb,
        data={"expected": expected.isoformat()},
    )
    return appeal


def _outcome_statement(appeal: Appeal, outcome: str) -> str:
    if appeal.kind == AppealKind.DENIAL:
        return (
            "The appeal succeeds: the denial is reversed and your organization is certified in "
            "the Recordkeeping Compliance Program. A certification letter follows."
            if outcome == A.REVERSED
            else "The appeal does not succeed: the denial stands. You may apply again when you "
            "can show that the requirements are met."
        )
    return (
        "The appeal succeeds: the removal is reversed and your certification is reinstated. You "
        "are again a participant in the program."
        if outcome == A.REVERSED
        else "The appeal does not succeed: the removal stands and takes effect today."
    )


@transaction.atomic
def appeal_decide(*, appeal: Appeal, actor: User, outcome: str, reasons: str) -> Appeal:
    """An appeals official, never the one who decided the original case, upholds or reverses, in
    writing. A reversed removal reinstates the participant; an upheld one takes effect now; a
    reversed denial certifies the application."""
    if outcome not in (A.UPHELD, A.REVERSED):
        raise ValidationError({"outcome": "Choose whether the decision stands or is reversed."})
    if not reasons.strip():
        raise ValidationError({"reasons": "Give the reasons for the decision on the appeal."})
    _check(appeal, actor, "decide", outcome)
    today = timezone.localdate()
    workflow.compare_and_set(
        appeal, status=outcome, decided_by=actor, decided_on=today, reasons=reasons.strip()
    )
    appeal.letter = letter_lifecycle.letter_create(
        application=appeal.application,
        kind=LetterKind.APPEAL_DECISION,
        context=_appeal_common(appeal, today)
        | {
            "decision_date": letter_content.letter_day(today),
            "outcome_statement": _outcome_statement(appeal, outcome),
            "appeal_reasons": [line for line in reasons.strip().splitlines() if line.strip()],
        },
        issued_by=actor,
    )
    appeal.save(update_fields=["letter"])
    _record(
        appeal,
        actor=actor,
        verb=workflow.APPEAL_MOVES["decide"].verb,
        data={"kind": appeal.kind, "outcome": outcome},
    )
    if appeal.kind == AppealKind.REMOVAL:
        _removal_after_appeal(appeal, actor=actor, outcome=outcome, today=today)
    elif outcome == A.REVERSED:
        application = appeal.application
        certification_workflow.application_certify_on_appeal(
            application=application, actor=actor, appeal=appeal.pk
        )
        participant_register(decision=application.decision, on_appeal=True)
    return appeal


def _removal_after_appeal(appeal: Appeal, *, actor: User, outcome: str, today: date) -> None:
    removal: Removal | None = appeal.removal
    assert removal is not None
    participant = removal.participant
    participant.refresh_from_db()
    roles = {workflow.Role.APPEALS}
    if outcome == A.REVERSED:
        workflow.compare_and_set(removal, status=RemovalStatus.REVERSED)
        participant_move(
            participant,
            actor=actor,
            move_name="reinstate",
            to=ParticipantStatus.REINSTATED,
            roles=roles,
            data={"removal": removal.pk, "appeal": appeal.pk},
        )
        return
    if removal.status == RemovalStatus.ISSUED:
        assert removal.appeal_deadline is not None
        effective = deadlines.removal_effective_on(
            decided=removal.decided_on or today,
            immediate=False,
            notice_received=removal.notice_received_on,
            appeal_deadline=removal.appeal_deadline,
            appeal_received=appeal.received_on,
            appeal_upheld_on=today,
        )
        workflow.compare_and_set(removal, status=RemovalStatus.EFFECTIVE, effective_on=effective)
    if participant.status != ParticipantStatus.REMOVED:
        participant_move(
            participant,
            actor=actor,
            move_name="take_effect",
            to=ParticipantStatus.REMOVED,
            roles=roles,
            data={"removal": removal.pk, "appeal": appeal.pk},
        )
