"""When a letter's render was last sent to the queue: the sweep resends a pending letter only once
it has waited longer than `LETTER_QUEUE_GRACE_SECONDS`, or at once if the send failed. Letters
pending before this have none, and are sent once more by the next sweep (rendering is idempotent)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0022_queue_keyset_and_search_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="letter",
            name="queued_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When its render was last sent to the workers' queue; empty when the "
                "broker could not take it, so that the sweep sends it again at once.",
                null=True,
            ),
        ),
    ]
