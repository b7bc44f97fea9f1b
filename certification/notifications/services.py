"""Who is told what when something happens to an application.

A move writes its Notification rows in its own transaction (so nothing is lost if the process dies)
and the emails go out from a Celery task scheduled on commit. Emails carry a link, never the content
of a letter or evidence.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from certification.events import (
    APPEALS_OFFICIALS,
    ASSIGNED_REVIEWER,
    SUPERVISORS,
    StaffTopic,
    meaning_of,
)
from certification.models import Application, Event, Notification, StaffEmailChoice
from common.tasks import enqueue_on_commit
from recordkeepers.models import StaffRole, User
from recordkeepers.rules import is_cbp_staff


def notify(*, event: Event, applicant_path: str | None = None) -> list[Notification]:
    """Tell whoever `event` concerns (its verb's meaning, certification.events): the applying
    organisation's members, and on CBP's side the assigned reviewer or the supervisors. The
    organisation's message links to `applicant_path` (the page the event is about, for an app
    above this one), else to the application's page."""
    return notify_applicants(event=event, path=applicant_path) + notify_staff(event=event)


def _applicants(event: Event) -> list[User]:
    return list(
        User.objects.filter(
            membership__organisation_id=event.application.organisation_id, is_active=True
        ).order_by("pk")
    )


def notify_applicants(*, event: Event, path: str | None = None) -> list[Notification]:
    """Tell every member of the applying organisation about `event`, in the service and by email."""
    lead = meaning_of(event.verb).applicant_message
    if not lead or not event.applicant_visible:
        return []
    application = event.application
    path = path or reverse("certification:application-detail", args=[application.url_key])
    return _write(
        application=application,
        event=event,
        lead=lead,
        url=settings.SITE_URL + path,
        recipients=_applicants(event),
    )


def remind(
    *, application: Application, lead: str, path: str, staff: bool = False
) -> list[Notification]:
    """A reminder of something due, from the periodic sweep rather than a person: no event, a
    message to the organisation's members (or, with `staff`, the supervisors) linking to `path`."""
    recipients = (
        list(
            User.objects.filter(groups__name=StaffRole.SUPERVISOR.value, is_active=True).order_by(
                "pk"
            )
        )
        if staff
        else list(
            User.objects.filter(
                membership__organisation_id=application.organisation_id, is_active=True
            ).order_by("pk")
        )
    )
    return _write(
        application=application,
        event=None,
        lead=lead,
        url=settings.SITE_URL + path,
        recipients=recipients,
        for_staff=staff,
    )


def _staff(event: Event, audience: str) -> list[User]:
    application = event.application
    if audience == SUPERVISORS:
        return list(
            User.objects.filter(groups__name=StaffRole.SUPERVISOR.value, is_active=True)
            .exclude(pk=event.actor_id)  # who recommended is not told of their own work
            .order_by("pk")
        )
    if audience == APPEALS_OFFICIALS:
        return list(
            User.objects.filter(groups__name=StaffRole.APPEALS_OFFICIAL.value, is_active=True)
            .exclude(pk=event.actor_id)
            .order_by("pk")
        )
    if audience == ASSIGNED_REVIEWER:
        reviewer = application.assigned_reviewer
        if reviewer is None or not reviewer.is_active or reviewer.pk == event.actor_id:
            return []  # a reviewer who took the application themselves needs no message
        return [reviewer]
    return []


def notify_staff(*, event: Event) -> list[Notification]:
    """Tell the CBP staff `event` concerns, in the service always, and by email unless they chose
    not to get that kind of message (`StaffEmailChoice`). The message links to itself in the
    service, which leads on to the application."""
    meaning = meaning_of(event.verb)
    if not meaning.staff_message:
        return []
    recipients = _staff(event, meaning.staff_audience)
    declined = frozenset(
        StaffEmailChoice.objects.filter(
            user__in=recipients, topic=meaning.staff_topic, email=False
        ).values_list("user_id", flat=True)
    )
    url = settings.SITE_URL + reverse("notifications:list")
    return _write(
        application=event.application,
        event=event,
        lead=meaning.staff_message,
        url=url,
        recipients=recipients,
        for_staff=True,
        no_email=declined,
    )


def _write(
    *,
    application: Application,
    event: Event | None,
    lead: str,
    url: str,
    recipients: list[User],
    for_staff: bool = False,
    no_email: frozenset[int] = frozenset(),
) -> list[Notification]:
    """One notification for each recipient, in the same transaction as the event, and its email
    sent once that commits (unless the person declined it)."""
    context = {
        "application": application,
        "event": event,
        "lead": lead,
        "url": url,
        "for_staff": for_staff,
    }
    subject = render_to_string("certification/email/event_subject.txt", context).strip()
    body = render_to_string("certification/email/event_message.txt", context)
    notifications = Notification.objects.bulk_create(
        Notification(
            recipient=user,
            application=application,
            event=event,
            subject=subject,
            body=body,
            send_email=user.pk not in no_email,
        )
        for user in recipients
    )
    for notification in notifications:
        if notification.send_email:
            # The notification stays in the service whatever happens to its email.
            enqueue_on_commit(
                "certification.tasks.send_notification_email", notification_id=notification.pk
            )
    return notifications


@transaction.atomic
def staff_email_choices_save(*, actor: User, topics: set[str]) -> None:
    """A staff member chooses which kinds of message (`StaffTopic`) they also get by email."""
    if not is_cbp_staff(actor):
        raise PermissionDenied("Only CBP staff choose these emails.")
    unknown = topics - set(StaffTopic.values)
    if unknown:
        raise ValidationError({"topics": "Choose from the messages listed."})
    for topic in StaffTopic.values:
        StaffEmailChoice.objects.update_or_create(
            user=actor, topic=topic, defaults={"email": topic in topics}
        )


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


@transaction.atomic
def notify_person(*, recipient: User, subject: str, lead: str, path: str) -> Notification:
    """Tell one person about something they asked for that is not an application (an export is
    ready): in the service, leading to `path`, and by email once this commits."""
    body = render_to_string(
        "certification/email/message.txt", {"lead": lead, "url": settings.SITE_URL + path}
    )
    notification = Notification.objects.create(
        recipient=recipient, subject=subject, body=body, path=path
    )
    enqueue_on_commit(
        "certification.tasks.send_notification_email", notification_id=notification.pk
    )
    return notification
