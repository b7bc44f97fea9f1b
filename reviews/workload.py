"""The staff dashboard's workload panel: each reviewer's open applications against capacity, and
when a newly submitted application would start review.

Workload shapes scheduling only; it is never a reason in a decision (see certification/scheduling.py
for the projection's model).
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from certification.scheduling import (
    OPEN_STATUSES,
    Projection,
    Workload,
    projections_for_new_application,
    workload_current,
)
from recordkeepers.models import SizeClass, User
from reviews import selectors


def reviewers_with_open_count() -> QuerySet[User]:
    """Active reviewers, each annotated with `open_count`: applications assigned to them and not
    yet decided. One query."""
    return selectors.reviewers().annotate(
        open_count=Count(
            "assigned_applications",
            filter=Q(assigned_applications__status__in=OPEN_STATUSES),
            distinct=True,
        )
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
    workload = workload_current()
    projections = projections_for_new_application(
        today=today or timezone.localdate(), workload=workload
    )
    return WorkloadPanel(
        rows=[
            ReviewerLoad(
                reviewer=reviewer,
                open_count=reviewer.open_count,  # type: ignore[attr-defined]  # an annotation
                capacity=workload.capacity,
            )
            for reviewer in reviewers_with_open_count()
        ],
        workload=workload,
        projections=[(SizeClass(s).label, projections[s]) for s in SizeClass.values],
    )
