"""Who is told what when something happens to an application.

A move writes its Notification rows in its own transaction (so nothing is lost if the process dies)
and the emails go out from a Celery task scheduled on commit. Emails carry a link, never the content
of a letter or evidence.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from certification.events import meaning_of
from certification.models import Event, Notification
from common.tasks import enqueue_on_commit
from recordkeepers.models import User


def _recipients(event: Event) -> list[User]:
    return list(
        User.objects.filter(
            membership__organisation_id=event.application.organisation_id, is_active=True
        ).order_by("pk")
    )


def notify_applicants(*, event: Event) -> list[Notification]:
    """Tell every member of the applying organisation about `event`, in the service and by email."""
    lead = meaning_of(event.verb).applicant_message
    if not lead or not event.applicant_visible:
        return []
    application = event.application
    context = {
        "application": application,
        "event": event,
        "lead": lead,
        "url": settings.SITE_URL
        + reverse("certification:application-detail", args=[application.pk]),
    }
    subject = render_to_string("certification/email/event_subject.txt", context).strip()
    body = render_to_string("certification/email/event_message.txt", context)
    notifications = Notification.objects.bulk_create(
        Notification(
            recipient=user, application=application, event=event, subject=subject, body=body
        )
        for user in _recipients(event)
    )
    for notification in notifications:
        # The notification stays in the service whatever happens to its email (`emailed_at`).
        enqueue_on_commit(
            "certification.tasks.send_notification_email", notification_id=notification.pk
        )
    return notifications


@transaction.atomic
def notification_mark_read(*, notification: Notification, actor: User) -> Notification:
    """Mark a notification read by its recipient, the first time only: `read_at` keeps the moment
    the person first opened it, however often it is opened again (or from two tabs at once)."""
    if notification.recipient_id != actor.pk:
        raise PermissionDenied("Only the person a message was sent to can mark it as read.")
    if notification.read_at is None:
        now = timezone.now()
        marked = actor.notifications.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=now
        )
        if marked:
            notification.read_at = now
        else:
            notification.refresh_from_db(fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, actor: User) -> int:
    """Mark all of the actor's unread notifications read; returns how many were unread."""
    return actor.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
