"""The queue in priority order, read as streams that are each already in order.

A priority cannot be indexed: it grows with the clock. But within one size class, one number of
risk flags and whether answers just arrived, every part of it but waiting is the same, and waiting
points rise with waiting: so priority falls as submission time rises, and the index on (size class,
flags declared, answers unread, submission time, id) (certification 0024) reads such a stream in
the queue's order. The queue is the merge of these streams (5 size classes, none included, × 7
flag counts × 2), so a page's rows are among the first `stop` of each stream: one statement reads
them all, each stream through its index (`LATERAL`, PostgreSQL only), and cuts the page from them.
Its cost grows neither with the queue nor with the depth of a deep page, which starts each stream
at the submission time where its priorities pass the last row shown (`stream_bound`). A search is
not read this way (`queue.queue`): its matches come through the trigram index.
"""

from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from certification.models import WorkloadSettings
from recordkeepers.models import RiskFlag, SizeClass
from reviews import priority
from reviews.selectors.queue_priority import waited_for
from reviews.selectors.queue_seek import PastPriorityKey

# Keeps a stream's starting time a little earlier (or later) than the arithmetic says, so that
# rounding in the database can never leave out a row that belongs on the page.
MARGIN_POINTS = 0.01
FAR_PAST = datetime(1, 1, 2, tzinfo=UTC)
FAR_FUTURE = datetime(9999, 12, 30, tzinfo=UTC)

# (size class, risk flags declared, answers unread): every stream. An application without a size
# class (none in the queue: submission sets it) is ranked as a medium one, as `queue.why_here` does.
STREAMS = [
    (size, flags, answered)
    for size in [*SizeClass.values, ""]
    for flags in range(len(RiskFlag.values) + 1)
    for answered in (False, True)
]


def _ranked_as(size: str) -> str:
    return size or SizeClass.MEDIUM


def bonus(size: str, flags: int, answered: bool) -> float:
    """What a stream's applications earn beyond waiting: volume, risk and answers."""
    counted = min(flags, priority.RISK_FLAGS_COUNTED)
    answers = priority.ANSWERED_POINTS if answered else 0.0
    return (
        priority.VOLUME_POINTS[_ranked_as(size)] + priority.RISK_POINTS_PER_FLAG * counted + answers
    )


@cache
def _streams(target_days: tuple[tuple[str, int], ...]) -> list[tuple[str, int, bool, float, int]]:
    """Every stream with what its rows earn beyond waiting and its size class's target days,
    worked out once for each set of target days rather than on every deep page."""
    days = dict(target_days)
    return [(*each, bonus(*each), days[_ranked_as(each[0])]) for each in STREAMS]


def stream_bound(
    bonus: float, target_days: int, points: float, *, backwards: bool, now: datetime
) -> datetime | None:
    """Where the rows past a priority of `points` start in a stream whose rows earn `bonus`
    beyond waiting, against `target_days`. Forwards (lower priorities): those submitted at or
    after the time when waiting earns `points` less the bonus, or None when every row of it
    scores more; backwards (higher priorities), at or before that time, or FAR_FUTURE when every
    row of it scores at least `points`."""
    waiting = points - bonus + (-MARGIN_POINTS if backwards else MARGIN_POINTS)
    if waiting <= 0:
        return FAR_FUTURE if backwards else None
    return now - timedelta(days=waited_for(waiting) * target_days)


