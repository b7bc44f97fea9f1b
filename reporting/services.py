"""Writes of the reporting app: asking for an export, the worker writing it, and deleting it once
its time is up. Keyword-only and atomic where they change rows; they check the actor."""

import hashlib
import logging
import tempfile
from dataclasses import replace
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from certification.notifications.services import notify_person
from common.tasks import enqueue_on_commit
from recordkeepers.models import User
from recordkeepers.rules import may
from reporting.exports import dataset_title, export_write, may_export
from reporting.exports.datasets.applications import QUEUE
from reporting.filters import ReportFilters, search_may_hold_ssn
from reporting.models import ExportFormat, ExportJob, ExportStatus
from reviews.selectors import QueueFilters

logger = logging.getLogger(__name__)

# How often the worker writes its progress down, in rows: often enough for a smooth bar, rarely
# enough that 100,000 rows cost a hundred small updates.
PROGRESS_EVERY = 1000
# An export still being written after this long lost its worker (killed mid-way): it is failed, and
# the reader asks again.
RUN_LIMIT = timedelta(hours=2)


@transaction.atomic
def export_request(
    *,
    actor: User,
    dataset: str,
    format: str,
    filters: ReportFilters,
    queue_filters: QueueFilters | None = None,
) -> ExportJob:
    """`actor` asks for an export of `dataset` narrowed to `filters` (and, for the queue asked
    from the queue page, to that page's `queue_filters`): written by a worker once this commits;
    they are told when it is ready. The job keeps a search for a Social Security number only as
    its digest (`ReportFilters.as_json`), and refuses one that could hold such a number but is not
    a whole importer number: that it could keep only in clear."""
    if not may(actor, "reporting.view_reports", None):
        raise PermissionDenied("Only supervisors and administrators export the program's data.")
    if format not in ExportFormat.values:
        raise ValidationError({"format": "Choose CSV or Excel."})
    if not may_export(user=actor, key=dataset):
        raise ValidationError({"dataset": "Choose one of the exports offered."})
    if queue_filters is not None:
        if dataset != QUEUE.key:
            raise ValidationError({"dataset": "The queue page's filters go with the queue only."})
        if search_may_hold_ssn(queue_filters.search):
            raise ValidationError(
                {
                    "search": "An export does not keep nine digits that may be a Social Security "
                    "number. To export an importer's application, type its Social Security "
                    "number with its hyphens (123-45-6789), or search for its name."
                }
            )
        filters = replace(filters, queue=queue_filters)
    job = ExportJob.objects.create(
        requested_by=actor, dataset=dataset, format=format, filters=filters.as_json()
    )
    enqueue_on_commit("reporting.tasks.run_export", job_id=job.pk)
    return job


def export_run(*, job_id: int, now: datetime | None = None) -> None:
    """Write one export (the worker's part): its rows through the export policy to a file, the
    file to private storage with its SHA-256, then tell the reader. Runs once: a job another
    worker took, or one already finished, is left alone."""
    now = now or timezone.now()
    taken = ExportJob.objects.filter(pk=job_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING, started_at=now
    )
    if not taken:
        return
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    filters = ReportFilters.from_json(job.filters)
    # The queue page's own filters, for the queue asked from that page (reporting.queue_export).
    options = {"queue_filters": filters.queue} if filters.queue is not None else {}

    def progress(rows_done: int, rows_total: int | None = None) -> None:
        changes: dict = {"rows_done": rows_done}
        if rows_total is not None:
            changes["rows_total"] = rows_total
        ExportJob.objects.filter(pk=job.pk).update(**changes)

    try:
        with tempfile.TemporaryFile() as out:
            rows = export_write(
                user=job.requested_by,
                key=job.dataset,
                filters=filters,
                format=job.format,
                out=out,
                progress=progress,
                every=PROGRESS_EVERY,
                **options,
            )
            out.seek(0)
            digest = hashlib.file_digest(out, "sha256").hexdigest()
            size = out.tell()
            out.seek(0)
            name = default_storage.save(f"exports/{now:%Y/%m}/{job.pk}.{job.format}", File(out))
    except Exception:
        logger.exception("export %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.FAILED,
            finished_at=timezone.now(),
            error="The export could not be written. Ask for it again; if it fails again, "
            "tell the service desk its number.",
        )
        return
    finished = timezone.now()
    with transaction.atomic():
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.READY,
            file=name,
            sha256=digest,
            size_bytes=size,
            rows_total=rows,
            rows_done=rows,
            finished_at=finished,
            expires_at=finished + timedelta(hours=settings.EXPORT_RETENTION_HOURS),
        )
        notify_person(
            recipient=job.requested_by,
            subject=f"Your export is ready: {dataset_title(job.dataset)}",
            lead=(
                f"The export you asked for ({dataset_title(job.dataset)}, {rows:,} rows) is ready "
                f"to download for {settings.EXPORT_RETENTION_HOURS} hours."
            ),
            path=reverse("reporting:export", args=[job.pk]),
        )


def export_prune(*, now: datetime | None = None) -> int:
    """Delete the files of exports past their time, and fail exports whose worker was lost;
    how many exports were deleted."""
    now = now or timezone.now()
    ExportJob.objects.filter(status=ExportStatus.RUNNING, started_at__lt=now - RUN_LIMIT).update(
        status=ExportStatus.FAILED,
        finished_at=now,
        error="The export stopped before it was finished. Ask for it again.",
    )
    deleted = 0
    for job in ExportJob.objects.filter(status=ExportStatus.READY, expires_at__lte=now):
        if job.file.name:
            default_storage.delete(job.file.name)
        deleted += ExportJob.objects.filter(pk=job.pk, status=ExportStatus.READY).update(
            status=ExportStatus.EXPIRED, file=""
        )
    return deleted
