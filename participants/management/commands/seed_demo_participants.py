"""The demo after certification, run after `seed_demo`: the certified demo organisation's reports
in their states, each moved there through the participants' services as people would (a variance
CBP acknowledged; a violation with corrective action asked for and not yet done). DEBUG only."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from participants import services
from participants.models import ComplianceReport, Participant
from recordkeepers.models import User

SUPERVISOR = "supervisor@cbp.example.gov"


class Command(BaseCommand):
    help = "Add the demo's participant records (after seed_demo). DEBUG only."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo_participants writes demo data: DEBUG only.")
        participant = Participant.objects.select_related("application").order_by("pk").first()
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
        self.stdout.write(f"Participant records added for {participant.legal_name}.")
