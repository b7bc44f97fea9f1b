"""The medium and large defaults (0.67, 0.75) put "adequate on every criterion" (2/3) below the
bar, against the Handbook's own scale. A saved row still holding those old defaults moves to the
new ones (0.63, 0.66); a value an admin chose is left alone."""

from decimal import Decimal

import django.core.validators
from django.db import migrations, models

# field: (old default, new default)
MOVED = {"met_medium": ("0.67", "0.63"), "met_large": ("0.75", "0.66")}


def _move(apps, *, forwards: bool) -> None:
    ScoringSettings = apps.get_model("reviews", "ScoringSettings")
    for name, (old, new) in MOVED.items():
        before, after = (old, new) if forwards else (new, old)
        ScoringSettings.objects.filter(**{name: Decimal(before)}).update(**{name: Decimal(after)})


def forwards(apps, schema_editor):
    _move(apps, forwards=True)


def backwards(apps, schema_editor):
    _move(apps, forwards=False)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0004_recommendation"),
    ]

    operations = [
        migrations.AlterField(
            model_name="scoringsettings",
            name="information_band",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("0.15"),
                help_text="How far below the threshold CBP asks for information rather than deny.",
                max_digits=3,
                validators=[
                    django.core.validators.MinValueValidator(Decimal("0")),
                    django.core.validators.MaxValueValidator(Decimal("1")),
                ],
            ),
        ),
        migrations.AlterField(
            model_name="scoringsettings",
            name="met_large",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("0.66"),
                help_text="A fraction of the weighted maximum. Above 0.66, a demonstration scored adequate on every criterion (2 of 3, 66.7%) is not met.",
                max_digits=3,
                validators=[
                    django.core.validators.MinValueValidator(Decimal("0")),
                    django.core.validators.MaxValueValidator(Decimal("1")),
                ],
            ),
        ),
        migrations.AlterField(
            model_name="scoringsettings",
            name="met_medium",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("0.63"),
                help_text="A fraction of the weighted maximum. Above 0.66, a demonstration scored adequate on every criterion (2 of 3, 66.7%) is not met.",
                max_digits=3,
                validators=[
                    django.core.validators.MinValueValidator(Decimal("0")),
                    django.core.validators.MaxValueValidator(Decimal("1")),
                ],
            ),
        ),
        migrations.AlterField(
            model_name="scoringsettings",
            name="met_micro",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("0.50"),
                help_text="A fraction of the weighted maximum. Above 0.66, a demonstration scored adequate on every criterion (2 of 3, 66.7%) is not met.",
                max_digits=3,
                validators=[
                    django.core.validators.MinValueValidator(Decimal("0")),
                    django.core.validators.MaxValueValidator(Decimal("1")),
                ],
            ),
        ),
        migrations.AlterField(
            model_name="scoringsettings",
            name="met_small",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("0.60"),
                help_text="A fraction of the weighted maximum. Above 0.66, a demonstration scored adequate on every criterion (2 of 3, 66.7%) is not met.",
                max_digits=3,
                validators=[
                    django.core.validators.MinValueValidator(Decimal("0")),
                    django.core.validators.MaxValueValidator(Decimal("1")),
                ],
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
