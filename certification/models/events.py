"""The append-only log of what was done to an application."""

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models

from certification.events import EventVerb, describe_verb, meaning_of
from certification.models.applications import Application
from common import cache_versions

if TYPE_CHECKING:
    from recordkeepers.models import User


# Moved on by every event written (common.cache_versions): what is read of the program's history
# and kept, such as the dashboard's figures (reporting.figures.kept), is then read afresh.
HISTORY_VERSION = "history"


class EventManager(models.Manager["Event"]):
    def record(
        self,
        *,
        application: Application,
        actor: "User",
        verb: EventVerb,
        from_status: str = "",
        to_status: str = "",
        data: dict | None = None,
    ) -> "Event":
        """Write one event; who sees it comes from the verb's meaning (certification.events)."""
        cache_versions.bump(HISTORY_VERSION)
        return self.create(
            application=application,
            actor=actor,
            verb=verb,
            from_status=from_status,
            to_status=to_status,
            data=data if data is not None else {},
            applicant_visible=meaning_of(verb).applicant_visible,
        )

    def record_many(
        self, *, application: Application, actor: "User", verb: EventVerb, data: list[dict]
    ) -> list["Event"]:
        """Write one event of `verb` for each of `data`, in that order, in one statement."""
        visible = meaning_of(verb).applicant_visible
        cache_versions.bump(HISTORY_VERSION)
        return self.bulk_create(
            self.model(
                application=application,
                actor=actor,
                verb=verb,
                data=each,
                applicant_visible=visible,
            )
            for each in data
        )


class Event(models.Model):
    """Append-only log of everything done to an application: the audit trail and the timeline.

    The model refuses updates and deletes; on PostgreSQL a trigger refuses them too.
    """

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey("recordkeepers.User", on_delete=models.PROTECT, related_name="+")
    verb = models.CharField(max_length=64, choices=EventVerb.choices)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    data = models.JSONField(default=dict, blank=True)
    # Set from the verb's meaning when the event is written, and kept as it was then.
    applicant_visible = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EventManager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["application", "created_at"]),
            # The program's figures count events of a few verbs in a period (reporting.figures).
            models.Index(fields=["verb", "created_at"], name="event_verb_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(verb__in=EventVerb.values), name="event_verb_known"
            )
        ]

    def __str__(self) -> str:
        return f"{self.verb} by {self.actor} at {self.created_at:%Y-%m-%d %H:%M} UTC"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("Events are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Events are never deleted.")

    @property
    def description(self) -> str:
        return describe_verb(self.verb)
