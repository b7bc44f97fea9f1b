"""The queue's search text also holds each importer number as letters and digits only, so that a
number typed without its hyphens is found: recompute it for the applications already submitted."""

from django.db import migrations


def _compact(text: str) -> str:
    return "".join(c for c in text if c.isascii() and c.isalnum()).lower()


def _search_text(reference: str, snapshot: dict) -> str:
    # As certification.models.applications.search_text on the day of this migration.
    numbers = snapshot.get("importer_numbers") or []
    words = [reference, snapshot.get("legal_name", ""), *numbers]
    words += [_compact(number) for number in numbers]
    words += [f"port:{port}" for port in snapshot.get("ports") or []]
    return " ".join(words).lower()


def recompute(apps, schema_editor):
    Application = apps.get_model("certification", "Application")
    batch = []
    rows = Application.objects.filter(reference__isnull=False).only(
        "pk", "reference", "profile_snapshot"
    )
    for application in rows.iterator(chunk_size=2000):
        application.search_text = _search_text(
            application.reference, application.profile_snapshot or {}
        )
        batch.append(application)
        if len(batch) == 2000:
            Application.objects.bulk_update(batch, ["search_text"])
            batch = []
    Application.objects.bulk_update(batch, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [("certification", "0020_event_verbs_removals_appeals")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
