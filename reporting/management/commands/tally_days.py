"""`manage.py tally_days [--again]`: count the days that closed since the last run into the
dashboard's daily tallies (reporting.figures.tallies), as Celery beat does every hour. `--again`
counts every day from the start: after history was written after the fact (`seed_scale
--history`, an import of past records), which a run of new days alone would not see."""

from django.core.management.base import BaseCommand

from reporting.figures.tallies import tally_closed_days
from reporting.models import TallyState


class Command(BaseCommand):
    help = "Tally the closed days of the program's history for the dashboard."

    def add_arguments(self, parser):
        parser.add_argument(
            "--again", action="store_true", help="count every day from the start again"
        )

    def handle(self, *args, again: bool, **options):
        written = tally_closed_days(again=again)
        through = TallyState.objects.values_list("through", flat=True).first()
        self.stdout.write(f"{written} tally row(s) written; tallied through {through or 'no day'}")
