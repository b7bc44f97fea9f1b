"""Importer numbers in Social Security number form are sealed (recordkeepers.importer_numbers): each
application's snapshot is masked and sealed now, its search text written again; and a reviewer's
look at the whole numbers is an event of its own."""

from django.conf import settings
from django.db import migrations, models

from certification.importer_numbers import reseal_snapshots


def seal(apps, schema_editor):
    reseal_snapshots(apps.get_model("certification", "Application"))


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0026_event_refuses_truncate"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("recordkeepers", "0008_organisation_sealed_importer_numbers"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="event",
            name="event_verb_known",
        ),
        migrations.AlterField(
            model_name="event",
            name="verb",
            field=models.CharField(
                choices=[
                    ("application.started", "Application started"),
                    ("draft.edited", "Draft changed"),
                    ("application.submitted", "Application submitted"),
                    ("application.withdrawn", "Application withdrawn"),
                    ("review.started", "CBP started the review"),
                    ("review.assigned", "Reviewer assigned"),
                    ("review.recused", "A reviewer stepped aside for a conflict of interest"),
                    ("review.criterion_scored", "A criterion's score changed"),
                    ("review.finding_recorded", "The compliance finding changed"),
                    (
                        "review.importer_numbers_shown",
                        "The importer numbers were shown in full to check against CBP's records",
                    ),
                    ("review.information_requested", "CBP asked for more information"),
                    ("application.information_provided", "More information sent to CBP"),
                    ("review.recommended", "Reviewer made a recommendation"),
                    (
                        "review.returned_for_rework",
                        "Supervisor returned the recommendation to the reviewer",
                    ),
                    ("application.decided", "Decision issued"),
                    ("letter.ready", "Letter ready to download"),
                    ("participant.report_filed", "Variance or violation reported to CBP"),
                    ("participant.report_acknowledged", "CBP acknowledged a report"),
                    ("participant.corrective_action_requested", "CBP asked for corrective action"),
                    ("participant.corrective_action_taken", "Corrective action reported to CBP"),
                    ("participant.report_closed", "CBP closed a report"),
                    (
                        "participant.failure_recorded",
                        "CBP recorded a failure to produce a demanded record",
                    ),
                    (
                        "participant.notice_issued",
                        "CBP issued a notice of violation in lieu of a penalty",
                    ),
                    ("participant.notice_answered", "Answer to a notice of violation sent to CBP"),
                    ("participant.notice_closed", "CBP closed a notice of violation"),
                    ("participant.removal_proposed", "A reviewer proposed removal"),
                    ("participant.removal_declined", "A supervisor declined the proposed removal"),
                    ("participant.removal_issued", "CBP issued a notice of removal"),
                    ("participant.removal_effective", "The removal took effect"),
                    ("participant.appeal_filed", "Appeal received by CBP"),
                    ("participant.appeal_delayed", "The appeal's decision is delayed"),
                    ("participant.appeal_decided", "Appeal decided"),
                    ("participant.reinstated", "Certification reinstated"),
                    ("application.certified_on_appeal", "Denial reversed on appeal: certified"),
                ],
                max_length=64,
            ),
        ),
        migrations.AddConstraint(
            model_name="event",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "verb__in",
                        [
                            "application.started",
                            "draft.edited",
                            "application.submitted",
                            "application.withdrawn",
                            "review.started",
                            "review.assigned",
                            "review.recused",
                            "review.criterion_scored",
                            "review.finding_recorded",
                            "review.importer_numbers_shown",
                            "review.information_requested",
                            "application.information_provided",
                            "review.recommended",
                            "review.returned_for_rework",
                            "application.decided",
                            "letter.ready",
                            "participant.report_filed",
                            "participant.report_acknowledged",
                            "participant.corrective_action_requested",
                            "participant.corrective_action_taken",
                            "participant.report_closed",
                            "participant.failure_recorded",
                            "participant.notice_issued",
                            "participant.notice_answered",
                            "participant.notice_closed",
                            "participant.removal_proposed",
                            "participant.removal_declined",
                            "participant.removal_issued",
                            "participant.removal_effective",
                            "participant.appeal_filed",
                            "participant.appeal_delayed",
                            "participant.appeal_decided",
                            "participant.reinstated",
                            "application.certified_on_appeal",
                        ],
                    )
                ),
                name="event_verb_known",
            ),
        ),
        # Not reversible: putting the numbers back in clear is what this migration is against.
        migrations.RunPython(seal),
    ]
