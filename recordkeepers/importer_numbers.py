"""Importer numbers at rest: a Social Security number (an individual importing without an EIN) is
never stored or shown in clear.

An organisation, and each application's snapshot of it, keeps three things: the numbers as shown
(a Social Security number masked, "XXX-XX-6789"; the rest as typed, since IRS and CBP-assigned
numbers identify businesses, not people), the whole list sealed (`common.sealing`) when it holds a
Social Security number, and a keyed digest of each Social Security number, which the review queue's
exact search matches. The whole numbers are opened in one place: the review workspace, where a
reviewer checks them against CBP's records of the importer (reviews.views.importer_numbers).
"""

import json
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from common.sealing import blind_index, is_sealed_with_newest_key, seal, unseal
from recordkeepers.validators import is_ssn_form, masked

BATCH = 500
# A row that may hold a Social Security number in clear (written before they were sealed).
SSN_IN_CLEAR = r"[0-9]{3}-[0-9]{2}-[0-9]{4}"


@dataclass(frozen=True)
class StoredNumbers:
    """Importer numbers as a row keeps them."""

    shown: list[str]
    sealed: str  # the whole list sealed, or "" when nothing in it needs sealing
    digests: list[str]  # `search_digest` of each Social Security number, in order

    @classmethod
    def of(cls, numbers: list[str]) -> "StoredNumbers":
        """`numbers` (normalised, in clear) as a row is to keep them."""
        personal = [number for number in numbers if is_ssn_form(number)]
        if not personal:
            return cls(shown=list(numbers), sealed="", digests=[])
        return cls(
            shown=[masked(number) for number in numbers],
            sealed=seal(json.dumps(numbers)),
            digests=[search_digest(number) for number in personal],
        )


def search_digest(number: str) -> str:
    """What the queue's exact search matches for a Social Security number (normalised)."""
    return blind_index(f"importer-number:{number}")


def in_full(shown: list[str], sealed: str) -> list[str]:
    """The numbers in clear, from a row's shown list and sealed value."""
    return json.loads(unseal(sealed)) if sealed else list(shown)


def needs_sealing(shown: list[str], sealed: str) -> bool:
    """Whether a row keeps a Social Security number in clear (written before numbers were sealed,
    or changed outside the service), or sealed with a key older than the newest."""
    if any(is_ssn_form(number) for number in shown):
        return True
    return bool(sealed) and not is_sealed_with_newest_key(sealed)


def resealed(shown: list[str], sealed: str) -> StoredNumbers:
    """A row's numbers sealed again with the newest keys (the digests too: the blind-index key
    may have changed). Numbers in clear are sealed now."""
    return StoredNumbers.of(in_full(shown, sealed))


def reseal_organisations(organisation_model: Any) -> int:
    """Seal every organisation's importer numbers with the newest keys; how many changed. Takes
    its model class, so that a migration can pass its historical model."""
    rows = organisation_model.objects.filter(
        Q(importer_numbers__regex=SSN_IN_CLEAR) | ~Q(sealed_importer_numbers="")
    ).only("pk", "importer_numbers", "sealed_importer_numbers")
    changed = []
    for organisation in rows.iterator(chunk_size=BATCH):
        if not needs_sealing(organisation.importer_numbers, organisation.sealed_importer_numbers):
            continue
        stored = resealed(organisation.importer_numbers, organisation.sealed_importer_numbers)
        organisation.importer_numbers = stored.shown
        organisation.sealed_importer_numbers = stored.sealed
        changed.append(organisation)
    organisation_model.objects.bulk_update(
        changed, ["importer_numbers", "sealed_importer_numbers"], batch_size=BATCH
    )
    return len(changed)
