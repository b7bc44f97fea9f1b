"""The import-volume order now sorts by one expression without NULLs, which
`application_queue_volume_key` (certification 0022) holds; the index it replaces would only cost
writes."""

from django.db import migrations


def drop(apps, schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS application_queue_volume", params=None)


def create(apps, schema_editor):
    nulls_last = " NULLS LAST" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(
        "CREATE INDEX application_queue_volume ON certification_application "
        f"(entries_per_year DESC{nulls_last}, submitted_at, id) "
        "WHERE status IN ('submitted', 'in_review', 'info_requested', 'recommended')",
        params=None,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0022_queue_keyset_and_search_indexes"),
        ("reviews", "0008_recommendation_scoring_notes"),
    ]

    operations = [migrations.RunPython(drop, create)]
