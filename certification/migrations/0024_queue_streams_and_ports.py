"""The review queue in priority order read as streams already in order
(reviews/selectors/queue_streams.py): the number of risk flags declared (filled in from the bits,
and held to them by a constraint);
whether answers arrived that no reviewer has opened (`answers_unread`, filled in from the
information requests); and an index over (size class, flags, answers unread, submission time, id)
of the applications waiting for CBP. And ports as a column of their own (`port_codes`), no longer
words in the search text, for the port filter: the submitted applications' are filled in, and
their search text recomputed."""

from django.conf import settings
from django.db import migrations, models


def _compact(text: str) -> str:
    return "".join(c for c in text if c.isascii() and c.isalnum()).lower()


def fill(apps, schema_editor):
    # As certification.models.applications.search_text and port_codes on the day of this migration.
    Application = apps.get_model("certification", "Application")
    InformationRequest = apps.get_model("certification", "InformationRequest")
    unread = InformationRequest.objects.filter(
        answered_at__isnull=False, acknowledged_at__isnull=True
    ).values("application_id")
    Application.objects.filter(pk__in=unread).update(answers_unread=True)
    for bits in range(1, 1 << 6):  # the six risk flags (RiskFlag) on the day of this migration
        Application.objects.filter(risk_flag_bits=bits).update(risk_flags_declared=bits.bit_count())
    batch = []
    rows = Application.objects.filter(reference__isnull=False).only(
        "pk", "reference", "profile_snapshot"
    )
    for application in rows.iterator(chunk_size=2000):
        snapshot = application.profile_snapshot or {}
        numbers = snapshot.get("importer_numbers") or []
        words = [application.reference, snapshot.get("legal_name", ""), *numbers]
        application.search_text = " ".join(words + [_compact(n) for n in numbers]).lower()
        ports = snapshot.get("ports") or []
        application.port_codes = f" {' '.join(ports)} " if ports else ""
        batch.append(application)
        if len(batch) == 2000:
            Application.objects.bulk_update(batch, ["search_text", "port_codes"])
            batch = []
    Application.objects.bulk_update(batch, ["search_text", "port_codes"])


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0023_letter_queued_at"),
        ("recordkeepers", "0007_appeals_official_group"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="answers_unread",
            field=models.BooleanField(
                default=False,
                editable=False,
                help_text="The applicant has answered CBP's questions and no reviewer has opened the answers yet: set by the answer, cleared by the reviewer's opening them (certification workflow and services), for the queue's priority.",
            ),
        ),
        migrations.AddField(
            model_name="application",
            name="port_codes",
            field=models.TextField(
                blank=True,
                editable=False,
                help_text="The ports of entry named at submission, each between spaces, for the queue's port filter.",
            ),
        ),
        migrations.AddField(
            model_name="application",
            name="risk_flags_declared",
            field=models.PositiveSmallIntegerField(
                default=0, editable=False, help_text="How many bits of risk_flag_bits are set."
            ),
        ),
        migrations.AlterField(
            model_name="application",
            name="search_text",
            field=models.TextField(
                blank=True,
                editable=False,
                help_text="Reference, legal name and importer numbers, lower case, for search.",
            ),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                condition=models.Q(
                    ("status__in", ["submitted", "in_review", "info_requested", "recommended"])
                ),
                fields=[
                    "size_class",
                    "risk_flags_declared",
                    "answers_unread",
                    "submitted_at",
                    "id",
                ],
                name="application_queue_stream",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="application",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "risk_flags_declared",
                        models.Case(
                            models.When(
                                risk_flag_bits__in=[1, 2, 4, 8, 16, 32], then=models.Value(1)
                            ),
                            models.When(
                                risk_flag_bits__in=[
                                    3,
                                    5,
                                    6,
                                    9,
                                    10,
                                    12,
                                    17,
                                    18,
                                    20,
                                    24,
                                    33,
                                    34,
                                    36,
                                    40,
                                    48,
                                ],
                                then=models.Value(2),
                            ),
                            models.When(
                                risk_flag_bits__in=[
                                    7,
                                    11,
                                    13,
                                    14,
                                    19,
                                    21,
                                    22,
                                    25,
                                    26,
                                    28,
                                    35,
                                    37,
                                    38,
                                    41,
                                    42,
                                    44,
                                    49,
                                    50,
                                    52,
                                    56,
                                ],
                                then=models.Value(3),
                            ),
                            models.When(
                                risk_flag_bits__in=[
                                    15,
                                    23,
                                    27,
                                    29,
                                    30,
                                    39,
                                    43,
                                    45,
                                    46,
                                    51,
                                    53,
                                    54,
                                    57,
                                    58,
                                    60,
                                ],
                                then=models.Value(4),
                            ),
                            models.When(
                                risk_flag_bits__in=[31, 47, 55, 59, 61, 62], then=models.Value(5)
                            ),
                            models.When(risk_flag_bits__in=[63], then=models.Value(6)),
                            default=models.Value(0),
                        ),
                    )
                ),
                name="application_risk_flags_counted",
            ),
        ),
    ]
