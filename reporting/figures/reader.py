"""The history by day, read: the tallies (reporting.figures.tallies) for the days they reach and
the log for the days since, put together so that a figure cannot tell which it read."""

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast

from django.core.cache import cache
from django.db.models import Case, DateField, F, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from reporting.figures.common import decided_in_scope, in_scope, start_of
from reporting.figures.tallies import COUNTS, count_answers, count_decisions, count_events
from reporting.filters import ReportFilters
from reporting.models import DayTally, Measure, TallyState

# What a page read of the tallies is kept in the cache under, and for how long at most (a day's
# run moves the key on before then).
TALLIED_KEY = "reporting:tallied:v2:{name}:{filters}:{state}"
TALLIED_SECONDS = 26 * 3600


@dataclass(frozen=True)
class Decisions:
    """What `Tallies.decisions` returns: how many by (size class, route, outcome), and how many
    of those on submitted applications took each time in tenths of a day, by size class."""

    outcomes: Counter[tuple[str, str, str]]
    times: defaultdict[str, Counter[int]]


# What `Tallies.counts` returns: (measure, day or None for the days before the period, size class).
DayCount = tuple[str, date | None, str]


def _summed(rows: QuerySet) -> dict[tuple, int]:
    """The tallies' counts summed by the fields of `rows` (a `values_list`): a key of those fields
    to its sum, ready for a Counter."""
    return {tuple(fields): n for *fields, n in rows.annotate(n=Sum("count")).order_by()}


def _by_size(rows: QuerySet) -> dict[str, dict[int, int]]:
    """The tallies' counts of times summed by size class and tenths of a day (`rows` a
    `values_list("size_class", "tenths")`): by size class, the count of each time."""
    found: dict[str, dict[int, int]] = {}
    for size, tenths, n in rows.annotate(n=Sum("count")).order_by():
        found.setdefault(size, {})[tenths] = n
    return found


def _tallied(measure: Measure, filters: ReportFilters, *, before: datetime) -> QuerySet[DayTally]:
    """The tallies of `measure` for the days of the period before the instant `before` (where the
    log takes over), of the size class `filters` keep."""
    tallied = DayTally.objects.filter(
        measure=measure, day__gte=filters.start, day__lt=timezone.localtime(before).date()
    )
    return tallied.filter(size_class=filters.size_class) if filters.size_class else tallied


