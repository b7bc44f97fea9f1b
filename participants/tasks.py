"""Celery tasks after certification. Thin: they call the code that does the work."""

from celery import shared_task

from participants.reminders import reminders_send
from participants.services import removals_take_effect


@shared_task(acks_late=True)
def send_reminders() -> dict[str, int]:
    """The calendar's work, once each: reminders and overdue notices (participants.reminders),
    and removals whose appeal time ended without an appeal taking effect. Run by Celery beat."""
    sent = reminders_send()
    return {
        "due_soon": sent.due_soon,
        "overdue": sent.overdue,
        "renewals": sent.renewals,
        "removals_effective": removals_take_effect(),
    }
