"""The append-only log of what was done to an application."""

from django.core.exceptions import ValidationError
from django.db import models

from certification.models.applications import Application

# What each event says on a timeline, in plain language.
EVENT_DESCRIPTIONS = {
    "application.started": "Application started",
    "draft.edited": "Draft changed",
    "application.submitted": "Application submitted",
    "application.withdrawn": "Application withdrawn",
    "review.started": "CBP started the review",
    "review.assigned": "Reviewer assigned",
    "review.information_requested": "CBP asked for more information",
    "application.information_provided": "More information sent to CBP",
    "review.recommended": "Reviewer made a recommendation",
    "review.returned_for_rework": "Supervisor returned the recommendation to the reviewer",
    "application.decided": "Decision issued",
    "letter.ready": "Letter ready to download",
}


def describe_verb(verb: str) -> str:
    return EVENT_DESCRIPTIONS.get(verb, verb.replace(".", ": ").replace("_", " "))


class Event(models.Model):
    """Append-only log of everything done to an application: the audit trail and the timeline.

    The model refuses updates and deletes; on PostgreSQL a trigger refuses them too.
    """

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey("recordkeepers.User", on_delete=models.PROTECT, related_name="+")
    verb = models.CharField(max_length=64)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    data = models.JSONField(default=dict, blank=True)
    applicant_visible = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["application", "created_at"])]

    def __str__(self) -> str:
        return f"{self.verb} by {self.actor} at {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("Events are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Events are never deleted.")

    @property
    def description(self) -> str:
        return describe_verb(self.verb)
