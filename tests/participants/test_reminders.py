"""The participants' sweep: reminders before a corrective action is due, a notice once it is
overdue (to the participant and to supervisors), the renewal reminder when admins set a validity
period; each message once, however often the sweep runs."""

from datetime import date, timedelta

from django.utils import timezone

from certification.models import Notification
from participants.models import ComplianceReport, CorrectiveAction, ParticipantSettings
from participants.reminders import reminders_send
from participants.tasks import send_reminders


def _action(participant, user, *, due: date) -> CorrectiveAction:
    report = ComplianceReport.objects.create(
        participant=participant,
        kind="variance",
        involves_failure=False,
        what_happened="A late filing of the index.",
        found_on=timezone.localdate(),
        records_concerned="The index.",
        action_taken="Filed it.",
        filed_by=user,
        status="action_requested",
    )
    return CorrectiveAction.objects.create(
        report=report, request="Automate the index.", due=due, requested_by=user
    )


def test_a_reminder_goes_once_before_the_due_day(participant_a, owner_a, member_a, supervisor):
    today = date(2027, 3, 10)
    ParticipantSettings.objects.update_or_create(pk=1, defaults={"reminder_days": 7})
    _action(participant_a, supervisor, due=date(2027, 3, 18))  # 8 days ahead: not yet
    assert reminders_send(today=today).due_soon == 0
    assert reminders_send(today=date(2027, 3, 11)).due_soon == 1  # 7 days ahead
    assert reminders_send(today=date(2027, 3, 12)).due_soon == 0  # already reminded
    told = Notification.objects.filter(event=None)
    assert sorted(told.values_list("recipient__email", flat=True)) == sorted(
        [owner_a.email, member_a.email]
    )
    assert "due on March 18, 2027" in told.first().body


def test_an_overdue_action_is_told_to_the_participant_and_supervisors_once(
    participant_a, owner_a, supervisor
):
    action = _action(participant_a, supervisor, due=date(2027, 3, 18))
    assert reminders_send(today=date(2027, 3, 18)).overdue == 0  # the last day is not late
    sent = reminders_send(today=date(2027, 3, 19))
    assert sent.overdue == 1
    assert reminders_send(today=date(2027, 3, 25)).overdue == 0
    recipients = set(
        Notification.objects.filter(
            event=None, body__contains="was due on March 18, 2027"
        ).values_list("recipient__email", flat=True)
    )
    assert recipients == {owner_a.email, supervisor.email}
    # Answered actions are never chased.
    action.responded_at = timezone.now()
    action.overdue_notified_at = None
    action.save()
    assert reminders_send(today=date(2027, 4, 1)).overdue == 0


def test_renewal_is_reminded_only_when_a_validity_is_set(participant_a, owner_a):
    certified = participant_a.certified_on
    assert reminders_send(today=certified + timedelta(days=5000)).renewals == 0
    ParticipantSettings.objects.update_or_create(
        pk=1, defaults={"validity_days": 365, "renewal_notice_days": 30}
    )
    # Expires 365 days after certification; the reminder is due 30 days before that.
    assert reminders_send(today=certified + timedelta(days=334)).renewals == 0
    assert reminders_send(today=certified + timedelta(days=335)).renewals == 1
    assert reminders_send(today=certified + timedelta(days=336)).renewals == 0
    expires = certified + timedelta(days=365)
    body = Notification.objects.get(event=None, recipient=owner_a).body
    assert f"expires on {expires:%B} {expires.day}, {expires.year}" in body


def test_the_task_runs_the_sweep(participant_a, supervisor):
    _action(participant_a, supervisor, due=timezone.localdate() - timedelta(days=1))
    assert send_reminders() == {
        "due_soon": 0,
        "overdue": 1,
        "renewals": 0,
        "removals_effective": 0,
    }
