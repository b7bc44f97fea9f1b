"""Celery tasks of the program core. Thin: they take ids, load, and call the code that does the work."""

from celery import shared_task
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from certification.models import Notification


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification_email(*, notification_id: int) -> None:
    """Email one notification, once: a redelivered task finds it already sent and does nothing."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .get(pk=notification_id)
        )
        if notification.emailed_at is not None:
            return
        send_mail(
            subject=notification.subject,
            message=notification.body,
            from_email=None,
            recipient_list=[notification.recipient.email],
        )
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
