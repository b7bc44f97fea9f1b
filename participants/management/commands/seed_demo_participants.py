"""The demo after certification, run after `seed_demo`, each record moved to its state through the
participants' services as people would: for the certified organisation, a variance CBP
acknowledged, a violation with corrective action asked for and not yet done, a notice of violation
answered, and a removal under appeal; for the denied organisation, its appeal decided by the
appeals official, who reversed the denial. DEBUG only."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from certification.models import Application, ApplicationStatus
from participants import services
from participants.models import ComplianceReport, Participant
from recordkeepers.models import User

SUPERVISOR = "supervisor@cbp.example.gov"
REVIEWER = "reviewer@cbp.example.gov"
APPEALS = "appeals@cbp.example.gov"


class Command(BaseCommand):
    help = "Add the demo's participant records (after seed_demo). DEBUG only."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo_participants writes demo data: DEBUG only.")
        participant = (
            Participant.objects.select_related("application")
            .filter(application__status=ApplicationStatus.CERTIFIED)
            .order_by("pk")
            .first()
        )
        if participant is None:
            raise CommandError("No participant: run seed_demo first.")
        if ComplianceReport.objects.exists():
            return
        supervisor = User.objects.get(email=SUPERVISOR)
        owner = User.objects.filter(membership__organisation=participant.organisation).first()
        assert owner is not None
        today = timezone.localdate()
        with transaction.atomic():
            variance = services.report_file(
                participant=participant,
                actor=owner,
                involves_failure=False,
                what_happened=(
                    "The monthly index of scanned entry packets was filed nine days late while the "
                    "document clerk was on leave. Every record was kept and could be produced."
                ),
                found_on=today,
                records_concerned="The index of scanned entry packets for October.",
                entry_numbers=[],
                action_taken="A second clerk now files the index when the first is away.",
            )
            services.report_acknowledge(report=variance, actor=supervisor)
            violation = services.report_file(
                participant=participant,
                actor=owner,
                involves_failure=True,
                what_happened=(
                    "CBP asked for the commercial invoice of one entry and we could not produce it "
                    "within the time allowed: the broker had kept the only copy."
                ),
                found_on=today,
                records_concerned="The commercial invoice of the entry below.",
                entry_numbers=["123-4567890-3"],
                action_taken="The broker sent the invoice a week later; we now keep our own copy.",
            )
            services.report_request_corrective_action(
                report=violation,
                actor=supervisor,
                request=(
                    "Amend your procedure SOP-08 so that a copy of every invoice is kept by you, "
                    "not only by your broker, and send us the amended procedure."
                ),
                due=today + timedelta(days=30),
            )
            self._notice_answered(participant, owner)
            self._removal_under_appeal(participant, owner)
            self._denial_appeal_decided()
        self.stdout.write(f"Participant records added for {participant.legal_name}.")

    def _notice_answered(self, participant: Participant, owner: User) -> None:
        notice = services.notice_record_failure(
            participant=participant,
            actor=User.objects.get(email=REVIEWER),
            entry_number="B76-0542364-2",
            record_demanded="The packing list for the entry.",
            demanded_on=timezone.localdate(),
            willful=False,
        )
        services.notice_answer(
            notice=notice,
            actor=owner,
            response=(
                "Packing lists are now scanned at the warehouse on receipt and filed with the entry "
                "packet; the import coordinator checks each packet weekly."
            ),
        )

    def _removal_under_appeal(self, participant: Participant, owner: User) -> None:
        participant.refresh_from_db()
        removal = services.removal_propose(
            participant=participant,
            actor=User.objects.get(email=REVIEWER),
            grounds=["c1iii"],
            reasons=(
                "Records were not produced when demanded for two entries within a year: the "
                "commercial invoice and the packing list named in the reports and the notice."
            ),
        )
        services.removal_issue(removal=removal, actor=User.objects.get(email=SUPERVISOR))
        services.appeal_file(
            application=participant.application,
            actor=owner,
            statement=(
                "Both records were produced within days, and SOP-08 now keeps our own copy of "
                "every record: the failures will not recur."
            ),
        )

    def _denial_appeal_decided(self) -> None:
        denied = Application.objects.filter(status=ApplicationStatus.DENIED).first()
        if denied is None:
            return
        owner = User.objects.filter(membership__organisation=denied.organisation).first()
        assert owner is not None
        appeal = services.appeal_file(
            application=denied,
            actor=owner,
            statement=(
                "We have since written SOP-08, which names who answers a CBP request for records "
                "and how soon; it is attached to our answers."
            ),
        )
        services.appeal_decide(
            appeal=appeal,
            actor=User.objects.get(email=APPEALS),
            outcome="reversed",
            reasons="SOP-08 shows how records are found and produced: (iii) is met.",
        )