class Tallies:
    """One page's reading of the history: the tallies for the days they reach, the log for the
    days since. Each reading is made once a page, whichever figures share it; what is read of the
    tallies is kept in the cache until they change (`_kept`), what is read of the log never is."""

    def __init__(self) -> None:
        self._state: tuple[date | None, datetime | None] | None = None
        self._read: dict[tuple[str, ReportFilters], Any] = {}

    def _tally_state(self) -> tuple[date | None, datetime | None]:
        if self._state is None:
            found = TallyState.objects.filter(pk=1).values_list("through", "tallied_at").first()
            self._state = found or (None, None)
        return self._state

    def through(self) -> date | None:
        """The last day tallied (None: none). One query, once."""
        return self._tally_state()[0]

    def _kept[T](self, name: str, filters: ReportFilters, read: Callable[[], T]) -> T:
        """What `read` reads of the tallies for `filters`, kept in the cache while the tallies
        stay as they are: a run that adds a day, or counts again, moves the state on, and the key
        with it. Tallied days never change, so nothing else can make it stale."""
        through, tallied_at = self._tally_state()
        stamp = tallied_at.timestamp() if tallied_at else ""
        key = TALLIED_KEY.format(
            name=name,
            filters=f"{filters.start}:{filters.end}:{filters.size_class}:{filters.reviewer_id}",
            state=f"{through}:{stamp}",
        )
        return cast(T, cache.get_or_set(key, read, timeout=TALLIED_SECONDS))

    def _log_since(self, filters: ReportFilters) -> datetime | None:
        """The first instant the log is read from for `filters`' period: the day after the last
        tallied (not before the period), None for the period's start, or the period's end when
        the tallies reach past it."""
        through = self.through()
        if through is None or through < filters.start:
            return None
        return start_of(min(through, filters.end) + timedelta(days=1))

    def _memo[T](self, name: str, filters: ReportFilters, read: Callable[[], T]) -> T:
        if (name, filters) not in self._read:
            self._read[name, filters] = read()
        found: T = self._read[name, filters]
        return found

    def counts(self, filters: ReportFilters) -> Counter[DayCount]:
        """Received, decided, withdrawn and the net change in waiting for CBP, by day of the
        period and size class, of the applications `filters` keep; and the net change of every
        day before the period, summed under the day None (where the queue's depth starts). Two
        queries at most (one with a reviewer chosen)."""
        return self._memo("counts", filters, lambda: self._counts(filters))

    def _counts(self, filters: ReportFilters) -> Counter[DayCount]:
        counted: Counter[DayCount] = Counter()

        def add(measure: str, day: date, size: str, n: int) -> None:
            if day >= filters.start:
                counted[measure, day, size] += n
            elif measure == Measure.WAITING:
                counted[measure, None, size] += n

        through = self.through() if filters.reviewer_id is None else None
        since: datetime | None = None
        if through is not None:
            tallied = DayTally.objects.filter(
                Q(day__gte=filters.start) | Q(measure=Measure.WAITING),
                measure__in=COUNTS,
                day__lte=min(through, filters.end),
            )
            if filters.size_class:
                tallied = tallied.filter(size_class=filters.size_class)
            counted.update(  # into an empty Counter: one dict update
                self._kept(
                    "counts",
                    filters,
                    lambda: _summed(
                        tallied.annotate(
                            bucket=Case(
                                When(day__lt=filters.start, then=Value(None)),
                                default=F("day"),
                                output_field=DateField(),
                            )
                        ).values_list("measure", "bucket", "size_class")
                    ),
                )
            )
            since = start_of(through + timedelta(days=1))
        if since is None or since < filters.until:
            scope = in_scope(filters, to_application="application")
            for (measure, day, size, *_), n in count_events(
                since=since, until=filters.until, scope=scope
            ).items():
                add(measure, day, size, n)
        return counted

    def decisions(self, filters: ReportFilters) -> Decisions:
        """The decisions signed off in the period that `filters` keep: by size class, route and
        outcome, and, of those on submitted applications, by size class and tenths of a day from
        submission. Three queries at most."""
        return self._memo("decisions", filters, lambda: self._decisions(filters))

    def _decisions(self, filters: ReportFilters) -> Decisions:
        found = Decisions(outcomes=Counter(), times=defaultdict(Counter))
        since = self._log_since(filters)
        if since is not None:
            tallied = _tallied(Measure.DECISION, filters, before=since)
            if filters.reviewer_id is not None:
                tallied = tallied.filter(recommended_by_id=filters.reviewer_id)
            found.outcomes.update(
                self._kept(
                    "outcomes",
                    filters,
                    lambda: _summed(tallied.values_list("size_class", "route", "outcome")),
                )
            )
            kept_times = self._kept(
                "decision-times",
                filters,
                lambda: _by_size(
                    tallied.filter(tenths__isnull=False).values_list("size_class", "tenths")
                ),
            )
            for size, times in kept_times.items():
                found.times[size].update(times)
        if since is None or since < filters.until:
            for (_, _, size, route, outcome, _, tenths), n in count_decisions(
                since=since or filters.since, until=filters.until, scope=decided_in_scope(filters)
            ).items():
                found.outcomes[size, route, outcome] += n
                if tenths is not None:  # a decision on an application never submitted took none
                    found.times[size][tenths] += n
        return found

    def answers(self, filters: ReportFilters) -> dict[str, Counter[int]]:
        """The requests for information answered in the period that `filters` keep: by size
        class, how many took each time in tenths of a day from the question. Two queries at most
        (one with a reviewer chosen)."""
        return self._memo("answers", filters, lambda: self._answers(filters))

    def _answers(self, filters: ReportFilters) -> dict[str, Counter[int]]:
        counted: defaultdict[str, Counter[int]] = defaultdict(Counter)
        since = self._log_since(filters) if filters.reviewer_id is None else None
        if since is not None:
            tallied = _tallied(Measure.ANSWER, filters, before=since)
            kept = self._kept(
                "answers",
                filters,
                lambda: _by_size(tallied.values_list("size_class", "tenths")),
            )
            for size, times in kept.items():
                counted[size].update(times)
        if since is None or since < filters.until:
            scope = in_scope(filters, to_application="application")
            for (_, _, size, _, _, _, tenths), n in count_answers(
                since=since or filters.since, until=filters.until, scope=scope
            ).items():
                counted[size][tenths or 0] += n  # an answer always took some time
        return counted
