"""The number formats a recordkeeper types: pure functions, no database."""

import re

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.us import ein

from recordkeepers.validators import (
    IMPORTER_NUMBER_FORMATS,
    normalise_ein,
    normalise_importer_number,
    normalise_port_code,
    normalise_zip_code,
    validate_importer_numbers,
    validate_port_codes,
    validate_zip_code,
)

EIN_PREFIXES = [f"{n:02d}" for n in range(100) if ein.is_valid(f"{n:02d}1234567")]
SUFFIX_ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXY"  # no O, I or Z
CANONICAL = re.compile(
    r"[0-9]{2}-[0-9]{9}|[0-9]{2}-[0-9]{7}[0-9A-HJ-NP-Y]{2}|[0-9]{3}-[0-9]{2}-[0-9]{4}|[0-9]{6}-[0-9]{5}",
    re.ASCII,
)


def _code(error: pytest.ExceptionInfo[ValidationError]) -> str:
    return error.value.error_list[0].code


# --- Importer numbers ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("12-345678900", "12-345678900"),
        ("  12-3456789ab\t", "12-3456789AB"),
        ("95-1234567C7", "95-1234567C7"),
        ("123-45-6789", "123-45-6789"),
        (" 260115-00042 ", "260115-00042"),
        # As people type them: hyphens or spaces between any of the parts, or none at all.
        ("12-3456789-00", "12-345678900"),
        ("12 3456789 00", "12-345678900"),
        ("12345678900", "12-345678900"),
        ("123456789ab", "12-3456789AB"),
        ("123456789-00", "12-345678900"),
        ("123 45 6789", "123-45-6789"),
        ("260115 00042", "260115-00042"),
        ("12 - 3456789 - 00", "12-345678900"),
    ],
)
def test_importer_numbers_in_each_format_are_normalised(typed, normalised):
    assert normalise_importer_number(typed) == normalised


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "12-34",
        "1-23456789000",
        "123-456-789",
        "12-3456789A",
        "12-3456789ABC",
        "26011-500042",
        "١٢-٣٤٥٦٧٨٩٠٠",  # Arabic-Indic digits look right but are not what CBP issues
        "12-3456789ıA",  # dotless i would upper-case to a plain I
        "12-3456789ſA",  # long s would upper-case to S
        "12_3456789_00",
        "12.3456789.00",
    ],
)
def test_malformed_importer_numbers_are_refused_with_the_formats(typed):
    with pytest.raises(ValidationError) as error:
        normalise_importer_number(typed)
    assert error.value.messages == [IMPORTER_NUMBER_FORMATS]


@pytest.mark.parametrize("typed", ["123456789", " 123456789 "])
def test_nine_digits_typed_together_ask_which_number_they_are(typed):
    # An SSN, or an IRS number missing its suffix: guessing would file a person's SSN as a business.
    with pytest.raises(ValidationError) as error:
        normalise_importer_number(typed)
    assert error.value.messages == [
        "Nine digits could be a Social Security number or an IRS number without its suffix. "
        "Type a Social Security number with its hyphens (123-45-6789), or add the IRS number's "
        "two-character suffix (usually 00)."
    ]


@pytest.mark.parametrize("suffix", ["O0", "0o", "I1", "1i", "ZZ", "AZ"])
def test_an_irs_number_suffix_with_o_i_or_z_is_refused(suffix):
    with pytest.raises(ValidationError) as error:
        normalise_importer_number(f"12-3456789{suffix}")
    assert _code(error) == "suffix"
    assert "The suffix cannot contain the letters O, I or Z." in error.value.messages[0]


def test_an_irs_number_with_a_prefix_the_irs_does_not_use_is_refused():
    with pytest.raises(ValidationError) as error:
        normalise_importer_number("07-345678900")
    assert _code(error) == "ein_prefix"
    assert "07" in error.value.messages[0]


def test_an_irs_number_without_its_suffix_is_told_to_add_it():
    with pytest.raises(ValidationError) as error:
        normalise_importer_number("12-3456789")
    assert _code(error) == "no_suffix"
    assert "suffix" in error.value.messages[0]


@pytest.mark.parametrize("typed", ["000-12-3456", "666-12-3456", "912-34-5678", "078-05-1120"])
def test_an_impossible_ssn_is_refused_without_repeating_it(typed):
    with pytest.raises(ValidationError) as error:
        normalise_importer_number(typed)
    assert _code(error) == "ssn"
    assert typed not in error.value.messages[0]


# --- EINs ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("typed", ["12-3456789", "123456789", " 12-3456789 "])
def test_eins_are_normalised_with_their_hyphen(typed):
    assert normalise_ein(typed) == "12-3456789"


@pytest.mark.parametrize(
    ("typed", "code"), [("12-345678", "invalid"), ("00-1234567", "ein_prefix")]
)
def test_bad_eins_are_refused(typed, code):
    with pytest.raises(ValidationError) as error:
        normalise_ein(typed)
    assert _code(error) == code


