"""Messages to people about an application, in the service and by email."""

from django.db import models

from certification.events import StaffTopic
from certification.models.applications import Application
from certification.models.events import Event


class Notification(models.Model):
    """A message to one person, about an application (or, with `path`, about something else they
    asked for): shown in the service and sent by email.

    Written in the same transaction as the event it reports, so it is never lost; the email goes out
    from a Celery task scheduled on commit, which records when it was sent. `read_at` is set when
    the person opens it in the service.
    """

    recipient = models.ForeignKey(
        "recordkeepers.User", on_delete=models.CASCADE, related_name="notifications"
    )
    # Most messages are about an application; one about something else (an export a person asked
    # for, in the reporting app) has none and leads to `path` instead.
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="notifications",
        null=True,
        blank=True,
    )
    path = models.CharField(
        max_length=300, blank=True, help_text="Where a message not about an application leads."
    )
    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, null=True, blank=True, related_name="notifications"
    )
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    # False when the person chose not to get this kind of message by email: it stays in the service.
    send_email = models.BooleanField(default=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(application__isnull=False) | ~models.Q(path=""),
                name="notification_leads_somewhere",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            # The sweep's: emails not sent yet (a broker that was down when they were asked for).
            models.Index(
                fields=["created_at"],
                name="notification_unsent",
                condition=models.Q(emailed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} (to {self.recipient})"


class StaffEmailChoice(models.Model):
    """A CBP staff member's choice not to get one kind of message by email (`StaffTopic`). With no
    row, they get it: the messages are always in the service."""

    user = models.ForeignKey(
        "recordkeepers.User", on_delete=models.CASCADE, related_name="staff_email_choices"
    )
    topic = models.CharField(max_length=16, choices=StaffTopic.choices)
    email = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "topic"], name="staff_email_choice_once"),
            models.CheckConstraint(
                condition=models.Q(topic__in=StaffTopic.values), name="staff_email_topic_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_topic_display()} by email: {self.email}"
