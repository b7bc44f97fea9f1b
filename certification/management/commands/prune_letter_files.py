"""`manage.py prune_letter_files [--older-than-hours H] [--dry-run]`: delete stored letter files
that no letter points to (see `letter_lifecycle.letter_files_unreferenced`). Safe to run at any
time, for instance daily from cron; a ready letter's file is never touched."""

from datetime import timedelta

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from certification.letters.lifecycle import letter_files_unreferenced


class Command(BaseCommand):
    help = "Delete stored letter files that no letter points to (left by a worker killed mid-way)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-hours",
            type=float,
            default=24,
            help="only files last written longer ago than this (default 24)",
        )
        parser.add_argument("--dry-run", action="store_true", help="list the files, delete nothing")

    def handle(self, *args, older_than_hours: float, dry_run: bool, **options):
        if older_than_hours < 1:
            raise CommandError(
                "--older-than-hours must be at least 1: a younger file may be a "
                "render about to be marked ready."
            )
        names = letter_files_unreferenced(older_than=timedelta(hours=older_than_hours))
        for name in names:
            if not dry_run:
                default_storage.delete(name)
            self.stdout.write(f"{'would delete' if dry_run else 'deleted'} {name}")
        self.stdout.write(f"{len(names)} unreferenced letter file(s)")
