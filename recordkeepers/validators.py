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
    "Enter an importer number as NN-NNNNNNNXX (IRS number and suffix), NNN-NN-NNNN (SSN) "
    "or YYDDPP-NNNNN (CBP-assigned number)."
)

_EIN = re.compile(r"([0-9]{2})-?([0-9]{7})", _FLAGS)
_IRS_NUMBER = re.compile(r"([0-9]{2})-([0-9]{7})([0-9A-Z]{2})", _FLAGS)
_SSN = re.compile(r"([0-9]{3})-([0-9]{2})-([0-9]{4})", _FLAGS)
_CBP_ASSIGNED = re.compile(r"([0-9]{6})-([0-9]{5})", _FLAGS)
_PORT_CODE = re.compile(r"[0-9]{4}", _FLAGS)
_ZIP_CODE = re.compile(r"([0-9]{5})(?:[- ]?([0-9]{4}))?", _FLAGS)

# CBP leaves these out of suffixes because they read as 0, 1 and 2.
_SUFFIX_EXCLUDED = frozenset("OIZ")


def normalise_ein(value: str) -> str:
    """An IRS employer identification number, as NN-NNNNNNN."""
    match = _EIN.fullmatch(value.strip())
    if match is None:
        raise ValidationError(
            "Enter an employer identification number (EIN) as NN-NNNNNNN.", code="invalid"
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


def normalise_importer_number(value: str) -> str:
    """A CBP importer-of-record number in its canonical form (upper case, CBP's hyphens).

    Hyphens are required where CBP writes them: without them "12345678900" could be an IRS number
    with suffix 00 or a CBP-assigned number, and "123456789" an SSN or an EIN missing its suffix.
    """
    value = value.strip()
    if match := _IRS_NUMBER.fullmatch(value):
        suffix = match[3].upper()
        if _SUFFIX_EXCLUDED & set(suffix):
            raise ValidationError(
                "The suffix cannot contain the letters O, I or Z. "
                "Check the last two characters against your CBP Form 5106.",
                code="suffix",
            )
        return normalise_ein(f"{match[1]}-{match[2]}") + suffix
    if match := _SSN.fullmatch(value):
        normalised = f"{match[1]}-{match[2]}-{match[3]}"
        if not ssn.is_valid(normalised):
            # Deliberately does not repeat the number: it is a Social Security number.
            raise ValidationError(
                "This is not a valid Social Security number: check the digits, or use the IRS "
                "number or CBP-assigned number your entries are filed under.",
                code="ssn",
            )
        return normalised
    if match := _CBP_ASSIGNED.fullmatch(value):
        return f"{match[1]}-{match[2]}"
    if _EIN.fullmatch(value) and "-" in value:  # nine bare digits may as well be an SSN
        raise ValidationError(
            "Add the two-character suffix after the IRS number (usually 00), as NN-NNNNNNNXX.",
            code="no_suffix",
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
    """A list of importer numbers, each already normalised (model-level check)."""
    _validate_list(value, normalise_importer_number, "importer numbers")


def validate_port_codes(value) -> None:
    """A list of port codes, each already normalised (model-level check)."""
    _validate_list(value, normalise_port_code, "ports")
