"""Celery tasks of the program core. Thin: they take ids, load, and call the code that does the
work."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from certification.letters import lifecycle as letter_lifecycle
from certification.models import Letter, Notification


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification_email(*, notification_id: int) -> None:
    """Email one notification, once: a redelivered task finds it already sent and does nothing."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .get(pk=notification_id)
        )
        if notification.emailed_at is not None or not notification.send_email:
            return
        send_mail(
            subject=notification.subject,
            message=notification.body,
            from_email=None,
            recipient_list=[notification.recipient.email],
        )
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])


# A letter's render is tried this many times in all before it is marked failed for staff.
LETTER_ATTEMPTS = 5


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=LETTER_ATTEMPTS - 1)
def render_letter(self, *, letter_id: int) -> None:
    """Render one letter (certification.letter_lifecycle.letter_render), retrying with backoff.

    Acknowledged only when done, and given back if the worker dies, so a letter is never dropped;
    running twice is harmless, since the lifecycle renders a letter once however often it is asked.
    """
    try:
        letter_lifecycle.letter_render(letter_id=letter_id)
    except Letter.DoesNotExist:
        return  # the transaction that asked for it was rolled back
    except Exception as error:
        # Eagerly (no broker: the embedded demo) a retry would run inside the web request: give up
        # at once instead, and let staff retry.
        if self.request.is_eager or self.request.retries >= self.max_retries:
            letter_lifecycle.letter_mark_failed(letter_id=letter_id, error=error)
            return
        letter_lifecycle.letter_record_error(letter_id=letter_id, error=error)
        raise self.retry(exc=error, countdown=min(2 ** (self.request.retries + 2), 300)) from error


@shared_task(acks_late=True)
def sweep_unfinished_letters() -> int:
    """Send again the letters left pending or rendering (a lost message, a dead worker, a broker
    that was down when they were asked for), but not those still waiting their turn in the queue
    (`letter_lifecycle.letters_to_resend`). Run by Celery beat (settings.CELERY_BEAT_SCHEDULE)."""
    return len(letter_lifecycle.letters_resend())


# Unsent emails older than this are left alone by the sweep: their news is stale, and the message
# is still in the service for the person to read.
NOTIFICATION_EMAIL_GIVE_UP_AFTER = timedelta(days=3)


@shared_task(acks_late=True)
def sweep_unsent_notification_emails() -> int:
    """Send again the notification emails not sent yet: asked for while the broker was down, or
    lost with it. Sending is once only (`send_notification_email`), so a duplicate is harmless.
    Run by Celery beat with the letters' sweep."""
    now = timezone.now()
    waiting = Notification.objects.filter(
        emailed_at__isnull=True,
        send_email=True,
        created_at__lte=now - timedelta(seconds=settings.SWEEP_SECONDS / 2),
        created_at__gte=now - NOTIFICATION_EMAIL_GIVE_UP_AFTER,
    ).values_list("pk", flat=True)
    notification_ids = list(waiting.order_by("created_at", "pk")[:500])
    for notification_id in notification_ids:
        send_notification_email.delay(notification_id=notification_id)
    return len(notification_ids)
