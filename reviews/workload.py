"""The staff dashboard's workload panel: each reviewer's open applications against capacity, and
when a newly submitted application would start review.

Workload shapes scheduling only; it is never a reason in a decision (see certification/scheduling.py
for the projection's model).
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.utils import timezone

from certification.models import Application, ApplicationStatus, WorkloadSettings
from certification.scheduling import (
    OPEN_STATUSES,
    Projection,
    Workload,
    projections_for_new_application,
)
from certification.workflow import APPLICATIONS_VERSION
from common import cache_versions
from recordkeepers.models import SizeClass, User
from reviews import selectors

# The panel's counts over the applications table are kept this long at most: every move of the
# workflow (submission, assignment, recusal, a status change) makes them stale at once.
COUNTS_SECONDS = 300


@dataclass(frozen=True)
class OpenWork:
    """The applications the panel counts, counted once for everyone: open ones by (reviewer, size
    class) whoever holds them, and those nobody has taken by size class. Who reviews now is not
    part of it, so that a change of reviewers shows at once."""

    open: Counter[tuple[int, str]]
    waiting: Counter[str]


def _size(size_class: str) -> str:
    # An application without a size class is counted as medium (certification.scheduling).
    return size_class or SizeClass.MEDIUM.value


def open_work() -> OpenWork:
    """The counts, read in one query over the applications, and cached until the workflow moves
    one (`common.cache_versions`), so the dashboard does not count the whole table per request."""
    return cache_versions.cached(
        "workload-counts", APPLICATIONS_VERSION, _count_open_work, timeout=COUNTS_SECONDS
    )


def _count_open_work() -> OpenWork:
    rows = (
        Application.objects.filter(status__in=OPEN_STATUSES)
        .values_list("assigned_reviewer", "size_class")
        .annotate(
            held=Count("pk"),
            submitted=Count("pk", filter=Q(status=ApplicationStatus.SUBMITTED)),
        )
        .order_by()
    )
    work = OpenWork(open=Counter(), waiting=Counter())
    for reviewer_id, size_class, held, submitted in rows:
        if reviewer_id is None:
            work.waiting[_size(size_class)] += submitted
        else:
            work.open[reviewer_id, _size(size_class)] += held
    return work


def reviewers_with_open_count(work: OpenWork | None = None) -> list[User]:
    """Active reviewers, each with `open_count`: applications assigned to them and not yet
    decided. One query for the reviewers; the counts come from `open_work()`."""
    work = work or open_work()
    reviewers = list(selectors.reviewers())
    for reviewer in reviewers:
        reviewer.open_count = sum(  # type: ignore[attr-defined]
            work.open[reviewer.pk, size] for size in SizeClass.values
        )
    return reviewers


def current_workload(*, reviewers: list[User], work: OpenWork) -> Workload:
    """CBP's workload now, as `certification.scheduling.workload_current` counts it, from the
    cached counts: work held by someone who no longer reviews occupies no reviewer's place."""
    settings = WorkloadSettings.current()
    active = {reviewer.pk for reviewer in reviewers}
    return Workload(
        reviewers=len(active),
        capacity=settings.reviewer_capacity,
        open_by_size={
            s: sum(n for (pk, size), n in work.open.items() if size == s and pk in active)
            for s in SizeClass.values
        },
        waiting_by_size={s: work.waiting[s] for s in SizeClass.values},
        target_days_by_size={s: settings.target_days(s) for s in SizeClass.values},
    )


@dataclass(frozen=True)
class ReviewerLoad:
    reviewer: User
    open_count: int
    capacity: int

    @property
    def over_capacity(self) -> bool:
        return self.open_count > self.capacity


@dataclass(frozen=True)
class WorkloadPanel:
    rows: list[ReviewerLoad]
    workload: Workload
    projections: list[tuple[str, Projection]]  # (size class label, projection)

    @property
    def capacity(self) -> int:
        return self.workload.capacity

    @property
    def total_open(self) -> int:
        return sum(row.open_count for row in self.rows)

    @property
    def total_capacity(self) -> int:
        return self.workload.slots

    @property
    def waiting(self) -> int:
        return self.workload.waiting

    @property
    def over_capacity(self) -> bool:
        """A newly submitted application would have to wait for a place."""
        return any(projection.over_capacity for _, projection in self.projections)

    @property
    def no_projection_reason(self) -> str:
        return next((p.reason for _, p in self.projections if p.reason), "")


def workload_panel(*, today: date | None = None) -> WorkloadPanel:
    """The panel, in two small queries (the settings and the reviewers) once the counts are cached."""
    work = open_work()
    reviewers = reviewers_with_open_count(work)
    workload = current_workload(reviewers=reviewers, work=work)
    projections = projections_for_new_application(
        today=today or timezone.localdate(), workload=workload
    )
    return WorkloadPanel(
        rows=[
            ReviewerLoad(
                reviewer=reviewer,
                open_count=reviewer.open_count,  # type: ignore[attr-defined]
                capacity=workload.capacity,
            )
            for reviewer in reviewers
        ],
        workload=workload,
        projections=[(SizeClass(s).label, projections[s]) for s in SizeClass.values],
    )
