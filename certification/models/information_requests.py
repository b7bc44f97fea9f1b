"""CBP's questions to an applicant during a review, and the answers."""

from django.db import models

from certification.models.applications import Application
from certification.models.handbook import Demonstration


class InformationRequest(models.Model):
    """CBP's questions to an applicant during a review, made by the request_information move, and
    the applicant's answers, sent with the answer_information_request move."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="information_requests"
    )
    requested_by = models.ForeignKey(
        "recordkeepers.User", on_delete=models.PROTECT, related_name="+"
    )
    due = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        "recordkeepers.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the reviewer opened the answers; until then the queue flags them.",
    )

    class Meta:
        ordering = ["application_id", "created_at"]
        constraints = [
            # At most one open request per application: the applicant answers one at a time.
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(answered_at__isnull=True),
                name="information_request_one_open",
            )
        ]
        # The dashboard reads the answers since its tallies' last day (reporting.figures.tallies).
        indexes = [models.Index(fields=["answered_at"], name="inforequest_answered_at")]

    def __str__(self) -> str:
        return f"Request for information on {self.application} due {self.due:%Y-%m-%d}"


class InformationRequestItem(models.Model):
    """One question of a request, about a demonstration or the application in general."""

    request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    demonstration = models.CharField(max_length=3, choices=Demonstration.choices, blank=True)
    question = models.TextField()
    answer = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["request", "position"]
        constraints = [
            models.UniqueConstraint(fields=["request", "position"], name="request_item_position")
        ]

    def __str__(self) -> str:
        return f"Question {self.position + 1} of {self.request}"
