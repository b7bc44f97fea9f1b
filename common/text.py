"""The rules for text people type: which characters are refused, and the one normal form kept.

Pure functions, no Django. `common.forms` applies them to every form field that takes text; the
evidence checks use the same set of direction characters for file names.

Refused, because they change how text reads without being seen:
- bidirectional controls (embeddings, overrides, isolates, and the invisible direction marks): a
  right-to-left override typed into a name reverses not only the name but the words printed after
  it ("demonstration (iii)" comes out as "(iii) noitartsnomed") in a letter or a page;
- control characters other than tab, line feed and carriage return (C0, DEL and C1): they print as
  empty boxes or nothing at all, and NUL cuts strings short in the tools reviewers use.
Everything else is kept, in Unicode's composed normal form (NFC), so that the same name typed on two
keyboards is stored, compared and searched as the same string.
"""

import enum
import unicodedata

# U+202A-U+202E embeddings and overrides, U+2066-U+2069 isolates, the left-to-right and
# right-to-left marks and the Arabic letter mark.
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
# Line breaks and tabs are how people lay out an answer; every other control is refused.
ALLOWED_CONTROLS = frozenset("\t\n\r")


class Problem(enum.StrEnum):
    """Why a text is refused. The order is the order in which they are reported."""

    BIDI = "bidi"
    CONTROL = "control"


def is_control(character: str) -> bool:
    """A C0 control (U+0000-U+001F) other than tab, LF and CR, DEL (U+007F), or a C1 control
    (U+0080-U+009F)."""
    code = ord(character)
    return (code < 0x20 and character not in ALLOWED_CONTROLS) or 0x7F <= code <= 0x9F


def is_bidi_control(character: str) -> bool:
    return character in BIDI_CONTROLS


def problems(text: str) -> list[Problem]:
    """What is wrong with `text`, each kind of problem once, bidi controls first; [] when nothing."""
    found = set()
    for character in text:
        if character in BIDI_CONTROLS:
            found.add(Problem.BIDI)
        elif is_control(character):
            found.add(Problem.CONTROL)
    return [problem for problem in Problem if problem in found]


def normalise(text: str) -> str:
    """`text` in NFC. Neither kind of refused character has a decomposition, so normalising never
    adds or removes one: checking before or after gives the same answer."""
    return unicodedata.normalize("NFC", text)


# U+2068 FIRST STRONG ISOLATE and U+2069 POP DIRECTIONAL ISOLATE. Around a person's words inside a
# sentence we compose, they keep those words from reordering ours, in a browser as in a letter
# (which turns them into <bdi>). Unlike markup they survive being stored as JSON.
ISOLATE_OPEN, ISOLATE_CLOSE = "\u2068", "\u2069"
_ISOLATES = {ord(c): None for c in "\u2066\u2067\u2068\u2069"}


def isolate(text: str) -> str:
    """`text`, a person's words, between isolate marks. Any isolates it already holds (an older
    row's) are dropped, so the marks always pair up."""
    return f"{ISOLATE_OPEN}{str(text).translate(_ISOLATES)}{ISOLATE_CLOSE}"
