"""Notices of violation in lieu of a monetary penalty (19 CFR 163.12(d); 19 U.S.C. 1509(g)): a
participant's failure to produce a demanded record, CBP's finding on whether the program's benefit
applies, the notice and the participant's answer."""

from django.db import models

from participants.models.register import Participant


class NoticeStatus(models.TextChoices):
    NOT_ELIGIBLE = "not_eligible", "Not eligible for a notice in lieu of a penalty"
    ISSUED = "issued", "Notice issued, answer due"
    ANSWERED = "answered", "Answered"
    CLOSED = "closed", "Closed"


class NoticeOfViolation(models.Model):
    """One failure to produce a demanded record, as CBP staff record it, with the eligibility the
    service decided from the data (`participants.eligibility`) and its reasons. An eligible case
    is a notice, with its letter; an ineligible one says why, and any penalty is outside the
    service. `status` changes only through `participants.workflow`."""

    Status = NoticeStatus

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="notices")
    entry_number = models.CharField(
        max_length=13, help_text="The entry (or release) whose record was demanded: XXX-NNNNNNN-N."
    )
    record_demanded = models.TextField(help_text="The record CBP demanded and did not receive.")
    demanded_on = models.DateField()
    willful = models.BooleanField(help_text="CBP's finding: was the failure willful?")
    recorded_by = models.ForeignKey(
        "recordkeepers.User", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    eligible = models.BooleanField()
    # The conditions checked, each {"condition", "met", "why"}, as the service decided them.
    eligibility = models.JSONField(default=list)
    status = models.CharField(max_length=16, choices=NoticeStatus.choices)
    version = models.PositiveIntegerField(default=1)
    issued_on = models.DateField(null=True, blank=True)
    response_due = models.DateField(null=True, blank=True)
    response = models.TextField(blank=True)
    responded_by = models.ForeignKey(
        "recordkeepers.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    letter = models.OneToOneField(
        "certification.Letter",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notice_of_violation",
    )
    reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=NoticeStatus.values), name="notice_status_valid"
            ),
            # Only an eligible case is a notice; an ineligible one stays as CBP recorded it.
            models.CheckConstraint(
                condition=models.Q(eligible=True, issued_on__isnull=False)
                | models.Q(eligible=False, status=NoticeStatus.NOT_ELIGIBLE, issued_on=None),
                name="notice_only_when_eligible",
            ),
        ]

    def __str__(self) -> str:
        return f"Failure to produce for {self.entry_number} ({self.participant.legal_name})"
