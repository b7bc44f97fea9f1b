"""When a review is expected to start and end: a projection from CBP's workload.

Workload shapes scheduling only: the dates shown to staff and the expected timeline shown to
applicants. It is never a reason in a decision, and nothing that decides, scores or writes a letter
reads this module.

The model
---------
CBP has ``slots = reviewers × capacity`` places for open applications (``capacity`` is
`WorkloadSettings.reviewer_capacity`). Reviewers hold ``open_work`` applications, assigned and not
yet decided; ``ahead`` applications were submitted before ours and nobody has taken them yet.
Reviewers are pooled: we assume supervisors balance the work, so one reviewer's free places offset
another's excess (the staff dashboard shows each reviewer's load so that they can).

Our application can start once fewer than ``slots`` applications are ahead of it in the system,
that is once

    n = open_work + ahead − slots + 1

applications have been decided. If ``n ≤ 0`` a place is free now and it starts today. Otherwise each
place frees up about once every ``turnover_days`` (the mean target days of the work in front of
it), so CBP decides about ``slots`` applications per turnover period, and counting whole periods

    wait = ⌈n ÷ slots⌉ × turnover_days    (rounded up to whole days)
    start = today + wait;  decision = start + the application's own target days

While open work fits the slots, ``n`` is the brief's ``ahead − free + 1`` with
``free = slots − open_work``. When reviewers hold more than their capacity, the formula also makes
the excess be worked off before anything new starts, which ``free = max(0, …)`` alone would forget.

It is deliberately conservative, for a "by about" date: it treats every place as freeing at the end
of a whole period, although work already open is part done, and it takes the waiting line in order
of submission, although the queue's priority (reviews/priority.py) reorders it within bounds.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from certification.models import Application, ApplicationStatus, WorkloadSettings
from certification.workflow import AWAITING_CBP
from recordkeepers.models import SizeClass, StaffRole, User

# Assigned and not decided: what occupies a reviewer's place.
OPEN_STATUSES = sorted(AWAITING_CBP)


@dataclass(frozen=True)
class Projection:
    """When a review is expected to start and be decided.

    `starts_on` and `decided_by` are None when there is no projection, and `reason` says why (for
    staff). `sentence` is for the applicant, in plain language.
    """

    starts_on: date | None
    decided_by: date | None
    over_capacity: bool
    sentence: str
    reason: str = ""
    starts_now: bool = False


def _long_date(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"  # March 3, 2027


def _starting(*, today: date, wait_days: int, target_days: int, over_capacity: bool) -> Projection:
    starts_on = today + timedelta(days=wait_days)
    decided_by = starts_on + timedelta(days=target_days)
    if wait_days == 0:
        sentence = (
            "CBP expects to start reviewing it shortly, "
            f"and to decide by about {_long_date(decided_by)}."
        )
    else:
        sentence = (
            f"CBP expects to start reviewing it by about {_long_date(starts_on)}, "
            f"and to decide by about {_long_date(decided_by)}."
        )
    if over_capacity:
        sentence += " Many applications are waiting, so this is later than usual."
    return Projection(
        starts_on=starts_on,
        decided_by=decided_by,
        over_capacity=over_capacity,
        sentence=sentence,
        starts_now=wait_days == 0,
    )


def project_review_start(
    *,
    ahead: int,
    reviewers: int,
    capacity: int,
    open_work: int,
    target_days: int,
    today: date,
    turnover_days: float | None = None,
) -> Projection:
    """Project when the review of an application behind `ahead` others starts and ends.

    `target_days` is the application's own target; `turnover_days`, how long a place stays taken on
    average, defaults to it. See the module docstring for the model.
    """
    if min(ahead, reviewers, capacity, open_work) < 0:
        raise ValueError("Counts cannot be negative.")
    if target_days < 1:
        raise ValueError("target_days must be at least 1.")
    turnover = target_days if turnover_days is None else turnover_days
    if turnover <= 0:
        raise ValueError("turnover_days must be positive.")
    slots = reviewers * capacity
    if slots == 0:
        reason = (
            "No reviewer is active, so no start date can be projected."
            if reviewers == 0
            else "Reviewer capacity is set to 0, so no start date can be projected."
        )
        return Projection(
            starts_on=None,
            decided_by=None,
            over_capacity=True,
            sentence="CBP cannot yet estimate when the review will start.",
            reason=reason,
        )
    decided_first = open_work + ahead - slots + 1
    if decided_first <= 0:
        return _starting(today=today, wait_days=0, target_days=target_days, over_capacity=False)
    periods = math.ceil(decided_first / slots)
    return _starting(
        today=today,
        wait_days=math.ceil(periods * turnover),
        target_days=target_days,
        over_capacity=True,
    )


# --- Reading the current workload -----------------------------------------------------------------


@dataclass(frozen=True)
class Workload:
    """CBP's workload now, counted by size class.

    `waiting_by_size` counts submitted applications nobody has taken: all of them, or only those
    ahead of one application.
    """

    reviewers: int
    capacity: int
    open_by_size: Mapping[str, int]
    waiting_by_size: Mapping[str, int]
    target_days_by_size: Mapping[str, int]

    @property
    def open_work(self) -> int:
        return sum(self.open_by_size.values())

    @property
    def waiting(self) -> int:
        return sum(self.waiting_by_size.values())

    @property
    def slots(self) -> int:
        return self.reviewers * self.capacity

    def target_days(self, size_class: str) -> int:
        return self.target_days_by_size[size_class or SizeClass.MEDIUM.value]

    def turnover_days(self) -> float | None:
        """The mean target days of the work open and waiting (None if there is none)."""
        work = [
            (self.open_by_size[size] + self.waiting_by_size[size], days)
            for size, days in self.target_days_by_size.items()
        ]
        count = sum(n for n, _ in work)
        return sum(n * days for n, days in work) / count if count else None

    def project(self, *, size_class: str, today: date) -> Projection:
        return project_review_start(
            ahead=self.waiting,
            reviewers=self.reviewers,
            capacity=self.capacity,
            open_work=self.open_work,
            target_days=self.target_days(size_class),
            today=today,
            turnover_days=self.turnover_days(),
        )


def active_reviewers() -> QuerySet[User]:
    return User.objects.filter(groups__name=StaffRole.REVIEWER.value, is_active=True)


def workload_current(*, ahead_of: Application | None = None) -> Workload:
    """The workload now, in two queries besides the settings: the active reviewers, and one
    aggregate of applications open with them and waiting, by size class.

    With `ahead_of`, only the applications submitted before it count as waiting. Work held by
    someone who no longer reviews occupies no reviewer's place and is left out until reassigned.
    Applications without a size class are counted as medium.
    """
    settings = WorkloadSettings.current()
    reviewers = active_reviewers().count()
    open_work = Q(status__in=OPEN_STATUSES, assigned_reviewer__in=active_reviewers())
    waiting = Q(status=ApplicationStatus.SUBMITTED, assigned_reviewer__isnull=True)
    if ahead_of is not None:
        waiting &= Q(submitted_at__lt=ahead_of.submitted_at) | Q(
            submitted_at=ahead_of.submitted_at, pk__lt=ahead_of.pk
        )

    def of_size(size: str) -> Q:
        if size == SizeClass.MEDIUM:
            return Q(size_class__in=[size, ""])
        return Q(size_class=size)

    counts = Application.objects.aggregate(
        **{f"open_{s}": Count("pk", filter=open_work & of_size(s)) for s in SizeClass.values},
        **{f"waiting_{s}": Count("pk", filter=waiting & of_size(s)) for s in SizeClass.values},
    )
    return Workload(
        reviewers=reviewers,
        capacity=settings.reviewer_capacity,
        open_by_size={s: counts[f"open_{s}"] for s in SizeClass.values},
        waiting_by_size={s: counts[f"waiting_{s}"] for s in SizeClass.values},
        target_days_by_size={s: settings.target_days(s) for s in SizeClass.values},
    )


def projections_for_new_application(
    *, today: date | None = None, workload: Workload | None = None
) -> dict[str, Projection]:
    """For each size class, when a newly submitted application would start and be decided: behind
    every application waiting now."""
    today = today or timezone.localdate()
    workload = workload or workload_current()
    return {s: workload.project(size_class=s, today=today) for s in SizeClass.values}


def projection_for_application(
    *, application: Application, today: date | None = None
) -> Projection | None:
    """When this submitted application's review is expected to start and end, counting the
    applications submitted before it. None unless it is submitted (waiting for CBP to start)."""
    if application.status != ApplicationStatus.SUBMITTED or application.submitted_at is None:
        return None
    today = today or timezone.localdate()
    if application.assigned_reviewer_id is not None:
        # A reviewer already holds it: its review is about to start.
        settings = WorkloadSettings.current()
        return _starting(
            today=today,
            wait_days=0,
            target_days=settings.target_days(application.size_class or SizeClass.MEDIUM),
            over_capacity=False,
        )
    workload = workload_current(ahead_of=application)
    return workload.project(size_class=application.size_class, today=today)