def page_ids(
    ids: QuerySet,
    *,
    start: int,
    stop: int,
    backwards: bool,
    key: tuple[Any, ...] | None,
    now: datetime,
    workload: WorkloadSettings,
) -> RawSQL:
    """A subquery of the ids and priorities (`pk`, `priority`) of rows `start` to `stop` of
    `ids` (the queue's rows annotated with `priority` and filtered) in priority order or,
    `backwards`, the reverse, past the row whose sort key is `key` (priority, submitted_at, id)
    if any: where each stream starts.

    Past the cursor's row is a comparison of priorities, computed per row; but within a stream
    priority falls as submission time rises, so only rows near where the stream crosses the
    cursor's priority need it. Each stream also carries the time past which (or, backwards,
    before which) its every row is certainly past the cursor, by `MARGIN_POINTS`, and the
    comparison is only made on the rows short of it."""
    after = key[0] if key is not None else None
    days = tuple((size, workload.target_days(size)) for size in SizeClass.values)
    chosen = []
    for size, flag_count, answers, earned, target in _streams(days):
        bound: datetime | None = FAR_FUTURE if backwards else FAR_PAST
        sure = FAR_PAST if backwards else FAR_FUTURE  # no row certainly past: compare them all
        if after is not None:
            bound = stream_bound(earned, target, after, backwards=backwards, now=now)
            # The time where the stream is a margin past the cursor's priority, on the far side.
            beyond = after + 2 * MARGIN_POINTS if backwards else after - 2 * MARGIN_POINTS
            crossing = stream_bound(earned, target, beyond, backwards=backwards, now=now)
            if crossing is not None:
                sure = crossing
        if bound is not None:  # None: every row of it comes before the page
            chosen.append((size, flag_count, answers, bound, sure))
    if not chosen:  # nothing after the row: an empty page
        return RawSQL("SELECT NULL::bigint AS pk, NULL::float8 AS priority WHERE false", ())
    stream = ids.filter(
        size_class=RawSQL("streams.size_class", ()),
        risk_flags_declared=RawSQL("streams.flags", ()),
        answers_unread=RawSQL("streams.answered", ()),
        **{"submitted_at__lte" if backwards else "submitted_at__gte": RawSQL("streams.bound", ())},
    )
    if key is not None:
        # The cheap test first: PostgreSQL evaluates OR's arms in the order written.
        certainly = Q(
            **{"submitted_at__lt" if backwards else "submitted_at__gt": RawSQL("streams.sure", ())}
        )
        stream = stream.filter(certainly | Q(PastPriorityKey(key, backwards=backwards)))
    # Oldest first; newest first when `ids` is reversed (backwards), as reverse() applies to any
    # ordering given after it.
    stream = stream.order_by("submitted_at", "pk").values_list("pk", "priority", "submitted_at")[
        :stop
    ]
    # The streams as five arrays, one parameter each, rather than a VALUES list of 350; each
    # written as an array's text (of our own values: size classes, counts, booleans and times),
    # which the driver sends as it is, rather than as lists it would convert item by item.
    sizes, flags, answered, bounds, sures = zip(*chosen, strict=True)
    params = [
        "{" + ",".join(size or '""' for size in sizes) + "}",
        "{" + ",".join(map(str, flags)) + "}",
        "{" + ",".join("t" if each else "f" for each in answered) + "}",
        "{" + ",".join(f'"{_text(bound)}"' for bound in bounds) + "}",
        "{" + ",".join(f'"{_text(sure)}"' for sure in sures) + "}",
    ]
    streams = (
        "unnest(%s::text[], %s::smallint[], %s::boolean[], %s::timestamptz[], "
        "%s::timestamptz[]) AS streams (size_class, flags, answered, bound, sure)"
    )
    # Every piece is Django's compiled SQL or a placeholder: no value is in the text.
    stream_sql, stream_params = stream.query.sql_with_params()
    merged = f"SELECT page.* FROM {streams} CROSS JOIN LATERAL ({stream_sql}) AS page"  # noqa: S608
    order = (
        "priority, submitted_at DESC, pk DESC" if backwards else "priority DESC, submitted_at, pk"
    )
    return RawSQL(  # noqa: S611
        f"SELECT pk, priority FROM ({merged}) AS merged ORDER BY {order} LIMIT %s OFFSET %s",  # noqa: S608
        (*params, *stream_params, stop - start, start),
    )


_FAR = {FAR_PAST: FAR_PAST.isoformat(), FAR_FUTURE: FAR_FUTURE.isoformat()}


def _text(moment: datetime) -> str:
    return _FAR.get(moment) or moment.isoformat()
