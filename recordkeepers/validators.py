"""The numbers a recordkeeper gives us: importer numbers, EINs, port codes and ZIP codes.

Each `normalise_*` function takes what a person typed and returns its one canonical form, or raises
`ValidationError` with a message that says how to write it. Pure functions: no database, no settings.

Patterns spell digits [0-9] rather than `\\d`, which accepts other scripts' digits ("٢٧٠٤"), and use
re.ASCII, without which IGNORECASE matches "ı" and "ſ" as letters that upper-case to "I" and "S":
a look-alike would pass and be stored as something the person never typed.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from stdnum.us import ein, ssn

_FLAGS = re.ASCII | re.IGNORECASE

IMPORTER_NUMBER_FORMATS = (
    "Enter an importer number as it appears on your CBP Form 5106: an IRS number and its "
    "two-character suffix (like 95-234567800), a Social Security number (like 123-45-6789) or a "
    "CBP-assigned number (like 951234-56789)."
)

_EIN = re.compile(r"([0-9]{2})[- ]?([0-9]{7})", _FLAGS)
_PORT_CODE = re.compile(r"[0-9]{4}", _FLAGS)
_ZIP_CODE = re.compile(r"([0-9]{5})(?:[- ]?([0-9]{4}))?", _FLAGS)
_SEPARATORS = re.compile(r"[-\s]+")
_ALNUM = re.compile(r"[0-9A-Z]+", _FLAGS)
_DIGITS = re.compile(r"[0-9]+", _FLAGS)

# CBP leaves these out of suffixes because they read as 0, 1 and 2.
_SUFFIX_EXCLUDED = frozenset("OIZ")


def compact_number(text: str) -> str:
    """Letters and digits only, lower case: "27-1000001-00", "27 100000100" and "271000000100"
    meet here, so searches find a number however it was typed."""
    return "".join(c for c in text if c.isascii() and c.isalnum()).lower()


def normalise_ein(value: str) -> str:
    """An IRS employer identification number, as NN-NNNNNNN."""
    match = _EIN.fullmatch(value.strip())
    if match is None:
        raise ValidationError(
            "Enter an employer identification number (EIN) as 9 digits, like 95-2345678.",
            code="invalid",
        )
    normalised = f"{match[1]}-{match[2]}"
    if not ein.is_valid(normalised):
        # stdnum knows which two-digit prefixes the IRS campuses assign; the rest are typos.
        raise ValidationError(
            f"{match[1]} is not a prefix the IRS uses for employer identification numbers: "
            "check the first two digits of the IRS number.",
            code="ein_prefix",
        )
    return normalised


def _irs_number(irs: str, suffix: str) -> str:
    suffix = suffix.upper()
    if _SUFFIX_EXCLUDED & set(suffix):
        raise ValidationError(
            "The suffix cannot contain the letters O, I or Z. "
            "Check the last two characters against your CBP Form 5106.",
            code="suffix",
        )
    return normalise_ein(irs) + suffix


def _ssn(digits: str) -> str:
    normalised = f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"
    if not ssn.is_valid(normalised):
        # Deliberately does not repeat the number: it is a Social Security number.
        raise ValidationError(
            "This is not a valid Social Security number: check the digits, or use the IRS "
            "number or CBP-assigned number your entries are filed under.",
            code="ssn",
        )
    return normalised


def normalise_importer_number(value: str) -> str:
    """A CBP importer-of-record number in its canonical form (upper case, CBP's hyphens), from the
    ways people type it: with hyphens where CBP puts them or anywhere between its parts
    ("95-2345678-00"), with spaces, or with none.

    The groups a person typed say which kind of number it is: 2+9 or 2+7+2 an IRS number and
    suffix, 3+2+4 an SSN, 6+5 a CBP-assigned number. Eleven characters typed together are read as
    an IRS number and suffix, by far the most common kind (the page shows the number as stored, so
    a CBP-assigned number read that way is seen and retyped with its hyphen). Nine digits typed
    together could be an SSN or an IRS number missing its suffix, so the person is asked which.
    """
    groups = [group for group in _SEPARATORS.split(value.strip()) if group]
    if not groups or not all(_ALNUM.fullmatch(group) for group in groups):
        raise ValidationError(IMPORTER_NUMBER_FORMATS, code="invalid")
    joined = "".join(groups)
    lengths = [len(group) for group in groups]
    leading_digits = _DIGITS.fullmatch(joined[:9]) is not None
    if len(joined) == 11 and leading_digits and lengths in ([2, 9], [2, 7, 2], [11], [9, 2]):
        return _irs_number(joined[:9], joined[9:])
    if _DIGITS.fullmatch(joined) is None:
        raise ValidationError(IMPORTER_NUMBER_FORMATS, code="invalid")
    if lengths == [3, 2, 4]:
        return _ssn(joined)
    if lengths == [6, 5]:
        return f"{joined[:6]}-{joined[6:]}"
    if lengths == [2, 7]:
        raise ValidationError(
            "Add the two-character suffix after the IRS number (usually 00), like 95-234567800.",
            code="no_suffix",
        )
    if lengths == [9]:
        raise ValidationError(
            "Nine digits could be a Social Security number or an IRS number without its suffix. "
            "Type a Social Security number with its hyphens (123-45-6789), or add the IRS "
            "number's two-character suffix (usually 00).",
            code="ambiguous",
        )
    raise ValidationError(IMPORTER_NUMBER_FORMATS, code="invalid")


def normalise_port_code(value: str) -> str:
    """A port of entry as its 4-digit Schedule D code (district and port), e.g. 2704."""
    value = value.strip()
    if not _PORT_CODE.fullmatch(value):
        raise ValidationError(
            "Enter a port as its 4-digit Schedule D code, for example 2704 for Los Angeles.",
            code="invalid",
        )
    return value


def normalise_zip_code(value: str) -> str:
    """A US ZIP code as NNNNN or NNNNN-NNNN."""
    match = _ZIP_CODE.fullmatch(value.strip())
    if match is None:
        raise ValidationError(
            "Enter a ZIP code as 5 digits, or ZIP+4 as 5 digits, a hyphen and 4 digits "
            "(for example 20229 or 20229-0001).",
            code="invalid",
        )
    return f"{match[1]}-{match[2]}" if match[2] else match[1]


# What the database holds, for model validation (full_clean): the canonical forms only.
validate_zip_code = RegexValidator(
    r"\A[0-9]{5}(-[0-9]{4})?\Z",
    message="Enter a ZIP code as NNNNN or NNNNN-NNNN.",
    flags=re.ASCII,
)


def _validate_list(value, normalise, what: str) -> None:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError(f"Enter the {what} as a list of text values.", code="invalid")
    for item in value:
        if normalise(item) != item:
            raise ValidationError(f"“{item}” is not written in its usual form.", code="invalid")


def validate_importer_numbers(value) -> None:
    """A list of importer numbers as the organisation shows them (model-level check): each in its
    canonical form, and a Social Security number only masked (`masked`), never in clear."""
    _validate_list(value, _as_shown, "importer numbers")


def validate_importer_numbers_in_clear(value) -> None:
    """A list of importer numbers as a person gave them, each already normalised: what
    `Organisation.set_importer_numbers` takes."""
    _validate_list(value, normalise_importer_number, "importer numbers")


def _as_shown(item: str) -> str:
    if _MASKED_SSN.fullmatch(item):
        return item
    number = normalise_importer_number(item)
    if is_ssn_form(number):
        raise ValidationError(
            "A Social Security number is kept sealed; only its last four digits are shown.",
            code="ssn_in_clear",
        )
    return number


# What `normalise_importer_number` makes of a Social Security number, and how one is shown.
_SSN_FORM = re.compile(r"[0-9]{3}-[0-9]{2}-[0-9]{4}", re.ASCII)
_MASKED_SSN = re.compile(r"XXX-XX-([0-9]{4})", re.ASCII)


def is_ssn_form(number: str) -> bool:
    """Whether a normalised importer number is a Social Security number."""
    return _SSN_FORM.fullmatch(number) is not None


def is_masked(number: str) -> bool:
    """Whether an importer number as shown is a masked Social Security number."""
    return _MASKED_SSN.fullmatch(number) is not None


def masked(number: str) -> str:
    """An importer number as pages, letters and searches show it: a Social Security number by its
    last four digits only ("XXX-XX-6789", as federal notices print them), any other unchanged."""
    return f"XXX-XX-{number[-4:]}" if is_ssn_form(number) else number


class KeepingSaved:
    """`normalise_importer_number` for a form that shows saved numbers masked: a masked line
    ("XXX-XX-6789") stands for the saved Social Security number it masks, so a person who changes
    something else sends the form back without retyping it. Each saved number is matched once, in
    order, so two that end in the same four digits both stay."""

    def __init__(self, saved: list[str]) -> None:
        self.unmatched = [number for number in saved if is_ssn_form(number)]

    def __call__(self, value: str) -> str:
        match = _MASKED_SSN.fullmatch(value.strip().upper())
        if match is None:
            return normalise_importer_number(value)
        for number in self.unmatched:
            if number.endswith(match[1]):
                self.unmatched.remove(number)
                return number
        raise ValidationError(
            "Type the whole Social Security number: a saved one is shown by its last four digits "
            f"only, and no saved number ends in {match[1]}.",
            code="masked",
        )


def validate_port_codes(value) -> None:
    """A list of port codes, each already normalised (model-level check)."""
    _validate_list(value, normalise_port_code, "ports")
