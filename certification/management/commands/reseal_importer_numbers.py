"""`manage.py reseal_importer_numbers [--digests]`: seal every organisation's and application's
importer numbers with the newest field encryption key, after a new key is put first in
RKCP_FIELD_ENCRYPTION_KEYS (docs/operations.md, "Keys for personal data"). `--digests` also writes
every search digest again, after RKCP_BLIND_INDEX_KEY changes. Safe to run again: a row already
sealed with the newest key is left as it is (unless `--digests`)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from certification.importer_numbers import reseal_snapshots
from certification.models import Application
from recordkeepers.importer_numbers import reseal_organisations
from recordkeepers.models import Organisation


class Command(BaseCommand):
    help = "Seal importer numbers again with the newest keys (after a key rotation)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--digests",
            action="store_true",
            help="also write every search digest again (after the blind-index key changes)",
        )

    def handle(self, *args, digests: bool, **options):
        with transaction.atomic():
            organisations = reseal_organisations(Organisation)
            applications = reseal_snapshots(Application, digests_too=digests)
        self.stdout.write(
            f"{organisations} organization(s) and {applications} application(s) sealed again"
        )
