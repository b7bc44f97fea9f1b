"""The port filter reads its own column (`port_codes`) and a search goes through the trigram
index (certification 0022, 0024), so nothing reads `application_queue_search` (0003) any more. It
was not free: every write of an application updated it, and PostgreSQL weighed it, a partial
index on a list of states, each time it planned a queue page (a third of the first page's
planning time at 10,000 applications)."""

from django.db import migrations

QUEUE_STATUSES = "('submitted', 'in_review', 'info_requested', 'recommended')"


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS application_queue_search", params=None)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX application_queue_search ON certification_application "
            f"(assigned_reviewer_id, status) INCLUDE (search_text) WHERE status IN {QUEUE_STATUSES}",
            params=None,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0024_queue_streams_and_ports"),
        ("reviews", "0009_drop_queue_volume_index"),
    ]

    operations = [migrations.RunPython(drop, create)]
