"""Indexes for the review queue over 100,000 applications (docs/benchmarks.md, "The review queue").

Partial indexes, on the applications in the queue only, written by hand as SQL and kept out of
the models' state: the tables are certification's, and these serve only the queue's selectors
(reviews/selectors.py). If they move into the models' `Meta.indexes`, replace this migration with
one that only records them there.

- `application_queue_size` (size class, submission time, risk flags): the priority order finds
  each size class's longest-waiting applications, and then the only ones that can be on the page,
  as ranges of it instead of computing every application's priority; a size-class filter sorted
  by age reads it in order and stops at the page; a size class and a risk flag are counted from
  it alone.
- `application_queue_volume` (entries a year, largest first, then submission time): the import
  volume sort reads it in order and stops at the page instead of sorting the whole queue.
- `information_request_answered`: the few requests answered but not yet opened by the reviewer,
  whose applications get the "answers arrived" points; without it every priority computation
  reads every information request ever made.
"""

from django.db import migrations

QUEUE_STATUSES = "('submitted', 'in_review', 'info_requested', 'recommended')"


def create_volume_index(apps, schema_editor):
    # As the queue sorts: largest first, applications without a number last. SQLite has no NULLS
    # LAST in an index, and puts nulls last in a descending order anyway.
    nulls_last = " NULLS LAST" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(
        "CREATE INDEX application_queue_volume ON certification_application "
        f"(entries_per_year DESC{nulls_last}, submitted_at, id) WHERE status IN {QUEUE_STATUSES}"
    )


def drop_volume_index(apps, schema_editor):
    schema_editor.execute("DROP INDEX application_queue_volume")


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0010_information_request_acknowledged"),
        ("reviews", "0001_reviews_core"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX application_queue_size ON certification_application "
            f"(size_class, submitted_at, risk_flag_bits) WHERE status IN {QUEUE_STATUSES}",
            reverse_sql="DROP INDEX application_queue_size",
        ),
        migrations.RunPython(create_volume_index, drop_volume_index),
        migrations.RunSQL(
            "CREATE INDEX information_request_answered ON certification_informationrequest "
            "(application_id) WHERE answered_at IS NOT NULL AND acknowledged_at IS NULL",
            reverse_sql="DROP INDEX information_request_answered",
        ),
    ]
