"""Percentiles, such as the median and the 90th percentile of how long things take.

The definition is the nearest rank: of n values in ascending order, the p-th percentile is the
value at (1-based) rank ⌈p × n ÷ 100⌉. It is always a value that occurred (a real application's
time, never an average of two), and the median is the 50th percentile by the same rule: of an even
number of values, the lower of the two middle ones. So of [1, 2, 3, 4] the median is 2 and the 90th
percentile is 4; of the ten values 1…10 they are 5 and 9.

The database counts the values (whole days of age; tenths of a day of time taken, in the daily
tallies, reporting.figures.tallies) and the ranks are walked here (`percentile_of_counts`): a row
per distinct value, whatever the number of applications, rather than every value to sort here.
"""

from collections.abc import Mapping
from typing import Any


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
