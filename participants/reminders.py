"""The daily sweep after certification: reminders of what is due soon (corrective actions, answers to
notices of violation), notices of what is overdue,
and the renewal reminder when admins set a validity period. Every date comes from the deadline
engine; each message goes once (a compare-and-set on its mark), so a sweep run twice, or by two
workers at once, tells nobody twice."""

from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from certification import deadlines
from certification.notifications.services import remind
from participants.models import (
    CorrectiveAction,
    NoticeOfViolation,
    NoticeStatus,
    Participant,
    ParticipantSettings,
)
from participants.workflow import notice_path, report_path


@dataclass(frozen=True)
class Sent:
    due_soon: int = 0
    overdue: int = 0
    renewals: int = 0


def _day(day: date) -> str:
    return date_format(day, "F j, Y")


def _claim(
    model: type[CorrectiveAction] | type[NoticeOfViolation] | type[Participant], pk: int, mark: str
) -> bool:
    """Set the row's mark if nobody has: True for the one sweep that may send its message."""
    return bool(
        model.objects.filter(pk=pk, **{f"{mark}__isnull": True}).update(**{mark: timezone.now()})
    )


def reminders_send(*, today: date | None = None) -> Sent:
    today = today or timezone.localdate()
    settings = ParticipantSettings.current()
    open_actions = CorrectiveAction.objects.filter(responded_at=None).select_related(
        "report__participant__application__organisation"
    )
    due_soon = overdue = renewals = 0
    soon = deadlines.days_after(today, settings.reminder_days)
    for action in open_actions.filter(reminded_at=None, due__gte=today, due__lte=soon):
        if _claim(CorrectiveAction, action.pk, "reminded_at"):
            report = action.report
            remind(
                application=report.participant.application,
                lead=f"The corrective action CBP asked for on report {report.pk} is due on "
                f"{_day(action.due)}. Tell CBP what you did.",
                path=report_path(report),
            )
            due_soon += 1
    for action in open_actions.filter(overdue_notified_at=None, due__lt=today):
        if _claim(CorrectiveAction, action.pk, "overdue_notified_at"):
            report = action.report
            lead = (
                f"The corrective action on report {report.pk} was due on {_day(action.due)} and "
                "CBP has not been told what was done."
            )
            application = report.participant.application
            remind(application=application, lead=lead, path=report_path(report))
            remind(application=application, lead=lead, path=report_path(report), staff=True)
            overdue += 1
    waiting = NoticeOfViolation.objects.filter(status=NoticeStatus.ISSUED).select_related(
        "participant__application__organisation"
    )
    for notice in waiting.filter(reminded_at=None, response_due__gte=today, response_due__lte=soon):
        if _claim(NoticeOfViolation, notice.pk, "reminded_at"):
            assert notice.response_due is not None
            remind(
                application=notice.participant.application,
                lead=f"Your answer to the notice of violation for entry {notice.entry_number} is "
                f"due on {_day(notice.response_due)}.",
                path=notice_path(notice),
            )
            due_soon += 1
    for notice in waiting.filter(overdue_notified_at=None, response_due__lt=today):
        if _claim(NoticeOfViolation, notice.pk, "overdue_notified_at"):
            assert notice.response_due is not None
            lead = (
                f"The answer to the notice of violation for entry {notice.entry_number} was due "
                f"on {_day(notice.response_due)} and has not been sent."
            )
            application = notice.participant.application
            remind(application=application, lead=lead, path=notice_path(notice))
            remind(application=application, lead=lead, path=notice_path(notice), staff=True)
            overdue += 1
    if settings.validity_days is not None:
        # Certified on or before this day: its expiry falls within the notice period.
        certified_by = deadlines.window_start(
            today=deadlines.days_after(today, settings.renewal_notice_days),
            window_days=settings.validity_days,
        )
        expiring = Participant.objects.filter(
            renewal_reminded_at=None,
            certified_on__lte=certified_by,
            status__in=["active", "reinstated"],
        ).select_related("application__organisation")
        for participant in expiring:
            expires = deadlines.certification_expires_on(
                certified_on=participant.certified_on, validity_days=settings.validity_days
            )
            if expires is not None and _claim(Participant, participant.pk, "renewal_reminded_at"):
                remind(
                    application=participant.application,
                    lead=f"Your certification expires on {_day(expires)}. Apply again before "
                    "then to stay in the program.",
                    path=reverse("participants:certification"),
                )
                renewals += 1
    return Sent(due_soon, overdue, renewals)
