"""Importer numbers in Social Security number form are sealed (recordkeepers.importer_numbers): the
organisations' own are masked and sealed now."""

from django.db import migrations, models

from recordkeepers.importer_numbers import reseal_organisations


def seal(apps, schema_editor):
    reseal_organisations(apps.get_model("recordkeepers", "Organisation"))


class Migration(migrations.Migration):
    dependencies = [
        ("recordkeepers", "0007_appeals_official_group"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="sealed_importer_numbers",
            field=models.TextField(blank=True, editable=False),
        ),
        # Not reversible: putting the numbers back in clear is what this migration is against.
        migrations.RunPython(seal),
    ]
