"""`manage.py seed_scale --applications N`: load data for the review queue's benchmark.

Writes rows straight into the tables in batches (COPY on PostgreSQL, `bulk_create` elsewhere),
without the services: no attestations, no responses, no notifications. The rows have what the
queue reads (the columns `application_submit` takes at submission, the organisation, the reviewer,
open and answered information requests) and little else, so 100,000 applications take seconds
rather than the hours the services would. It is not a demo: `seed_demo` is.

With `--history` (for the dashboard's benchmark, whose figures come from the event log), also the
events each application's status implies, and 30% more applications decided or withdrawn over
the past year, with their decisions (reviews/management/scale_history.py). Without it, no events.
"""

import random
import time
from collections import Counter
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from certification.deadlines import cbp_day
from certification.models import (
    Application,
    ApplicationStatus,
    InformationRequest,
    ReferenceCounter,
    port_codes,
    risk_flag_columns,
    search_text,
)
from certification.selectors import handbook_edition_in_force
from recordkeepers.models import Organisation, StaffRole, User
from reviews.management import scale_history, scale_rows
from reviews.management.scale_mix import (
    ANSWERED_IN_REVIEW,
    CITIES,
    FORMS,
    IRS_PREFIXES,
    NAMES,
    STATUS_MIX,
    SUBMITTED_ASSIGNED,
    TRADES,
    coined_name,
)
from reviews.management.scale_rows import BATCH_SIZE, Row, insert

DAYS = 120  # submissions spread over the last four months
REVIEWERS = 12
SEED_EMAIL_DOMAIN = "scale.example"


