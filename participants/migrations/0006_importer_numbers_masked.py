"""Importer numbers in Social Security number form are never kept in clear
(recordkeepers.importer_numbers): the register's copies are masked now, and their search text
written again without them."""

from django.db import migrations

from participants.models.register import participant_search_text
from recordkeepers.importer_numbers import BATCH, SSN_IN_CLEAR
from recordkeepers.validators import masked


def mask(apps, schema_editor):
    Participant = apps.get_model("participants", "Participant")
    rows = Participant.objects.filter(importer_numbers__regex=SSN_IN_CLEAR).select_related(
        "application"
    )
    changed = []
    for participant in rows.iterator(chunk_size=BATCH):
        participant.importer_numbers = [masked(n) for n in participant.importer_numbers]
        participant.search_text = participant_search_text(
            legal_name=participant.legal_name,
            reference=participant.application.reference or "",
            importer_numbers=participant.importer_numbers,
        )
        changed.append(participant)
    Participant.objects.bulk_update(changed, ["importer_numbers", "search_text"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0005_appeal_files"),
        ("certification", "0027_importer_numbers_sealed"),
    ]

    # Not reversible: putting the numbers back in clear is what this migration is against.
    operations = [migrations.RunPython(mask)]
