"""Entry numbers: XXX-NNNNNNN-N with its Mod 10 check digit, the check digits worked out by hand."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from participants.entries import InvalidEntryNumber, check_digit, normalise_entry_number


def test_check_digits_worked_by_hand():
    # 1234567890, from the right: doubled 0, 8→16→7, 6→12→3, 4→8, 2→4 = 22; kept 9+7+5+3+1 = 25;
    # 47 needs 3 to reach 50.
    assert check_digit("1234567890") == 3
    # B (2) 7 6 0 5 4 2 3 6 4: doubled 4→8, 3→6, 4→8, 0, 7→14→5 = 27; kept 6+2+5+6+2 = 21: 48 → 2.
    assert check_digit("B760542364") == 2
    # The textbook Luhn example: 7992739871 → 3.
    assert check_digit("7992739871") == 3


@pytest.mark.parametrize(
    "typed",
    ["123-4567890-3", "12345678903", "123 4567890 3", " 123-4567890-3 ", "b76-0542364-2"],
)
def test_an_entry_number_is_accepted_however_it_is_typed(typed):
    assert normalise_entry_number(typed) in {"123-4567890-3", "B76-0542364-2"}


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("123-4567890-4", "check digit of 123-4567890-4 does not match"),
        ("12-4567890-3", "is not an entry number"),
        ("123-456789-3", "is not an entry number"),
        ("123-4567890", "is not an entry number"),
        ("", "is not an entry number"),
        ("1#3-4567890-3", "is not an entry number"),
    ],
)
def test_a_wrong_entry_number_says_what_is_wrong(typed, says):
    with pytest.raises(InvalidEntryNumber, match=says):
        normalise_entry_number(typed)


@given(
    filer=st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=3, max_size=3),
    transaction=st.integers(min_value=0, max_value=9_999_999),
    wrong=st.integers(min_value=1, max_value=9),
)
def test_exactly_one_check_digit_fits_each_number(filer, transaction, wrong):
    base = f"{filer}{transaction:07d}"
    right = check_digit(base)
    assert normalise_entry_number(f"{base}{right}") == f"{filer}-{transaction:07d}-{right}"
    with pytest.raises(InvalidEntryNumber):
        normalise_entry_number(f"{base}{(right + wrong) % 10}")
