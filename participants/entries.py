"""Entry numbers: `XXX-NNNNNNN-N`, the three-character filer code, the seven-digit transaction
number and a check digit (CBP Form 7501, box 1; ACE CATAIR Appendix E).

The check digit is the Mod 10 (Luhn) self-check digit over the ten characters before it, letters in
the filer code first turned into digits by the usual alphabetic table (A–I 1–9, J–R 1–9, S–Z 2–9).
"""

import re

# An entry number as people write it: with or without the dashes, spaces allowed around them.
ENTRY_RE = re.compile(r"^([A-Z0-9]{3})[\s-]*(\d{7})[\s-]*(\d)$")

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LETTER_DIGITS = "12345678912345678923456789"


def _digit(char: str) -> int:
    if char.isdigit():
        return int(char)
    return int(_LETTER_DIGITS[_LETTERS.index(char)])


def check_digit(base: str) -> int:
    """The Mod 10 check digit of the ten characters `base` (filer code and transaction number):
    every second character from the right, starting with the last, doubled (its digits added),
    the rest added as they are; the check digit brings the sum to a multiple of ten."""
    total = 0
    for position, char in enumerate(reversed(base)):
        value = _digit(char)
        if position % 2 == 0:
            value *= 2
            value = value // 10 + value % 10
        total += value
    return (10 - total % 10) % 10


class InvalidEntryNumber(ValueError):
    pass


def normalise_entry_number(text: str) -> str:
    """The entry number as `XXX-NNNNNNN-N`, or InvalidEntryNumber saying what is wrong."""
    cleaned = text.strip().upper()
    match = ENTRY_RE.match(cleaned)
    if match is None:
        raise InvalidEntryNumber(
            f"“{text.strip()}” is not an entry number: write it as XXX-NNNNNNN-N, the filer code, "
            "seven digits and the check digit (for example 123-4567890-3)."
        )
    filer, transaction, given = match.groups()
    expected = check_digit(filer + transaction)
    if int(given) != expected:
        raise InvalidEntryNumber(
            f"The check digit of {filer}-{transaction}-{given} does not match: check the number "
            "on the entry summary (CBP Form 7501)."
        )
    return f"{filer}-{transaction}-{given}"
