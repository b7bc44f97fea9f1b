"""The queue's priority as one database expression: `reviews.priority.priority()` written a second
time in SQL, so that 100,000 applications can be sorted and paged without loading them. A test
holds the two to the same numbers (tests/reviews/test_priority.py); docs/benchmarks.md has the
measurements."""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import (
    BooleanField,
    Expression,
    F,
    FloatField,
)

from certification.models import (
    InformationRequest,
    WorkloadSettings,
)
from recordkeepers.models import SizeClass
from reviews import priority


class PriorityExpression(Expression):
    """`reviews.priority.priority()` as one database expression (see that module for the formula).

    The queue computes it for every application it sorts, so the SQL is written to be cheap per
    row: one CASE on the size class whose branch holds that class's constants, so that the
    submission time is read once; the overdue slope chosen by comparing the submission time with
    the day the target passed, rather than by GREATEST of two products; the risk points from the
    flags the database counted when the row was written (`risk_flags_declared`); "answers arrived"
    from the application's own flag (`answers_unread`), rather than a subquery per row.

    It is one node whose SQL is put together here from its four columns, not a tree of Django
    expressions: the tree had some 300 nodes, and copying and resolving it on each query cost
    more Python time per page than the database spent sorting (docs/benchmarks.md).
    """

    output_field = FloatField()

    def __init__(self, *, now: datetime, workload: WorkloadSettings):
        super().__init__()
        self.now = now
        self.workload = workload
        self.sources = [
            F("submitted_at"),
            F("size_class"),
            F("risk_flags_declared"),
            F("answers_unread"),
        ]

    def get_source_expressions(self) -> list[Any]:
        return self.sources

    def set_source_expressions(self, exprs: Iterable[Any]) -> None:
        self.sources = list(exprs)

    # Django passes extra context to as_sql, and takes its parameters as a list or a tuple.
    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        """The SQL, with the formula's numbers and times written into it rather than passed as
        parameters: the expression appears several times in a page's statement, and its hundred
        or so parameters cost more to bind than the database took to run it. Every value written
        in is a number or a time this method formats from its own types, never text from a
        request."""
        compiled = [compiler.compile(source) for source in self.sources]
        (submitted, _), (size, _), (flags, _), (answered, _) = compiled
        params = [param for _, source_params in compiled for param in source_params]
        if params:  # the four are plain columns; anything else would need its parameters placed
            raise ValueError("PriorityExpression's sources must be columns.")
        postgresql = connection.vendor == "postgresql"

        def number(value: float) -> str:
            # Double precision on PostgreSQL: a bare decimal literal is numeric, whose arithmetic
            # on every application the queue sorts costs several times as much.
            return f"{float(value)!r}::float8" if postgresql else repr(float(value))

        def moment(value: datetime) -> str:
            text = connection.ops.adapt_datetimefield_value(value)
            return f"'{text.isoformat() if isinstance(text, datetime) else text}'"

        if postgresql:
            # date_part, not EXTRACT: since PostgreSQL 14 EXTRACT returns numeric.
            epoch = f"date_part('epoch', {submitted})"
        else:
            epoch = f"((julianday({submitted}) - 2440587.5) * 86400.0)"
        seconds_waited = f"({number(self.now.timestamp())} - {epoch})"

        def waiting_and_volume(size_class: str) -> str:
            target = self.workload.target_days(size_class)
            volume = priority.VOLUME_POINTS[size_class]
            # Within the target: AGE_WEIGHT × age. Past it: (AGE_WEIGHT + OVERDUE_EXTRA_WEIGHT) ×
            # age − OVERDUE_EXTRA_WEIGHT × OVERDUE_AFTER, the same line continued twice as steep.
            on_time = priority.AGE_WEIGHT / (86400 * target)
            overdue = (priority.AGE_WEIGHT + priority.OVERDUE_EXTRA_WEIGHT) / (86400 * target)
            overdue_offset = priority.OVERDUE_EXTRA_WEIGHT * priority.OVERDUE_AFTER
            target_passed = self.now - timedelta(days=priority.OVERDUE_AFTER * target)
            return (
                f"(CASE WHEN {submitted} < {moment(target_passed)} "
                f"THEN {seconds_waited} * {number(overdue)} + {number(volume - overdue_offset)} "
                f"ELSE {seconds_waited} * {number(on_time)} + {number(volume)} END)"
            )

        sql = ["(CASE"]
        for size_class in SizeClass.values:
            if size_class != SizeClass.MEDIUM:
                sql.append(f"WHEN {size} = '{size_class}' THEN {waiting_and_volume(size_class)}")
        # Medium, and an application without a size class (none in the queue), as `why_here`.
        sql.append(f"ELSE {waiting_and_volume(SizeClass.MEDIUM)} END)")

        # Risk: the flags declared, counted by the database (Application.risk_flags_declared),
        # up to the number that earn points.
        counted, per_flag = priority.RISK_FLAGS_COUNTED, priority.RISK_POINTS_PER_FLAG
        sql.append(
            f"+ (CASE WHEN {flags} >= {counted:d} THEN {number(per_flag * counted)}"
            f" ELSE {flags} * {number(per_flag)} END)"
        )
        sql.append(
            f"+ (CASE WHEN {answered} THEN {number(priority.ANSWERED_POINTS)} ELSE {number(0)} END)"
        )
        return f"({' '.join(sql)})", []


class InformationOverdue(Expression):
    """Whether a request for information to the application waits for answers past its due day,
    as of `today`: an EXISTS on the requests of the row's id. Written here rather than as
    Django's `Exists(InformationRequest.objects.filter(application=OuterRef("pk"), ...))`, whose
    inner query is built, cloned and re-aliased each time a page's querysets are put together (a
    fifth of the time `queue()` took); the row's id is compiled by Django, so it names whatever
    alias the application's table has in the statement."""

    output_field = BooleanField()

    def __init__(self, *, today: date) -> None:
        super().__init__()
        self.today = today
        self.sources = [F("pk")]

    def get_source_expressions(self) -> list[Any]:
        return self.sources

    def set_source_expressions(self, exprs: Iterable[Any]) -> None:
        self.sources = list(exprs)

    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        application_id, params = compiler.compile(self.sources[0])
        sql = information_overdue_sql(application_id, connection)
        return sql, [*params, connection.ops.adapt_datefield_value(self.today)]


def information_overdue_sql(application_id: str, connection: Any) -> str:
    """`InformationOverdue`'s test for the application whose id the SQL `application_id` names,
    with one placeholder for the day; also written into a queue page's rows' statement
    (`queue_listed`). The table's and columns' names are the model's, quoted by the database."""
    quote = connection.ops.quote_name
    meta: Any = InformationRequest._meta  # its fields here are columns

    def column(name: str) -> str:
        return f"rkcp_request.{quote(meta.get_field(name).column)}"

    return (
        f"EXISTS (SELECT 1 FROM {quote(meta.db_table)} rkcp_request "  # noqa: S608
        f"WHERE {column('application')} = {application_id} "
        f"AND {column('answered_at')} IS NULL AND {column('due')} < %s)"
    )


def waited_for(points: float) -> float:
    """The age (waiting days ÷ target days) at which waiting earns `points`: the inverse of
    `priority.Weights.waiting_points`, which rises with age."""
    on_time_points = priority.AGE_WEIGHT * priority.OVERDUE_AFTER
    if points <= on_time_points:
        return points / priority.AGE_WEIGHT
    slope = priority.AGE_WEIGHT + priority.OVERDUE_EXTRA_WEIGHT
    return priority.OVERDUE_AFTER + (points - on_time_points) / slope
