"""Participants' reports of variances and violations, and CBP's corrective actions."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from certification import deadlines
from certification.events import EventVerb
from participants import workflow
from participants.classification import classify
from participants.entries import InvalidEntryNumber, normalise_entry_number
from participants.models import (
    ComplianceReport,
    CorrectiveAction,
    Participant,
    ParticipantSettings,
    ParticipantStatus,
)
from recordkeepers.models import User
from recordkeepers.rules import may

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
    if not may(actor, "participants.file_report", participant):
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
