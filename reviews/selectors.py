"""Reads of the review: the queue, with its priority computed by the database.

The queue's order is `reviews.priority.priority()`, written a second time as a database expression
(`priority_expression`) so that 100,000 applications can be sorted and paged without loading them; a
test holds the two to the same numbers. Every query here is one statement whatever the number of
applications: the page's rows (with their organisation and reviewer joined), its count, and the
counts by status.
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
from django.db.models.functions import Cast, Greatest, Least
from django.http import Http404
from django.utils import timezone

from certification.models import (
    Application,
    ApplicationStatus,
    InformationRequest,
    WorkloadSettings,
)
from recordkeepers.models import RiskFlag, SizeClass, StaffRole, User
from recordkeepers.rules import is_supervisor
from reviews import priority

QUEUE_STATUSES = [
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.IN_REVIEW,
    ApplicationStatus.INFO_REQUESTED,
    ApplicationStatus.RECOMMENDED,
]


class EpochSeconds(Func):
    """Seconds since 1970 of a timestamp, on PostgreSQL and on SQLite."""

    output_field = FloatField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="EXTRACT(EPOCH FROM %(expressions)s)", **extra_context
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


def priority_expression(*, now: datetime, workload: WorkloadSettings):
    """`reviews.priority.priority()` as a database expression (see that module for the formula)."""
    target = Case(
        *[When(size_class=s, then=_float(workload.target_days(s))) for s in SizeClass.values],
        default=_float(workload.target_days(SizeClass.MEDIUM)),
        output_field=FloatField(),
    )
    age = waiting_days_expression(now) / target
    volume = Case(
        *[When(size_class=s, then=_float(p)) for s, p in priority.VOLUME_POINTS.items()],
        default=_float(0),
        output_field=FloatField(),
    )
    risk = _float(priority.RISK_POINTS_PER_FLAG) * Least(
        flag_count_expression(), _float(priority.RISK_FLAGS_COUNTED)
    )
    answered = Case(
        When(answers_arrived_expression(), then=_float(priority.ANSWERED_POINTS)),
        default=_float(0),
        output_field=FloatField(),
    )
    return ExpressionWrapper(
        _float(priority.AGE_WEIGHT) * age
        + _float(priority.OVERDUE_EXTRA_WEIGHT)
        * Greatest(age - _float(priority.OVERDUE_AFTER), _float(0))
        + volume
        + risk
        + answered,
        output_field=FloatField(),
    )


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


def queue(*, user: User, filters: QueueFilters, now: datetime | None = None) -> QuerySet:
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
        rows = rows.alias(flag_set=F("risk_flag_bits").bitand(bit)).filter(flag_set=bit)
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
    return (
        rows.select_related("organisation", "assigned_reviewer")
        .annotate(
            priority=priority_expression(now=now, workload=workload),
            waiting_days=waiting_days_expression(now),
            flag_count=flag_count_expression(),
            answers_arrived=ExpressionWrapper(
                answers_arrived_expression(), output_field=BooleanField()
            ),
            information_overdue=ExpressionWrapper(overdue, output_field=BooleanField()),
        )
        .order_by(*SORTS.get(filters.sort, SORTS["priority"]))
    )


def queue_counts(*, user: User) -> dict[str, int]:
    """How many applications in each queue state, and how many are the user's, in one query."""
    counts = queue_visible_to(user=user).aggregate(
        total=Count("pk"),
        mine=Count("pk", filter=Q(assigned_reviewer=user)),
        unassigned=Count("pk", filter=Q(assigned_reviewer__isnull=True)),
        **{status: Count("pk", filter=Q(status=status)) for status in QUEUE_STATUSES},
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
