"""Percentiles, such as the median and the 90th percentile of how long things take.

The definition is the nearest rank: of n values in ascending order, the p-th percentile is the
value at (1-based) rank ⌈p × n ÷ 100⌉. It is always a value that occurred (a real application's
time, never an average of two), and the median is the 50th percentile by the same rule: of an even
number of values, the lower of the two middle ones. So of [1, 2, 3, 4] the median is 2 and the 90th
percentile is 4; of the ten values 1…10 they are 5 and 9.

Either the database ranks the rows of each group (a window function) and returns only the rows at
the wanted ranks (`percentiles_by_group`), or it counts the values, whole days, and the ranks are
walked here (`percentile_of_counts`): a few rows either way, whatever the number of applications,
rather than every value to sort here.
"""

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import CharField, Count, F, Q, QuerySet, Value, Window
from django.db.models.expressions import Expression
from django.db.models.functions import RowNumber


def nearest_rank(n: int, p: int) -> int:
    """The 1-based rank of the p-th percentile (0 < p ≤ 100) of n ≥ 1 values: ⌈p × n ÷ 100⌉."""
    if n < 1 or not 0 < p <= 100:
        raise ValueError(f"No {p}th percentile of {n} values.")
    return -(-p * n // 100)


def percentile_of_counts(counts: Mapping[Any, int], p: int) -> Any:
    """The p-th percentile by nearest rank of values given as how many times each occurs
    ({3: 2, 5: 1, 9: 1} for [3, 3, 5, 9]): for values the database has counted by day."""
    rank = nearest_rank(sum(counts.values()), p)
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        if seen >= rank:
            return value
    raise AssertionError("unreachable: the ranks end at the number of values")


@dataclass(frozen=True)
class Percentiles:
    """A group's number of values and its percentiles, keyed by p."""

    count: int
    values: dict[int, Any]


def percentiles_by_group(
    rows: QuerySet,
    *,
    value: Expression | F,
    group: Expression | None,
    ps: Sequence[int],
) -> dict[Hashable, Percentiles]:
    """The nearest-rank percentiles `ps` of `value` over `rows`, for each value of `group` (all the
    rows together, under the key None, when `group` is None). One query."""
    partition = [group] if group is not None else []
    # No ordering of the model's own: the ranks order what matters, and nothing else needs sorting.
    ranked = rows.order_by().annotate(
        _group=group if group is not None else Value(None, output_field=CharField()),
        _value=value,
        _n=Window(Count("pk"), partition_by=partition),
        _rank=Window(RowNumber(), partition_by=partition, order_by=[value.asc(), F("pk").asc()]),
    )
    # ⌈p × n ÷ 100⌉ as (p × n + 99) ÷ 100 with the integer division both databases do on integers.
    wanted = reduce(or_, (Q(_rank=(F("_n") * p + 99) / 100) for p in ps))
    found: dict[Hashable, Percentiles] = {}
    for key, n, rank, found_value in ranked.filter(wanted).values_list(
        "_group", "_n", "_rank", "_value"
    ):
        group_found = found.setdefault(key, Percentiles(count=n, values={}))
        for p in ps:
            if nearest_rank(n, p) == rank:
                group_found.values[p] = found_value
    return found
