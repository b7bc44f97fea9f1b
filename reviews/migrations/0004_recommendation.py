"""The Recommendation row, filled from the "review.recommended" events written before it existed.

Until now the sign-off read the latest such event's data; from here it reads the row, which
`review_recommend` writes beside the event. Each event becomes one row with the event's own actor
and time, so the latest row is the one the latest event described. The events stay as they are
(they cannot change: the audit log is append-only).
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def copy_recommendations(apps, schema_editor):
    Event = apps.get_model("certification", "Event")
    Recommendation = apps.get_model("reviews", "Recommendation")
    events = Event.objects.filter(verb="review.recommended").order_by("created_at", "pk")
    Recommendation.objects.bulk_create(
        Recommendation(
            application_id=event.application_id,
            reviewer_id=event.actor_id,
            outcome=event.data["outcome"],
            reasons=event.data.get("reasons", []),
            suggestion=event.data.get("suggestion", ""),
            differs_reason=event.data.get("differs_reason", ""),
            created_at=event.created_at,
        )
        for event in events.iterator()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0012_notification_unsent_index"),
        ("reviews", "0003_queue_search_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Recommendation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "outcome",
                    models.CharField(
                        choices=[("certified", "Certified"), ("denied", "Denied")], max_length=16
                    ),
                ),
                ("reasons", models.JSONField(blank=True, default=list)),
                ("suggestion", models.CharField(blank=True, max_length=32)),
                ("differs_reason", models.TextField(blank=True)),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False),
                ),
                (
                    "application",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="recommendations",
                        to="certification.application",
                    ),
                ),
                (
                    "reviewer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["application_id", "created_at", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("outcome__in", ["certified", "denied"])),
                        name="recommendation_outcome_valid",
                    )
                ],
            },
        ),
        migrations.RunPython(copy_recommendations, migrations.RunPython.noop),
    ]
