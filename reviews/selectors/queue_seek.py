"""Where a deep page of the queue starts: past the last row of the page before (keyset, or seek,
pagination), rather than after counting off every row ahead of it as OFFSET does. The cost of a
page no longer grows with its depth: the database starts reading where the page starts, through
an index on the sort's key (certification 0022) for the age and volume orders, and for priority
order each stream of `queue_streams` from the submission time where it passes the row's priority."""

import operator
from dataclasses import dataclass
from functools import reduce
from typing import Any

from django.db.models import BooleanField, Expression, F, Q

# Each sort's key, as (annotation or field, descending), in the order `queue.SORTS` sorts by;
# the primary key last, so that no two rows tie.
SORT_KEYS: dict[str, list[tuple[str, bool]]] = {
    "priority": [("priority", True), ("submitted_at", False), ("pk", False)],
    "age": [("submitted_at", False), ("pk", False)],
    "volume": [("volume", True), ("submitted_at", False), ("pk", False)],
}


@dataclass(frozen=True)
class Seek:
    """Where a deep page starts: after (or, `backwards`, before) the row whose sort key is `key`,
    one value per `SORT_KEYS` entry. None as `key`: backwards from the end (the last page)."""

    key: tuple[Any, ...] | None
    backwards: bool = False

    def condition(self, sort: str) -> Q:
        """The rows past `key` in the sort's order: lexicographic over the key, with its first
        column also as a plain bound, so that an index on the key starts reading there."""
        if self.key is None:
            return Q()
        if sort == "priority":
            return Q(PastPriorityKey(self.key, backwards=self.backwards))
        names = SORT_KEYS[sort]
        steps = []
        for i, (name, descending) in enumerate(names):
            later = "lt" if descending != self.backwards else "gt"
            step = Q(**{f"{name}__{later}": self.key[i]})
            for j in range(i):
                step &= Q(**{names[j][0]: self.key[j]})
            steps.append(step)
        first, descending = names[0]
        bound = "lte" if descending != self.backwards else "gte"
        condition = Q(**{f"{first}__{bound}": self.key[0]}) & reduce(operator.or_, steps)
        return condition


class PastPriorityKey(Expression):
    """The rows past `key` in priority order, as one row comparison:
    (-priority, submitted_at, id) > (-p, t, i), or < backwards. The priority is an expression of
    some 2,000 characters, which the lexicographic form of `Seek.condition` would repeat four
    times in the page's statement (and the database parse and plan four times); no index is read
    by priority (the streams start each at its own time: `queue_streams.stream_bound`), so it has
    no plain bound to give either. Negating a float is exact, so the order is the same."""

    output_field = BooleanField()

    def __init__(self, key: tuple[Any, ...], *, backwards: bool) -> None:
        super().__init__()
        self.key = key
        self.backwards = backwards
        self.sources = [F("priority"), F("submitted_at"), F("pk")]

    def get_source_expressions(self) -> list[Any]:
        return self.sources

    def set_source_expressions(self, exprs: Any) -> None:
        self.sources = list(exprs)

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        parts, params = [], []
        for source in self.sources:
            sql, source_params = compiler.compile(source)
            parts.append(sql)
            params.extend(source_params)
        priority, submitted_at, pk = self.key
        operator = "<" if self.backwards else ">"
        sql = f"(-({parts[0]}), {parts[1]}, {parts[2]}) {operator} (%s, %s, %s)"
        # The time as the database stores it (SQLite compares text), as a lookup would adapt it.
        when = connection.ops.adapt_datetimefield_value(submitted_at)
        return sql, [*params, -priority, when, pk]
