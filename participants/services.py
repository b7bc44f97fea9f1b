"""Writes after certification: the register's rows, and participants' reports with their
corrective actions. Keyword-only, typed and atomic; they raise PermissionDenied or
ValidationError, and make their status moves through `participants.workflow`."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from certification import deadlines
from certification.events import EventVerb
from certification.letters import content as letter_content
from certification.letters import lifecycle as letter_lifecycle
from certification.models import Decision, LetterKind
from participants import eligibility, workflow
from participants.classification import classify
from participants.entries import InvalidEntryNumber, normalise_entry_number
from participants.models import (
    ComplianceReport,
    CorrectiveAction,
    NoticeOfViolation,
    NoticeStatus,
    Participant,
    ParticipantSettings,
    ParticipantStatus,
)
from participants.models.register import participant_search_text
from recordkeepers.models import User


def participant_register(*, decision: Decision) -> Participant | None:
    """Enter a certification in the register (the `decision_issued` signal, inside the decision's
    transaction); a denial enters nothing. What is covered is copied now, so a later edit of the
    organisation's profile never changes what CBP certified. Safe to call twice."""
    if decision.outcome != Decision.Outcome.CERTIFIED:
        return None
    application = decision.application
    snapshot = application.profile_snapshot or {}
    legal_name = snapshot.get("legal_name") or application.organisation.legal_name
    numbers = list(snapshot.get("importer_numbers") or [])
    participant, _ = Participant.objects.get_or_create(
        application=application,
        defaults={
            "organisation_id": application.organisation_id,
            "decision": decision,
            "certified_on": timezone.localdate(decision.decided_at),
            "route": application.route,
            "terms": decision.terms,
            "legal_name": legal_name,
            "importer_numbers": numbers,
            "search_text": participant_search_text(
                legal_name=legal_name,
                reference=application.reference or "",
                importer_numbers=numbers,
            ),
        },
    )
    return participant


# A participant that is no longer in the program files nothing more.
FILING = {
    ParticipantStatus.ACTIVE,
    ParticipantStatus.REINSTATED,
    ParticipantStatus.REMOVAL_PROPOSED,
}


def entry_numbers_checked(text_or_list: str | list[str]) -> list[str]:
    """Entry numbers, one a line (or a list), each normalised to XXX-NNNNNNN-N; ValidationError
    naming every bad one."""
    given = text_or_list.splitlines() if isinstance(text_or_list, str) else text_or_list
    numbers, errors = [], []
    for line in (n.strip() for n in given):
        if not line:
            continue
        try:
            number = normalise_entry_number(line)
        except InvalidEntryNumber as error:
            errors.append(str(error))
        else:
            if number not in numbers:
                numbers.append(number)
    if errors:
        raise ValidationError({"entry_numbers": errors})
    return numbers


@transaction.atomic
def report_file(
    *,
    participant: Participant,
    actor: User,
    involves_failure: bool,
    what_happened: str,
    found_on: date,
    records_concerned: str,
    entry_numbers: list[str],
    action_taken: str,
) -> ComplianceReport:
    """A participant reports a variance or a violation; which one follows from its answer to the
    question that decides the word (`classification`). CBP's supervisors are told."""
    if not actor.has_perm("participants.file_report", participant):
        raise PermissionDenied("Only the participant's people report to CBP for it.")
    if participant.status not in FILING:
        raise ValidationError(
            "This organisation is no longer in the program: it has no reports to file."
        )
    if found_on > timezone.localdate():
        raise ValidationError({"found_on": "The day it was found cannot be in the future."})
    if found_on < participant.certified_on:
        raise ValidationError(
            {"found_on": "The day it was found cannot be before the certification."}
        )
    kind = classify(involves_failure=involves_failure).kind
    report = ComplianceReport.objects.create(
        participant=participant,
        kind=kind,
        involves_failure=involves_failure,
        what_happened=what_happened,
        found_on=found_on,
        records_concerned=records_concerned,
        entry_numbers=entry_numbers_checked(entry_numbers),
        action_taken=action_taken,
        filed_by=actor,
    )
    workflow.record_event(
        participant=participant,
        actor=actor,
        verb=EventVerb.REPORT_FILED,
        data={"report": report.pk, "kind": kind},
        path=workflow.report_path(report),
    )
    return report


@transaction.atomic
def report_acknowledge(*, report: ComplianceReport, actor: User) -> ComplianceReport:
    workflow.report_transition(report=report, actor=actor, move_name="acknowledge")
    return report


@transaction.atomic
def report_request_corrective_action(
    *, report: ComplianceReport, actor: User, request: str, due: date
) -> CorrectiveAction:
    """CBP asks for corrective action by `due`; the participant is told at once, and reminded
    before it is due (`tasks.send_reminders`)."""
    if not request.strip():
        raise ValidationError({"request": "Say what the participant should do."})
    if due <= timezone.localdate():
        raise ValidationError({"due": "The due date must be after today."})
    workflow.report_transition(
        report=report,
        actor=actor,
        move_name="request_corrective_action",
        data={"due": due.isoformat()},
    )
    return CorrectiveAction.objects.create(
        report=report, request=request, due=due, requested_by=actor
    )


def corrective_action_default_due(*, requested: date) -> date:
    return deadlines.corrective_action_due(
        requested=requested, window_days=ParticipantSettings.current().corrective_action_days
    )


@transaction.atomic
def report_record_corrective_action(
    *, report: ComplianceReport, actor: User, response: str
) -> CorrectiveAction:
    """The participant says what it did about the open corrective action."""
    if not response.strip():
        raise ValidationError({"response": "Say what you did."})
    action = report.corrective_actions.filter(responded_at=None).order_by("-pk").first()
    if action is None:
        raise ValidationError("CBP has not asked for corrective action on this report.")
    workflow.report_transition(report=report, actor=actor, move_name="report_corrective_action")
    action.response = response
    action.responded_by = actor
    action.responded_at = timezone.now()
    action.save(update_fields=["response", "responded_by", "responded_at"])
    return action


@transaction.atomic
def report_close(*, report: ComplianceReport, actor: User, note: str = "") -> ComplianceReport:
    workflow.report_transition(
        report=report, actor=actor, move_name="close", closing_note=note.strip()
    )
    return report


# --- Notices of violation in lieu of a penalty (19 CFR 163.12(d)) ---------------------------------

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
    if not actor.has_perm("participants.handle_report", participant):
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