class Command(BaseCommand):
    help = (
        "Add N submitted-or-later applications, with their organisations, a few reviewers and "
        "information requests, with bulk inserts: load data for benchmarks (docs/benchmarks.md), "
        "not a demo. No services run; no events are written unless --history is given. Adds to "
        "what is there. "
        "Refuses to run unless DEBUG is on or --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--applications", type=int, required=True, metavar="N")
        parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
        parser.add_argument(
            "--force", action="store_true", help="run with DEBUG off (a benchmark's database)"
        )
        parser.add_argument(
            "--history",
            action="store_true",
            help="also the events each status implies, and 30%% more applications decided or "
            "withdrawn over the past year with their decisions (PostgreSQL only)",
        )

    def handle(
        self, *args, applications: int, seed: int, force: bool, history: bool = False, **options
    ):
        if not (settings.DEBUG or force):
            raise CommandError(
                "seed_scale fills the database with made-up applications: it runs with DEBUG on, "
                "or with --force in a benchmark's database."
            )
        if applications < 1:
            raise CommandError("--applications must be at least 1.")
        if history and connection.vendor != "postgresql":
            # bulk_create would stamp every event and decision with the run's instant.
            raise CommandError("--history writes events at past instants: PostgreSQL only.")
        edition = handbook_edition_in_force()
        if edition is None:
            raise CommandError("No Handbook edition is in force: publish one first.")
        started = time.perf_counter()
        random_ = random.Random(seed)  # noqa: S311 - made-up data, not secrets
        with transaction.atomic():
            creator, reviewers = self._users()
            rows = self._rows(random_, applications, reviewers)
            if history:
                # A generator of its own: the queue's rows are the same with --history or without.
                rows = scale_history.with_history(
                    random.Random(f"history-{seed}"),  # noqa: S311 - made-up data
                    rows,
                    reviewers=reviewers,
                    supervisors=self._supervisors(),
                )
            self._give_references(rows)
            self.written: Counter[str] = Counter()
            for start in range(0, len(rows), BATCH_SIZE):
                self._write(random_, rows[start : start + BATCH_SIZE], creator, edition)
        added = f"Added {len(rows)} applications"
        if history:
            verbs = ", ".join(f"{n} {verb}" for verb, n in sorted(self.written.items()))
            added += f" ({applications} waiting for CBP; events: {verbs})"
        self.stdout.write(f"{added} in {time.perf_counter() - started:.1f} s.")

    def _users(self) -> tuple[User, list[User]]:
        """The applications' creator and the reviewers, made once and reused by later runs.
        They cannot sign in: no passwords."""
        no_password = make_password(None)
        creator, _ = User.objects.get_or_create(
            email=f"applicant@{SEED_EMAIL_DOMAIN}",
            defaults={"full_name": "Scale Applicant", "password": no_password},
        )
        group, _ = Group.objects.get_or_create(name=StaffRole.REVIEWER.value)
        reviewers = []
        for number in range(1, REVIEWERS + 1):
            reviewer, _ = User.objects.get_or_create(
                email=f"reviewer{number:02d}@{SEED_EMAIL_DOMAIN}",
                defaults={"full_name": f"Scale Reviewer {number:02d}", "password": no_password},
            )
            reviewer.groups.add(group)
            reviewers.append(reviewer)
        return creator, reviewers

    def _rows(self, random_: random.Random, count: int, reviewers: list[User]) -> list[Row]:
        now = timezone.now()
        days = _span_in_days(count, now)
        ranges = scale_rows.size_ranges()
        statuses, status_weights = list(STATUS_MIX), list(STATUS_MIX.values())
        rows = []
        for _ in range(count):
            profile = scale_rows.profile(random_, ranges)
            status = random_.choices(statuses, status_weights)[0]
            assigned = (
                status != ApplicationStatus.SUBMITTED or random_.random() < SUBMITTED_ASSIGNED
            )
            request = ""
            if status == ApplicationStatus.INFO_REQUESTED:
                request = "open"
            elif status == ApplicationStatus.IN_REVIEW and random_.random() < ANSWERED_IN_REVIEW:
                request = random_.choice(["answered", "acknowledged"])
            rows.append(
                Row(
                    submitted_at=now - timedelta(seconds=random_.uniform(0, days * 86400)),
                    **profile,
                    status=status,
                    reviewer=random_.choice(reviewers) if assigned else None,
                    request=request,
                )
            )
        rows.sort(key=lambda row: row.submitted_at)
        return rows

    def _supervisors(self) -> list[User]:
        """Who signed the decisions off: made once and reused, without passwords."""
        group, _ = Group.objects.get_or_create(name=StaffRole.SUPERVISOR.value)
        supervisors = []
        for number in range(1, scale_history.SUPERVISORS + 1):
            supervisor, _ = User.objects.get_or_create(
                email=f"supervisor{number:02d}@{SEED_EMAIL_DOMAIN}",
                defaults={
                    "full_name": f"Scale Supervisor {number:02d}",
                    "password": make_password(None),
                },
            )
            supervisor.groups.add(group)
            supervisors.append(supervisor)
        return supervisors

    def _give_references(self, rows: list[Row]) -> None:
        """References in submission order, from blocks taken off each year's counter, so they
        never clash with ones the submit service issues before or after."""
        first_of_year = {}
        for year, needed in Counter(row.submitted_at.year for row in rows).items():
            ReferenceCounter.objects.get_or_create(year=year)
            counter = ReferenceCounter.objects.select_for_update().get(year=year)
            if counter.last + needed > 999_999:
                raise CommandError(f"Not enough reference numbers left in {year}.")
            first_of_year[year] = counter.last + 1
            counter.last += needed
            counter.save(update_fields=["last"])
        for row in rows:
            year = row.submitted_at.year
            row.reference = f"RKCP-{year}-{first_of_year[year]:06d}"
            first_of_year[year] += 1

    def _write(self, random_: random.Random, rows: list[Row], creator: User, edition) -> None:
        organisations = []
        for row in rows:
            suffix, kind = random_.choice(FORMS)
            city, state, postal_code = random_.choice(CITIES)
            serial = row.reference.rsplit("-", 1)[1]
            organisations.append(
                {
                    "legal_name": f"{random_.choice(NAMES)} {random_.choice(TRADES)} "
                    f"{coined_name(int(serial))} {suffix}",
                    "importer_type": kind.value,
                    "address_line1": f"{random_.randint(1, 9999)} Commerce Way",
                    "city": city,
                    "state": state,
                    "postal_code": postal_code,
                    # Unique within a decade: the year's last digit and the reference's number.
                    "importer_numbers": [
                        f"{random_.choice(IRS_PREFIXES)}-{row.submitted_at.year % 10}{serial}00"
                    ],
                    "ports": row.ports,
                    "customs_brokers": ["Scale Customs Brokers Inc."],
                    "entries_per_year": row.entries_per_year,
                    "import_value": row.import_value,
                    "duties_paid": (row.import_value * Decimal("0.06")).quantize(Decimal("1.00")),
                    "risk_flags": row.flags,
                    "has_prior_penalties": False,
                    "has_open_cases": False,
                }
            )
        organisation_ids = insert(Organisation, organisations)
        applications = []
        for row, organisation, organisation_id in zip(
            rows, organisations, organisation_ids, strict=True
        ):
            # The part of the profile the review pages show first; the rest is the organisation's.
            snapshot = {
                key: organisation[key]
                for key in (
                    "legal_name",
                    "importer_type",
                    "importer_numbers",
                    "ports",
                    "risk_flags",
                )
            } | {"entries_per_year": row.entries_per_year, "import_value": str(row.import_value)}
            applications.append(
                {
                    "organisation_id": organisation_id,
                    "reference": row.reference,
                    "status": row.status.value,
                    "handbook_edition_id": edition.pk,
                    "profile_snapshot": snapshot,
                    "size_class": row.size.value,
                    "entries_per_year": row.entries_per_year,
                    **risk_flag_columns(row.flags),
                    "search_text": search_text(reference=row.reference, snapshot=snapshot),
                    "port_codes": port_codes(snapshot),
                    "answers_unread": row.request == "answered",
                    "assigned_reviewer_id": row.reviewer.pk if row.reviewer else None,
                    "created_by_id": creator.pk,
                    "submitted_at": row.submitted_at,
                    # With --history, started no later than submitted.
                    **({"created_at": row.submitted_at} if row.at else {}),
                }
            )
        application_ids = insert(Application, applications)
        today = timezone.localdate()
        now = timezone.now()
        requests, dues = [], {}
        for row, application_id in zip(rows, application_ids, strict=True):
            if not row.request:
                continue
            # About a quarter of the open requests are past their due date.
            due = today + timedelta(days=random_.randint(-10, 30))
            answered = now if row.request != "open" else None
            acknowledged = now if row.request == "acknowledged" else None
            if row.at:  # --history: asked, answered and read when its events say
                if row.request != "open":
                    due = cbp_day(row.at["requested"]) + timedelta(days=30)
                answered, acknowledged = row.at.get("answered"), row.at.get("acknowledged")
            dues[application_id] = due
            requests.append(
                {
                    "application_id": application_id,
                    "requested_by_id": row.reviewer.pk,
                    "due": due,
                    "answered_at": answered,
                    "answered_by_id": creator.pk if row.request != "open" else None,
                    "acknowledged_at": acknowledged,
                    **({"created_at": row.at["requested"]} if row.at else {}),
                }
            )
        insert(InformationRequest, requests)
        if rows[0].at:
            self.written += scale_history.write(rows, application_ids, creator=creator, dues=dues)


# A year's references run to RKCP-YYYY-999999 (certification/references.py).
REFERENCES_A_YEAR = 999_999


def _span_in_days(count: int, now: datetime) -> float:
    """Over how many days back to spread `count` submissions: `DAYS`, or longer when one year
    could not number them all (a million applications in the benchmarks: the reference format
    numbers at most 999,999 a year). Each calendar year then gets at most what is left of its
    numbers, with a tenth to spare for the randomness of the spread."""
    issued = ReferenceCounter.objects.filter(year=now.year).values_list("last", flat=True).first()
    left_this_year = REFERENCES_A_YEAR - (issued or 0)
    days_this_year = (now - now.replace(month=1, day=1, hour=0, minute=0, second=0)).days + 1
    needed = max(
        days_this_year * count / max(left_this_year, 1),
        365 * count / REFERENCES_A_YEAR,
    )
    return max(float(DAYS), needed * 1.1)
