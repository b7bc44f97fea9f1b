"""Indexes for the review queue's pages at any depth and for its search (docs/benchmarks.md, "The
review queue"). Written as SQL and kept out of the models' state, as the queue's other indexes are
(reviews 0002_queue_indexes): they serve only the queue's selectors.

- `application_queue_age` (submission time, id), and `application_queue_volume_key` (entries a
  year, largest first and none as -1, then submission time, id): each is one of the queue's orders
  with its tie-breaker, over the applications waiting for CBP only, so that a deep page, which
  starts after the last row of the page before (reviews/selectors/queue_seek.py), starts reading
  the index there instead of sorting the queue and counting off the rows ahead. Priority order
  cannot be indexed (it moves with the clock); its deep pages read ranges of
  `application_queue_size` (reviews 0002).

On PostgreSQL only (SQLite searches the few rows of a demo):
- `application_search_trgm`, a pg_trgm GIN index on the search text: `LIKE '%…%'` (a name, part
  of a number, a port) looks up the rows holding its trigrams instead of reading every row;
- `application_importer_numbers`, a GIN index on the submitted importer numbers: a whole importer
  number is looked up exactly (`@>`), not as a substring.
"""

from django.db import migrations

QUEUE = "status IN ('submitted', 'in_review', 'info_requested', 'recommended')"

ORDERS = [
    f"CREATE INDEX application_queue_age ON certification_application (submitted_at, id) "
    f"WHERE {QUEUE}",
    # As reviews.selectors.queue.VOLUME sorts: the same expression, or the index does not serve.
    f"CREATE INDEX application_queue_volume_key ON certification_application "
    f"(COALESCE(entries_per_year, -1) DESC, submitted_at, id) WHERE {QUEUE}",
]

SEARCH = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX application_search_trgm ON certification_application "
    "USING gin (search_text gin_trgm_ops)",
    "CREATE INDEX application_importer_numbers ON certification_application "
    "USING gin ((profile_snapshot -> 'importer_numbers') jsonb_path_ops)",
]


def create(apps, schema_editor):
    statements = ORDERS + (SEARCH if schema_editor.connection.vendor == "postgresql" else [])
    for statement in statements:
        schema_editor.execute(statement, params=None)


def drop(apps, schema_editor):
    # The extension stays: something else may have come to use it.
    names = ["application_queue_age", "application_queue_volume_key"]
    if schema_editor.connection.vendor == "postgresql":
        names += ["application_search_trgm", "application_importer_numbers"]
    for name in names:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}", params=None)


class Migration(migrations.Migration):
    dependencies = [("certification", "0021_search_text_compact_numbers")]

    operations = [migrations.RunPython(create, drop)]
