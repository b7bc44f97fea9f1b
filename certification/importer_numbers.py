"""Importer numbers sealed again in each application's snapshot, when a key is rotated
(`manage.py reseal_importer_numbers`) or a snapshot still holds a Social Security number in clear
(the migration that began sealing them); the organisations' are `reseal_organisations`.
recordkeepers.importer_numbers says what is kept.

It takes its model class, so that a migration can pass its historical model.
"""

from typing import Any

from django.db.models import Q

from certification.models.applications import search_text
from recordkeepers.importer_numbers import BATCH, SSN_IN_CLEAR, needs_sealing, resealed


def reseal_snapshots(application_model: Any, *, digests_too: bool = False) -> int:
    """Seal every application snapshot's importer numbers with the newest keys, and write its
    search text again (which holds the digests); how many changed. `digests_too`: also the rows
    sealed with the newest key, whose digests an older blind-index key made."""
    rows = application_model.objects.filter(
        Q(profile_snapshot__importer_numbers__regex=SSN_IN_CLEAR)
        | Q(profile_snapshot__has_key="sealed_importer_numbers")
        & ~Q(profile_snapshot__sealed_importer_numbers="")
    ).only("pk", "reference", "profile_snapshot")
    changed = []
    for application in rows.iterator(chunk_size=BATCH):
        snapshot = application.profile_snapshot
        shown = snapshot.get("importer_numbers") or []
        sealed = snapshot.get("sealed_importer_numbers") or ""
        if not (digests_too or needs_sealing(shown, sealed)):
            continue
        stored = resealed(shown, sealed)
        application.profile_snapshot = {
            **snapshot,
            "importer_numbers": stored.shown,
            "sealed_importer_numbers": stored.sealed,
            "importer_number_digests": stored.digests,
        }
        application.search_text = search_text(
            reference=application.reference or "", snapshot=application.profile_snapshot
        )
        changed.append(application)
    application_model.objects.bulk_update(
        changed, ["profile_snapshot", "search_text"], batch_size=BATCH
    )
    return len(changed)
