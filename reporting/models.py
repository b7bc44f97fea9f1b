"""An export a person asked for: written by a Celery worker, downloaded by its reader, deleted
after `EXPORT_RETENTION_HOURS`."""

from django.db import models


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV (comma-separated values)"
    XLSX = "xlsx", "Excel workbook (XLSX)"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Being written"
    READY = "ready", "Ready to download"
    FAILED = "failed", "Could not be written"
    EXPIRED = "expired", "Deleted after its time"


class ExportJob(models.Model):
    """One export: what was asked for (the dataset and the filters, as they were), how far the
    worker has got, and the file with its SHA-256. Only the person who asked downloads it."""

    requested_by = models.ForeignKey(
        "recordkeepers.User", on_delete=models.CASCADE, related_name="exports"
    )
    dataset = models.CharField(max_length=32)
    format = models.CharField(max_length=4, choices=ExportFormat.choices)
    # ReportFilters as ISO dates and ids (reporting.filters), so the worker writes what was asked.
    filters = models.JSONField(default=dict)
    status = models.CharField(
        max_length=8, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size_bytes = models.PositiveBigIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ExportStatus.values), name="export_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(format__in=ExportFormat.values), name="export_format_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"]),
            models.Index(
                fields=["expires_at"],
                name="export_to_prune",
                condition=models.Q(status="ready"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dataset} ({self.format}) for {self.requested_by}"

    @property
    def percent(self) -> int:
        """How far the worker has got, 0 to 100."""
        if self.status == ExportStatus.READY:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)

    @property
    def finished(self) -> bool:
        return self.status in {ExportStatus.READY, ExportStatus.FAILED, ExportStatus.EXPIRED}


class Measure(models.TextChoices):
    """What a day's tally counts (reporting.figures.tallies)."""

    RECEIVED = "received", "Applications submitted"
    DECIDED = "decided", "Applications decided (the decision's event)"
    WITHDRAWN = "withdrawn", "Applications withdrawn after submission"
    WAITING = "waiting", "Net change in the applications waiting for CBP"
    DECISION = "decision", "Decisions signed off, with how long each took"
    ANSWER = "answer", "Requests for information answered, with how long each took"


class DayTally(models.Model):
    """How many of one `measure` a closed day of the program's history had, for one size class
    (and, for decisions, one route, outcome and recommending reviewer; for times, one duration in
    tenths of a day). Counted from the event log and the decisions once the day is over, never
    changed after; the dashboard reads these for the past and the log only for the days since
    (reporting.figures.tallies)."""

    day = models.DateField(help_text="A calendar day in the service's time zone.")
    measure = models.CharField(max_length=16, choices=Measure.choices)
    size_class = models.CharField(max_length=8, help_text="One without a size class: medium.")
    route = models.CharField(max_length=16, blank=True)
    outcome = models.CharField(max_length=16, blank=True)
    recommended_by = models.ForeignKey(
        "recordkeepers.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    tenths = models.IntegerField(
        null=True, blank=True, help_text="A time taken, in tenths of a day, as the figures show it."
    )
    count = models.IntegerField(help_text="For the net change, negative when more left than came.")

    class Meta:
        indexes = [models.Index(fields=["measure", "day"], name="day_tally_measure_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.measure} {self.size_class}: {self.count}"


class TallyState(models.Model):
    """The one row saying how far the tallies reach: every day up to `through` (included) is
    tallied, and no later day is."""

    through = models.DateField(null=True, blank=True)
    tallied_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Tallied through {self.through}"
