"""The percentile rule: nearest rank, ⌈p × n ÷ 100⌉, checked against ranks worked out by hand."""

import pytest

from reporting.figures.stats import nearest_rank, percentile_of_counts


@pytest.mark.parametrize(
    ("n", "p", "rank"),
    [
        (1, 50, 1),
        (1, 90, 1),
        (2, 50, 1),  # of two, the lower
        (2, 90, 2),
        (3, 50, 2),
        (4, 50, 2),  # [1, 2, 3, 4]: the median is 2
        (4, 90, 4),
        (5, 90, 5),  # ⌈4.5⌉
        (9, 50, 5),  # ⌈4.5⌉
        (9, 90, 9),  # ⌈8.1⌉
        (10, 50, 5),
        (10, 90, 9),  # exactly 9: 1…10 has 9 as its 90th percentile
        (11, 90, 10),  # ⌈9.9⌉
        (20, 90, 18),
        (100, 100, 100),
    ],
)
def test_nearest_rank(n, p, rank):
    assert nearest_rank(n, p) == rank


@pytest.mark.parametrize(("n", "p"), [(0, 50), (3, 0), (3, 101)])
def test_no_percentile_of_nothing_or_out_of_range(n, p):
    with pytest.raises(ValueError, match="percentile"):
        nearest_rank(n, p)


@pytest.mark.parametrize(
    ("counts", "p", "value"),
    [
        ({7: 1}, 50, 7),
        ({1: 1, 12: 1}, 50, 1),  # [1, 12]: the lower middle
        ({12: 1, 1: 1}, 90, 12),
        ({3: 2, 5: 1, 9: 1}, 50, 3),  # [3, 3, 5, 9]: rank 2
        ({3: 2, 5: 1, 9: 1}, 90, 9),  # rank 4
        ({10: 5, 2: 5}, 50, 2),  # five 2s then five 10s: rank 5
        ({10: 5, 2: 5}, 90, 10),  # rank 9
    ],
)
def test_percentile_of_counted_values(counts, p, value):
    assert percentile_of_counts(counts, p) == value


def test_no_percentile_of_no_values():
    with pytest.raises(ValueError, match="percentile"):
        percentile_of_counts({}, 50)
