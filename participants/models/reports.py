"""What participants report: variances and violations, and the corrective actions CBP asks for."""

from django.db import models

from participants.models.register import Participant


class ReportKind(models.TextChoices):
    """The seed's two words (19 CFR 163.12(b)(3)(vi)), decided by one question: did it involve a
    failure to maintain or produce records, or to meet the requirements? (`classification`)"""

    VARIANCE = "variance", "Variance"
    VIOLATION = "violation", "Violation"


class ReportStatus(models.TextChoices):
    FILED = "filed", "Filed, waiting for CBP"
    ACKNOWLEDGED = "acknowledged", "Acknowledged by CBP"
    ACTION_REQUESTED = "action_requested", "Corrective action asked for"
    ACTION_TAKEN = "action_taken", "Corrective action reported"
    CLOSED = "closed", "Closed"


class ComplianceReport(models.Model):
    """A variance or violation a participant reports. `status` changes only through
    `participants.workflow`, by compare-and-set on (status, version)."""

    Kind = ReportKind
    Status = ReportStatus

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="reports")
    kind = models.CharField(max_length=16, choices=ReportKind.choices)
    involves_failure = models.BooleanField(
        help_text="Whether it involved a failure to maintain or produce records, or to meet the "
        "requirements: what makes it a violation."
    )
    what_happened = models.TextField()
    found_on = models.DateField()
    records_concerned = models.TextField()
    entry_numbers = models.JSONField(default=list, blank=True)
    action_taken = models.TextField()
    filed_by = models.ForeignKey("recordkeepers.User", on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=20, choices=ReportStatus.choices, default=ReportStatus.FILED
    )
    version = models.PositiveIntegerField(default=1)
    closing_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-filed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ReportStatus.values), name="report_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=ReportKind.values), name="report_kind_valid"
            ),
            # The word follows the answer that decides it, always.
            models.CheckConstraint(
                condition=models.Q(kind=ReportKind.VIOLATION, involves_failure=True)
                | models.Q(kind=ReportKind.VARIANCE, involves_failure=False),
                name="report_kind_follows_answer",
            ),
        ]
        indexes = [models.Index(fields=["status", "filed_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} report {self.pk} by {self.participant.legal_name}"


class CorrectiveAction(models.Model):
    """What CBP asks a participant to do about a report, by a due date, and what it says it did."""

    report = models.ForeignKey(
        ComplianceReport, on_delete=models.PROTECT, related_name="corrective_actions"
    )
    request = models.TextField()
    due = models.DateField()
    requested_by = models.ForeignKey(
        "recordkeepers.User", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    response = models.TextField(blank=True)
    responded_by = models.ForeignKey(
        "recordkeepers.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    # The sweep's marks (participants.reminders): each message goes once.
    reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        indexes = [
            models.Index(
                fields=["due"], name="corrective_action_open", condition=models.Q(responded_at=None)
            )
        ]

    def __str__(self) -> str:
        return f"Corrective action on report {self.report_id}, due {self.due}"
