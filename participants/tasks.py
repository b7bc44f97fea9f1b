"""Celery tasks after certification. Thin: they call the code that does the work."""

from celery import shared_task

from participants.reminders import reminders_send


@shared_task(acks_late=True)
def send_reminders() -> dict[str, int]:
    """Reminders and overdue notices (participants.reminders), once each. Run by Celery beat."""
    sent = reminders_send()
    return {"due_soon": sent.due_soon, "overdue": sent.overdue, "renewals": sent.renewals}