# --- Ports and ZIP codes ---------------------------------------------------------------------------
@pytest.mark.parametrize(("typed", "normalised"), [("2704", "2704"), (" 4601\n", "4601")])
def test_port_codes_are_four_digits(typed, normalised):
    assert normalise_port_code(typed) == normalised


@pytest.mark.parametrize("typed", ["", "270", "27045", "27o4", "27 04", "٢٧٠٤", "LAX"])
def test_other_port_codes_are_refused_with_an_example(typed):
    with pytest.raises(ValidationError) as error:
        normalise_port_code(typed)
    assert "2704" in error.value.messages[0]


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("20229", "20229"),
        (" 20229-0001 ", "20229-0001"),
        ("202290001", "20229-0001"),
        ("20229 0001", "20229-0001"),
    ],
)
def test_zip_codes_are_normalised(typed, normalised):
    assert normalise_zip_code(typed) == normalised
    validate_zip_code(normalised)


@pytest.mark.parametrize("typed", ["", "2022", "20229-01", "ABCDE", "20229--0001", "٢٠٢٢٩"])
def test_other_zip_codes_are_refused(typed):
    with pytest.raises(ValidationError):
        normalise_zip_code(typed)


# --- Model-level list checks -----------------------------------------------------------------------
def test_stored_lists_of_normalised_values_pass():
    validate_importer_numbers(["12-3456789AB", "XXX-XX-6789", "951234-56789"])
    validate_port_codes(["2704", "4601"])


def test_a_stored_list_never_holds_a_social_security_number_in_clear():
    with pytest.raises(ValidationError) as error:
        validate_importer_numbers(["12-3456789AB", "123-45-6789"])
    assert error.value.code == "ssn_in_clear"


@pytest.mark.parametrize(
    ("validate", "value"),
    [
        (validate_importer_numbers, ["12-3456789ab"]),
        (validate_importer_numbers, "12-3456789AB"),
        (validate_importer_numbers, [12]),
        (validate_port_codes, [" 2704"]),
    ],
)
def test_stored_lists_must_hold_normalised_text(validate, value):
    with pytest.raises(ValidationError):
        validate(value)


# --- Properties ------------------------------------------------------------------------------------
whitespace = st.text(alphabet=" \t\n", max_size=3)


@st.composite
def irs_numbers(draw, suffix_alphabet: str = SUFFIX_ALPHABET + SUFFIX_ALPHABET.lower()):
    prefix = draw(st.sampled_from(EIN_PREFIXES))
    serial = draw(st.text(alphabet="0123456789", min_size=7, max_size=7))
    suffix = draw(st.text(alphabet=suffix_alphabet, min_size=2, max_size=2))
    return f"{prefix}-{serial}{suffix}"


@settings(deadline=None)
@given(number=irs_numbers(), before=whitespace, after=whitespace)
def test_every_irs_number_normalises_to_upper_case_and_stays_so(number, before, after):
    normalised = normalise_importer_number(before + number + after)
    assert normalised == number.upper()
    assert normalise_importer_number(normalised) == normalised


@settings(deadline=None)
@given(
    number=irs_numbers(),
    bad=st.sampled_from("OIZoiz"),
    position=st.integers(min_value=0, max_value=1),
)
def test_any_suffix_with_o_i_or_z_fails(number, bad, position):
    suffix = list(number[-2:])
    suffix[position] = bad
    with pytest.raises(ValidationError) as error:
        normalise_importer_number(number[:-2] + "".join(suffix))
    assert _code(error) == "suffix"


@settings(deadline=None)
@given(
    value=st.text(max_size=20) | irs_numbers() | st.from_regex(r"[0-9]{6}-[0-9]{5}", fullmatch=True)
)
def test_any_text_is_refused_or_normalised_to_a_fixed_point(value):
    try:
        normalised = normalise_importer_number(value)
    except ValidationError as error:
        assert error.messages and all(error.messages)
        return
    assert CANONICAL.fullmatch(normalised)
    assert normalise_importer_number(normalised) == normalised


@settings(deadline=None)
@given(value=st.text(max_size=8) | st.from_regex(r"\s*[0-9]{4}\s*", fullmatch=True))
def test_any_text_is_a_port_code_or_refused(value):
    try:
        normalised = normalise_port_code(value)
    except ValidationError:
        return
    assert re.fullmatch(r"[0-9]{4}", normalised, re.ASCII)
    assert normalise_port_code(normalised) == normalised


@settings(deadline=None)
@given(value=st.text(max_size=12) | st.from_regex(r"[0-9]{5}(-?[0-9]{4})?", fullmatch=True))
def test_any_text_is_a_zip_code_or_refused(value):
    try:
        normalised = normalise_zip_code(value)
    except ValidationError:
        return
    validate_zip_code(normalised)
    assert normalise_zip_code(normalised) == normalised
