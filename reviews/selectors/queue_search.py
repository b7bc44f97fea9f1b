"""The queue's search: a reference or a whole importer number looked up exactly, anything else as
a substring of the search text (reference, legal name, importer numbers), which on PostgreSQL a
trigram index serves (certification 0022). docs/benchmarks.md has the measurements."""

import hashlib
import re

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q, Value
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan

from certification.models import Application
from common import cache_versions
from recordkeepers.importer_numbers import search_digest
from recordkeepers.validators import compact_number, is_ssn_form, normalise_importer_number

REFERENCE = re.compile(r"RKCP-[0-9]{4}-[0-9]{6}", re.ASCII | re.IGNORECASE)


def search_condition(typed: str) -> Q:
    """A reference or a whole importer number is looked up exactly, through an index (the
    references' unique index; on PostgreSQL a GIN index on the snapshot's importer numbers);
    anything else is a substring of the search text, which on PostgreSQL a trigram index serves
    (certification 0022)."""
    text = typed.strip()
    if (exact := _exactly(text)) is not None:
        return exact
    text = text.lower()
    found = _substring(text)
    if any(c.isdigit() for c in text) and (compact := compact_number(text)) != text:
        found |= _substring(compact)  # a number typed without its hyphens
    return found


def _exactly(text: str) -> Q | None:
    """The exact lookup of a reference or (on PostgreSQL) a whole importer number, or None."""
    if REFERENCE.fullmatch(text):
        return Q(reference=text.upper())
    try:
        number = normalise_importer_number(text)
    except ValidationError:
        number = ""
    if number and is_ssn_form(number):
        # Kept only as a keyed digest, in the search text (its trigram index serves this).
        return Q(search_text__contains=search_digest(number))
    if number and connection.vendor == "postgresql":
        return Q(profile_snapshot__importer_numbers__contains=[number])
    return None


def _longest(words: list[str]) -> str:
    """The word of several that `_substring` looks up alone when it is rare."""
    return max(words, key=len)


def _substring(text: str) -> Q:
    """The search text contains `text`. Of several words, when the longest is rare, only it is
    looked up in the trigram index and the whole is checked on the rows it finds: looked up whole,
    the index reads the lists of every word's trigrams, and a common word's ("goods", "eagle")
    hold a share of the whole queue, so a search for one importer's full name took longer the
    longer the queue. When the longest word is common too, the whole is looked up: the lists'
    intersection is then far fewer rows to check than the word's. The result is the same."""
    words = text.split()
    if len(words) < 2:
        return Q(search_text__contains=text)
    longest = _longest(words)
    if not _rare(longest):
        return Q(search_text__contains=text)
    whole = GreaterThan(StrIndex("search_text", Value(text)), 0)  # not served by the index
    return Q(search_text__contains=longest) & Q(whole)


# A word found in fewer applications than this is rare; how rare a word is, is kept this long
# (it changes slowly, and a stale answer only makes a search slower, never different), under a
# cache version of its own that nothing moves on (`common.cache_versions`), so that a page can
# read it ahead with the rest (`rarity_read`).
RARE_BELOW = 500
RARITY_SECONDS = 3600
RARITY = "search-word-rarity"


def _rarity_key(word: str) -> str:
    return "search-word-rare:" + hashlib.sha256(word.encode()).hexdigest()[:32]


def _rare(word: str) -> bool:
    def count() -> bool:
        found = Application.objects.filter(search_text__contains=word).values("pk")[:RARE_BELOW]
        return found.count() < RARE_BELOW

    return bool(cache_versions.cached(_rarity_key(word), RARITY, count, timeout=RARITY_SECONDS))


def rarity_read(typed: str) -> tuple[str, str] | None:
    """The (key, version) of the rarity `search_condition` will ask for the search `typed`, for
    `cache_versions.read_ahead`; None when it asks none (one word, a reference, an importer
    number). A guess for a number typed without its hyphens, which asks a second."""
    text = typed.strip()
    words = text.lower().split()
    if len(words) < 2 or _exactly(text) is not None:
        return None
    return _rarity_key(_longest(words)), RARITY
