"""Reads of the review: the queue, with its priority computed by the database.

The queue's order is `reviews.priority.priority()`, written a second time as a database expression
(`priority_expression`) so that 100,000 applications can be sorted and paged without loading them; a
test holds the two to the same numbers. The queries of a page of the queue are the same in number
whatever the number of applications: the page's rows (found on the applications table alone, then
joined to their organisation and reviewer, in one statement), its count, the counts by status, and
in priority order five small statements that leave out the applications that cannot be on the page
(`QueueQuerySet`). docs/benchmarks.md has the measurements.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Least
from django.http import Http404
from django.utils import timezone

from certification.models import (
    Application,
    ApplicationStatus,
    InformationRequest,
    WorkloadSettings,
)
from certification.workflow import AWAITING_CBP
from recordkeepers.models import RiskFlag, SizeClass, StaffRole, User
from recordkeepers.rules import is_supervisor
from reviews import priority

# The workflow's "awaiting CBP" states, in the order statuses are listed.
QUEUE_STATUSES = [status for status in ApplicationStatus if status in AWAITING_CBP]


class EpochSeconds(Func):
    """Seconds since 1970 of a timestamp, on PostgreSQL and on SQLite."""

    output_field = FloatField()

    def as_postgresql(self, compiler, connection, **extra_context):
        # date_part, not EXTRACT: since PostgreSQL 14 EXTRACT returns numeric, and numeric
        # arithmetic on every application the queue sorts costs several times as much.
        return self.as_sql(
            compiler, connection, template="date_part('epoch', %(expressions)s)", **extra_context
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s) - 2440587.5) * 86400.0)",
            **extra_context,
        )


def _float(value: float) -> Value:
    return Value(float(value), output_field=FloatField())


def waiting_days_expression(now: datetime):
    return ExpressionWrapper(
        (_float(now.timestamp()) - EpochSeconds(F("submitted_at"))) / _float(86400),
        output_field=FloatField(),
    )


def flag_count_expression():
    bits = [F("risk_flag_bits").bitrightshift(i).bitand(1) for i in range(len(RiskFlag.values))]
    return Cast(sum(bits[1:], bits[0]), FloatField())


def answers_arrived_expression():
    return Exists(
        InformationRequest.objects.filter(
            application=OuterRef("pk"), answered_at__isnull=False, acknowledged_at__isnull=True
        )
    )


def answered_application_ids() -> QuerySet:
    """Applications with answers to CBP's questions that their reviewer has not opened yet."""
    return InformationRequest.objects.filter(
        answered_at__isnull=False, acknowledged_at__isnull=True
    ).values("application_id")


def priority_expression(*, now: datetime, workload: WorkloadSettings):
    """`reviews.priority.priority()` as a database expression (see that module for the formula).

    The queue computes it for every application it sorts, so it is written to be cheap per row:
    one CASE on the size class whose branch holds that class's constants, so that the submission
    time is read once; the overdue slope chosen by comparing the submission time with the day the
    target passed, rather than by GREATEST of two products; risk flags counted only when there are
    any; and "answers arrived" as membership of a set the database builds once per query, rather
    than a subquery per row. On PostgreSQL this is about three times as fast as the formula written
    term by term (docs/benchmarks.md).
    """
    seconds_waited = _float(now.timestamp()) - EpochSeconds(F("submitted_at"))

    def waiting_and_volume(size_class: str, volume: float):
        target = workload.target_days(size_class)
        # Within the target: AGE_WEIGHT × age. Past it: (AGE_WEIGHT + OVERDUE_EXTRA_WEIGHT) × age
        # − OVERDUE_EXTRA_WEIGHT × OVERDUE_AFTER, the same line continued twice as steep.
        on_time = priority.AGE_WEIGHT / (86400 * target)
        overdue = (priority.AGE_WEIGHT + priority.OVERDUE_EXTRA_WEIGHT) / (86400 * target)
        overdue_offset = priority.OVERDUE_EXTRA_WEIGHT * priority.OVERDUE_AFTER
        return Case(
            When(
                submitted_at__lt=now - timedelta(days=priority.OVERDUE_AFTER * target),
                then=seconds_waited * _float(overdue) + _float(volume - overdue_offset),
            ),
            default=seconds_waited * _float(on_time) + _float(volume),
            output_field=FloatField(),
        )

    waiting = Case(
        *[
            When(size_class=s, then=waiting_and_volume(s, priority.VOLUME_POINTS[s]))
            for s in SizeClass.values
        ],
        # An application without a size class (none in the queue) waits as a medium one does.
        default=waiting_and_volume(SizeClass.MEDIUM, 0.0),
        output_field=FloatField(),
    )
    risk = Case(
        When(risk_flag_bits=0, then=_float(0)),
        default=_float(priority.RISK_POINTS_PER_FLAG)
        * Least(flag_count_expression(), _float(priority.RISK_FLAGS_COUNTED)),
        output_field=FloatField(),
    )
    answered = Case(
        When(pk__in=answered_application_ids(), then=_float(priority.ANSWERED_POINTS)),
        default=_float(0),
        output_field=FloatField(),
    )
    return ExpressionWrapper(waiting + risk + answered, output_field=FloatField())


