"""Reads of a person's notifications: each person sees only their own; the queries go through the
recipient's related manager, so another person's message cannot be reached by any of them."""

from django.db.models import QuerySet
from django.http import Http404

from certification.events import StaffTopic
from certification.models import (
    Notification,
    StaffEmailChoice,
)
from recordkeepers.models import User


# Notifications: each person sees only their own; the queries go through the recipient's
# related manager, so another person's message cannot be reached by any of them.
def notifications_for_user(*, user: User) -> QuerySet[Notification]:
    """The person's notifications, newest first, with the application each is about."""
    return user.notifications.select_related("application").order_by("-created_at", "-pk")


def unread_notification_count(*, user: User) -> int:
    return user.notifications.filter(read_at__isnull=True).count()


def notification_get_for_user(*, user: User, pk: int) -> Notification:
    """One of the person's notifications; anybody else's is simply not found (404)."""
    notification = notifications_for_user(user=user).filter(pk=pk).first()
    if notification is None:
        raise Http404("No such message")
    return notification


def staff_email_topics(*, user: User) -> set[str]:
    """The kinds of message (`StaffTopic`) the staff member gets by email: all but those declined."""
    declined = StaffEmailChoice.objects.filter(user=user, email=False).values_list(
        "topic", flat=True
    )
    return set(StaffTopic.values) - set(declined)
