from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recordkeepers.models import SizeClass
from recordkeepers.sizing import size_class

ORDER = [SizeClass.MICRO, SizeClass.SMALL, SizeClass.MEDIUM, SizeClass.LARGE]


@pytest.mark.parametrize(
    ("entries", "value", "expected"),
    [
        (10, "200000", SizeClass.MICRO),
        (49, "999999.99", SizeClass.MICRO),
        (50, "500000", SizeClass.SMALL),
        (300, "4000000", SizeClass.SMALL),
        (20, "30000000", SizeClass.MEDIUM),  # few entries, great value: weighed by value
        (4999, "249999999", SizeClass.MEDIUM),
        (5000, "1000", SizeClass.LARGE),
        (40000, "900000000", SizeClass.LARGE),
    ],
)
def test_size_class_from_the_program_table(entries, value, expected):
    assert size_class(entries_per_year=entries, import_value=Decimal(value)) == expected


@given(
    entries=st.integers(0, 100_000),
    value=st.decimals(0, 10**10, places=2),
    more_entries=st.integers(0, 100_000),
    more_value=st.decimals(0, 10**10, places=2),
)
def test_a_bigger_business_is_never_in_a_smaller_class(entries, value, more_entries, more_value):
    small = size_class(entries_per_year=entries, import_value=value)
    big = size_class(entries_per_year=entries + more_entries, import_value=value + more_value)
    assert ORDER.index(big) >= ORDER.index(small)


def test_negative_measures_are_refused():
    with pytest.raises(ValueError):
        size_class(entries_per_year=-1, import_value=Decimal(0))
