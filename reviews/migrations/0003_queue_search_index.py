"""A covering index for the review queue's text filters (docs/benchmarks.md, "The review queue").

The port filter and the search match inside `search_text` ("port:2704" or a name anywhere in it),
which no ordinary index can look up, so counting the matches reads every application in the
queue. An application's row is about 1 KB (most of it the profile snapshot), so reading the
rows means reading the whole table; this index holds just the reviewer, the state and the text,
about a tenth of the size, and PostgreSQL counts the matches from it alone (an index-only scan):
counting the unassigned applications at the busiest of 100,000 went from about 35 ms to 18.

PostgreSQL only: INCLUDE is its syntax, and on SQLite (the demo) the table is small. Kept out of
the models' state, as the other queue indexes are (0002_queue_indexes).
"""

from django.db import migrations

QUEUE_STATUSES = "('submitted', 'in_review', 'info_requested', 'recommended')"


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX application_queue_search ON certification_application "
            f"(assigned_reviewer_id, status) INCLUDE (search_text) WHERE status IN {QUEUE_STATUSES}"
        )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX application_queue_search")


class Migration(migrations.Migration):
    dependencies = [("reviews", "0002_queue_indexes")]

    operations = [migrations.RunPython(create_search_index, drop_search_index)]
