"""Celery tasks of the reporting app. Thin: they take ids and call the service that does the work."""

from celery import shared_task

from reporting import services
from reporting.figures import tallies


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_export(*, job_id: int) -> None:
    """Write one export (`services.export_run`, which does nothing for one already taken): given
    back if the worker dies before it starts, failed by the prune if it dies mid-way."""
    services.export_run(job_id=job_id)


@shared_task(acks_late=True)
def prune_exports() -> int:
    """Delete exports past their time (run by Celery beat with the sweeps)."""
    return services.export_prune()


@shared_task(acks_late=True)
def tally_closed_days() -> int:
    """Count the days that closed since the last run for the dashboard (run by Celery beat every
    hour; `tallies.tally_closed_days` does nothing until another day closes)."""
    return tallies.tally_closed_days()
