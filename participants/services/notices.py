"""Notices of violation in lieu of a penalty (19 CFR 163.12(d))."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from certification import deadlines
from certification.events import EventVerb
from certification.letters import content as letter_content
from certification.letters import lifecycle as letter_lifecycle
from certification.models import LetterKind
from participants import eligibility, workflow
from participants.entries import InvalidEntryNumber, normalise_entry_number
from participants.models import (
    CorrectiveAction,
    NoticeOfViolation,
    NoticeStatus,
    Participant,
    ParticipantSettings,
    ParticipantStatus,
)
from recordkeepers.models import User
from recordkeepers.rules import may

IN_THE_PROGRAM = {ParticipantStatus.ACTIVE, ParticipantStatus.REINSTATED}


def notice_eligibility(
    *, participant: Participant, demanded_on: date, willful: bool, today: date | None = None
) -> eligibility.Eligibility:
    """Whether a failure to produce a record demanded on `demanded_on` gets a notice instead of a
    penalty, from the data (`participants.eligibility` says why, condition by condition)."""
    today = today or timezone.localdate()
    settings = ParticipantSettings.current()
    since = deadlines.window_start(today=demanded_on, window_days=settings.repeat_window_days)
    earlier = participant.notices.filter(demanded_on__gte=since, demanded_on__lte=demanded_on)
    overdue_actions = CorrectiveAction.objects.filter(
        report__participant=participant, responded_at=None, due__lt=today
    ).count()
    overdue_answers = participant.notices.filter(
        status=NoticeStatus.ISSUED, response_due__lt=today
    ).count()
    return eligibility.decide(
        eligibility.Facts(
            active=participant.status in IN_THE_PROGRAM,
            status_label=participant.get_status_display(),
            willful=willful,
            earlier_failures=earlier.count(),
            repeat_after=settings.repeat_after,
            window_days=settings.repeat_window_days,
            overdue_corrective_actions=overdue_actions,
            overdue_notice_answers=overdue_answers,
        )
    )


@transaction.atomic
def notice_record_failure(
    *,
    participant: Participant,
    actor: User,
    entry_number: str,
    record_demanded: str,
    demanded_on: date,
    willful: bool,
) -> NoticeOfViolation:
    """CBP records a participant's failure to produce a demanded record. The service decides
    from the data whether the program's benefit applies: if so, the notice is issued with its
    letter and the participant has `notice_response_days` to answer; if not, the record says why,
    and any penalty is CBP's business outside the service."""
    if not may(actor, "participants.handle_report", participant):
        raise PermissionDenied("Only CBP staff who may see this participant record failures.")
    try:
        entry = normalise_entry_number(entry_number)
    except InvalidEntryNumber as error:
        raise ValidationError({"entry_number": str(error)}) from error
    today = timezone.localdate()
    if demanded_on > today:
        raise ValidationError({"demanded_on": "The day of the demand cannot be in the future."})
    if demanded_on < participant.certified_on:
        raise ValidationError(
            {"demanded_on": "A demand before the certification is outside the program."}
        )
    if not record_demanded.strip():
        raise ValidationError({"record_demanded": "Say which record was demanded."})
    decided = notice_eligibility(
        participant=participant, demanded_on=demanded_on, willful=willful, today=today
    )
    notice = NoticeOfViolation(
        participant=participant,
        entry_number=entry,
        record_demanded=record_demanded.strip(),
        demanded_on=demanded_on,
        willful=willful,
        recorded_by=actor,
        eligible=decided.eligible,
        eligibility=[c.as_dict() for c in decided.conditions],
        status=NoticeStatus.ISSUED if decided.eligible else NoticeStatus.NOT_ELIGIBLE,
    )
    if decided.eligible:
        notice.issued_on = today
        notice.response_due = deadlines.notice_response_due(
            issued=today, window_days=ParticipantSettings.current().notice_response_days
        )
    notice.save()
    if decided.eligible:
        notice.letter = letter_lifecycle.letter_create(
            application=participant.application,
            kind=LetterKind.NOTICE_OF_VIOLATION,
            context=notice_letter_context(notice),
            issued_by=actor,
        )
        notice.save(update_fields=["letter"])
    workflow.record_event(
        participant=participant,
        actor=actor,
        verb=EventVerb.NOTICE_ISSUED if decided.eligible else EventVerb.FAILURE_RECORDED,
        data={
            "notice": notice.pk,
            "eligible": decided.eligible,
            "unmet": [c.condition for c in decided.unmet],
        },
        path=workflow.notice_path(notice),
    )
    return notice


def notice_letter_context(notice: NoticeOfViolation) -> dict[str, str | list]:
    """The notice's placeholders: the three contents 19 CFR 163.12(d) requires, and the dates."""
    assert notice.response_due is not None and notice.issued_on is not None
    participant = notice.participant
    return letter_content.common_context(participant.application, notice.issued_on) | {
        "violation_statement": letter_content.violation_statement(participant.legal_name),
        "entry_number": notice.entry_number,
        "record_demanded": notice.record_demanded,
        "demanded_on": letter_content.letter_day(notice.demanded_on),
        "future_failures_warning": letter_content.FUTURE_FAILURES_WARNING,
        "response_due": letter_content.letter_day(notice.response_due),
    }


@transaction.atomic
def notice_answer(*, notice: NoticeOfViolation, actor: User, response: str) -> NoticeOfViolation:
    """The participant tells CBP the steps it has taken to prevent recurrence."""
    if not response.strip():
        raise ValidationError({"response": "Say what you have done to prevent it happening again."})
    workflow.notice_transition(
        notice=notice,
        actor=actor,
        move_name="answer",
        response=response.strip(),
        responded_by=actor,
        responded_at=timezone.now(),
    )
    return notice


@transaction.atomic
def notice_close(*, notice: NoticeOfViolation, actor: User) -> NoticeOfViolation:
    workflow.notice_transition(notice=notice, actor=actor, move_name="close")
    return notice


def removal_suggested(*, participant: Participant, today: date | None = None) -> bool:
    """Whether repeated violations suggest CBP consider removal (163.13(c)(1)(iii)): more failures
    to produce within the window than make a violation repeated. A suggestion shown to staff,
    never a removal."""
    today = today or timezone.localdate()
    settings = ParticipantSettings.current()
    since = deadlines.window_start(today=today, window_days=settings.repeat_window_days)
    return participant.notices.filter(demanded_on__gte=since).count() > settings.repeat_after