def _waited_for(points: float) -> float:
    """The age (waiting days ÷ target days) at which waiting earns `points`: the inverse of
    `priority.Weights.waiting_points`, which rises with age."""
    on_time_points = priority.AGE_WEIGHT * priority.OVERDUE_AFTER
    if points <= on_time_points:
        return points / priority.AGE_WEIGHT
    slope = priority.AGE_WEIGHT + priority.OVERDUE_EXTRA_WEIGHT
    return priority.OVERDUE_AFTER + (points - on_time_points) / slope


# Leaves out only applications at least this far below the floor, so that rounding in the
# database's arithmetic can never leave out one that belongs on the page.
PRUNING_MARGIN = 0.01


class QueueQuerySet(QuerySet):
    """The queue's rows, as `queue()` makes them. A slice of it (a page) is one statement in two
    steps: the page's ids, sorted and cut on the applications table alone with no more than the
    sort needs (`_ids`), then those rows with their joins and annotations. Sorting 100,000 rows
    already joined to their organisations and reviewers, with every annotation computed, costs
    several times as much (docs/benchmarks.md). In priority order the first step also leaves out
    the applications that cannot be on the page (`_priority_candidates`).

    Only the queryset `queue()` returns does this: one derived from it (filtered again, reordered)
    is sliced the ordinary way, because `_ids` would no longer match it.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._ids: QuerySet | None = None  # the same rows and order, no joins or display columns
        self._pruning: tuple[datetime, WorkloadSettings] | None = None

    def __getitem__(self, k):
        if (
            self._ids is None
            or not isinstance(k, slice)
            or k.step is not None
            or self._result_cache is not None
        ):
            return super().__getitem__(k)
        ids = self._ids
        if k.stop and self._pruning:
            candidates = self._priority_candidates(k.stop, *self._pruning)
            if candidates is not None:
                ids = ids.filter(candidates)
        return self.filter(pk__in=ids.values_list("pk", flat=True)[k])

    def count(self) -> int:
        # The same rows, counted from the lighter query: the count does not need the rest.
        if self._ids is not None and self._result_cache is None:
            return self._ids.count()
        return super().count()

    def _priority_candidates(
        self, count: int, now: datetime, workload: WorkloadSettings
    ) -> Q | None:
        """A filter that keeps every application that could be among the first `count` in
        priority order, and leaves out most of the others; None when it would leave out none.

        A priority is the waiting points plus at most a bonus (volume, risk and answers; see
        reviews/priority.py). Take the `count` longest-waiting applications of each size class,
        and `floor`, the `count`-th highest priority among them: at least `count` applications
        score `floor` or more, so one whose waiting points plus its largest possible bonus fall
        short of `floor` cannot be among the first `count`. Waiting points rise with waiting, so
        in each size class what is left out is everything submitted after a certain time, and
        the index on (size_class, submitted_at) finds the rest without reading them all.

        Five small statements, one per size class and the floor, whatever the number of
        applications. The classes' cut-off times are fetched rather than nested as subqueries:
        PostgreSQL cannot estimate how many rows a subquery's time leaves, guesses a third of
        the table and starts parallel workers, which cost more than the whole query.
        """
        longest_waiting = Q()
        for size in SizeClass.values:
            in_class = self._ids.filter(size_class=size)
            last = in_class.order_by("submitted_at", "pk").values_list("submitted_at", flat=True)
            last = list(last[count - 1 : count])
            # A class with fewer than `count`: all of it.
            longest_waiting |= Q(
                size_class=size, **({"submitted_at__lte": last[0]} if last else {})
            )
        floor = self._ids.filter(longest_waiting).values_list("priority", flat=True)
        floor = next(iter(floor[count - 1 : count]), None)
        if floor is None:  # fewer than `count` in all: nothing to leave out
            return None
        # An application without a size class (submission always sets one) is never left out.
        keep = Q(size_class="")
        most_risk = priority.RISK_POINTS_PER_FLAG * priority.RISK_FLAGS_COUNTED
        for size in SizeClass.values:
            bonus = priority.VOLUME_POINTS[size] + most_risk + priority.ANSWERED_POINTS
            points = floor - bonus - PRUNING_MARGIN
            if points <= 0:
                keep |= Q(size_class=size)
                continue
            waited = timedelta(days=_waited_for(points) * workload.target_days(size))
            keep |= Q(size_class=size, submitted_at__lte=now - waited)
        return keep


@dataclass(frozen=True)
class QueueFilters:
    status: str = ""
    size_class: str = ""
    risk_flag: str = ""
    port: str = ""
    assigned: str = ""  # "me", "unassigned", "others", or a reviewer's id
    older_than_days: int | None = None
    search: str = ""
    sort: str = "priority"  # "priority", "age" or "volume"


SORTS = {
    "priority": ["-priority", "submitted_at", "pk"],
    "age": ["submitted_at", "pk"],
    "volume": [F("entries_per_year").desc(nulls_last=True), "submitted_at", "pk"],
}


def queue_visible_to(*, user: User) -> QuerySet[Application]:
    """Reviewers see what they may claim and what is theirs; supervisors see everything."""
    applications = Application.objects.filter(status__in=QUEUE_STATUSES)
    if not is_supervisor(user):
        applications = applications.filter(
            Q(assigned_reviewer__isnull=True) | Q(assigned_reviewer=user)
        )
    return applications


def queue(*, user: User, filters: QueueFilters, now: datetime | None = None) -> QueueQuerySet:
    """The queue as `user` may see it, filtered and sorted, each row annotated with what the
    priority needs (`priority`, `waiting_days`, `flag_count`, `answers_arrived`) and whether an
    information request is overdue."""
    now = now or timezone.now()
    workload = WorkloadSettings.current()
    rows = queue_visible_to(user=user)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.size_class:
        rows = rows.filter(size_class=filters.size_class)
    if filters.risk_flag in RiskFlag.values:
        bit = 1 << RiskFlag.values.index(filters.risk_flag)
        # The bit sets that have the flag, rather than `risk_flag_bits & bit`: the database knows
        # how common each value is, and so how many applications match, but not how many a
        # bitwise AND leaves (PostgreSQL guesses 0.5%, and plans for a handful).
        with_flag = [bits for bits in range(1 << len(RiskFlag.values)) if bits & bit]
        rows = rows.filter(risk_flag_bits__in=with_flag)
    if filters.port:
        token = f"port:{filters.port.strip()}"  # whole: followed by a space or the end
        rows = rows.filter(Q(search_text__contains=f"{token} ") | Q(search_text__endswith=token))
    if filters.assigned == "me":
        rows = rows.filter(assigned_reviewer=user)
    elif filters.assigned == "unassigned":
        rows = rows.filter(assigned_reviewer__isnull=True)
    elif filters.assigned == "others":
        rows = rows.exclude(assigned_reviewer__isnull=True).exclude(assigned_reviewer=user)
    elif filters.assigned.isdigit():
        rows = rows.filter(assigned_reviewer_id=int(filters.assigned))
    if filters.older_than_days:
        rows = rows.filter(submitted_at__lte=now - timedelta(days=filters.older_than_days))
    if filters.search:
        rows = rows.filter(search_text__contains=filters.search.strip().lower())
    overdue = Exists(
        InformationRequest.objects.filter(
            application=OuterRef("pk"), answered_at__isnull=True, due__lt=now.date()
        )
    )
    order = SORTS.get(filters.sort, SORTS["priority"])
    # The page's ids are found from these; the rows are built on them, so that the priority, the
    # largest expression here, is put together once.
    ids = rows.annotate(priority=priority_expression(now=now, workload=workload)).order_by(*order)
    rows = ids.select_related("organisation", "assigned_reviewer").annotate(
        waiting_days=waiting_days_expression(now),
        flag_count=flag_count_expression(),
        answers_arrived=ExpressionWrapper(
            answers_arrived_expression(), output_field=BooleanField()
        ),
        information_overdue=ExpressionWrapper(overdue, output_field=BooleanField()),
    )
    page_rows = QueueQuerySet(model=Application, query=rows.query, using=rows.db)
    page_rows._ids = ids
    # A search matches few applications, so sorting them all is cheap, while the longest-waiting
    # of each size class would be looked for through nearly every application.
    if order is SORTS["priority"] and not filters.search:
        page_rows._pruning = (now, workload)
    return page_rows


def queue_counts(*, user: User) -> dict[str, int]:
    """How many applications in each queue state, and how many are the user's, in one query."""
    # Counting `status` (never null), not the id, needs only columns of the index on
    # (assigned_reviewer, status): PostgreSQL counts from the index alone, twice as fast.
    counts = queue_visible_to(user=user).aggregate(
        total=Count("status"),
        mine=Count("status", filter=Q(assigned_reviewer=user)),
        unassigned=Count("status", filter=Q(assigned_reviewer__isnull=True)),
        **{status: Count("status", filter=Q(status=status)) for status in QUEUE_STATUSES},
    )
    return counts


def why_here(application, workload: WorkloadSettings) -> priority.Priority:
    """The priority of one queue row, with its parts, from the row's own annotations."""
    return priority.priority(
        priority.PriorityInput(
            waiting_days=max(application.waiting_days, 0.0),
            target_days=workload.target_days(application.size_class or SizeClass.MEDIUM),
            size_class=application.size_class or SizeClass.MEDIUM,
            risk_flag_count=int(application.flag_count),
            information_answered=bool(application.answers_arrived),
        )
    )


def reviewers() -> QuerySet[User]:
    """Everyone who reviews, for assignment and the queue's filter."""
    return User.objects.filter(groups__name=StaffRole.REVIEWER.value, is_active=True).order_by(
        "full_name", "email"
    )


def queue_application(*, user: User, pk: int) -> Application:
    """One application of the queue as `user` may see it, or 404."""
    application = (
        queue_visible_to(user=user)
        .select_related("organisation", "assigned_reviewer")
        .filter(pk=pk)
    ).first()
    if application is None:
        raise Http404("No such application in your queue")
    return application
