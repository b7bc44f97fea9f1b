"""`manage.py seed_scale --applications N`: load data for the review queue's benchmark.

Writes rows straight into the tables in batches (COPY on PostgreSQL, `bulk_create` elsewhere),
without the services: no attestations, no responses, no events, no notifications. The rows have
what the queue reads (the columns `application_submit` takes at submission, the organisation, the
reviewer, open and answered information requests) and little else, so 100,000 applications take
seconds rather than the hours the services would. It is not a demo: `seed_demo` is.
"""

import random
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import JSONField, Model
from django.utils import timezone

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
from recordkeepers.models import Organisation, SizeClass, StaffRole, User
from recordkeepers.sizing import size_class
from reviews.management.scale_mix import (
    ANSWERED_IN_REVIEW,
    CITIES,
    FLAG_ODDS,
    FLAG_SCALE,
    FORMS,
    IRS_PREFIXES,
    NAMES,
    PORT_COUNT,
    PORT_WEIGHTS,
    PORTS,
    SIZE_MIX,
    STATUS_MIX,
    SUBMITTED_ASSIGNED,
    TRADES,
    coined_name,
)

BATCH_SIZE = 5_000
DAYS = 120  # submissions spread over the last four months
REVIEWERS = 12
SEED_EMAIL_DOMAIN = "scale.example"


@dataclass
class Row:
    """One application to write, before it has its reference."""

    submitted_at: datetime
    size: SizeClass
    entries_per_year: int
    import_value: Decimal
    flags: list[str]
    ports: list[str]
    status: ApplicationStatus
    reviewer: User | None
    request: str = ""  # "open", "answered" or "acknowledged": its information request, if any
    reference: str = ""


def _ranges() -> dict[str, tuple[tuple[int, int], tuple[int, int]]]:
    """For each size class, the entries per year and import values (whole dollars) inside it."""
    thresholds = settings.SIZE_CLASS_THRESHOLDS
    ranges, low_entries, low_value = {}, 1, 1_000
    for name in (SizeClass.MICRO, SizeClass.SMALL, SizeClass.MEDIUM):
        max_entries, max_value = thresholds[name.value]
        ranges[name] = ((low_entries, max_entries - 1), (low_value, int(max_value) - 1))
        low_entries, low_value = max_entries, int(max_value)
    ranges[SizeClass.LARGE] = ((low_entries, low_entries * 10), (low_value, low_value * 10))
    for name, ((low_entries, high_entries), (low_value, high_value)) in ranges.items():
        # Both measures inside the class at both ends, so the sizing rule gives the class back.
        for entries, value in ((low_entries, low_value), (high_entries, high_value)):
            if size_class(entries_per_year=entries, import_value=Decimal(value)) != name:
                raise CommandError(f"The {name} range does not fit SIZE_CLASS_THRESHOLDS.")
    return ranges


class Command(BaseCommand):
    help = (
        "Add N submitted-or-later applications, with their organisations, a few reviewers and "
        "information requests, with bulk inserts: load data for benchmarks (docs/benchmarks.md), "
        "not a demo. No services run and no events are written. Adds to what is there. "
        "Refuses to run unless DEBUG is on or --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--applications", type=int, required=True, metavar="N")
        parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
        parser.add_argument(
            "--force", action="store_true", help="run with DEBUG off (a benchmark's database)"
        )

    def handle(self, *args, applications: int, seed: int, force: bool, **options):
        if not (settings.DEBUG or force):
            raise CommandError(
                "seed_scale fills the database with made-up applications: it runs with DEBUG on, "
                "or with --force in a benchmark's database."
            )
        if applications < 1:
            raise CommandError("--applications must be at least 1.")
        edition = handbook_edition_in_force()
        if edition is None:
            raise CommandError("No Handbook edition is in force: publish one first.")
        started = time.perf_counter()
        random_ = random.Random(seed)  # noqa: S311 - made-up data, not secrets
        with transaction.atomic():
            creator, reviewers = self._users()
            rows = self._rows(random_, applications, reviewers)
            self._give_references(rows)
            for start in range(0, len(rows), BATCH_SIZE):
                self._write(random_, rows[start : start + BATCH_SIZE], creator, edition)
        self.stdout.write(
            f"Added {applications} applications in {time.perf_counter() - started:.1f} s."
        )

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
        ranges = _ranges()
        sizes, size_weights = list(SIZE_MIX), list(SIZE_MIX.values())
        statuses, status_weights = list(STATUS_MIX), list(STATUS_MIX.values())
        rows = []
        for _ in range(count):
            size = random_.choices(sizes, size_weights)[0]
            (low_entries, high_entries), (low_value, high_value) = ranges[size]
            entries = random_.randint(low_entries, high_entries)
            value = Decimal(random_.randint(low_value, high_value))
            flags = [
                f.value for f, p in FLAG_ODDS.items() if random_.random() < p * FLAG_SCALE[size]
            ]
            ports = set(random_.choices(PORTS, PORT_WEIGHTS, k=random_.randint(*PORT_COUNT[size])))
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
                    size=size,
                    entries_per_year=entries,
                    import_value=value,
                    flags=flags,
                    ports=sorted(ports, key=PORTS.index),
                    status=status,
                    reviewer=random_.choice(reviewers) if assigned else None,
                    request=request,
                )
            )
        rows.sort(key=lambda row: row.submitted_at)
        return rows

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
        organisation_ids = _insert(Organisation, organisations)
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
                }
            )
        application_ids = _insert(Application, applications)
        today = timezone.localdate()
        now = timezone.now()
        requests = [
            {
                "application_id": application_id,
                "requested_by_id": row.reviewer.pk,
                # About a quarter of the open requests are past their due date.
                "due": today + timedelta(days=random_.randint(-10, 30)),
                "answered_at": now if row.request != "open" else None,
                "answered_by_id": creator.pk if row.request != "open" else None,
                "acknowledged_at": now if row.request == "acknowledged" else None,
            }
            for row, application_id in zip(rows, application_ids, strict=True)
            if row.request
        ]
        _insert(InformationRequest, requests)


def _insert(model: type[Model], rows: list[dict[str, Any]]) -> list[int]:
    """Insert `rows` (field attnames to values; other fields take their defaults) and return their
    ids, in order.

    On PostgreSQL with COPY, the ids taken from the table's sequence first: 100,000 applications
    take 20-25 s; a first version using `bulk_create` took 62 s, most of it building model
    instances and quoting values into SQL. Elsewhere, `bulk_create`.
    """
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objects = [model(**row) for row in rows]
        model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
        return [obj.pk for obj in objects]

    from psycopg.types.json import Jsonb

    table = model._meta.db_table
    pk = model._meta.pk
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    now = timezone.now()
    defaults = {
        field.attname: now
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        else field.get_default()
        for field in fields
    }
    json_fields = {field.attname for field in fields if isinstance(field, JSONField)}
    columns = ", ".join(connection.ops.quote_name(f.column) for f in [pk, *fields])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk.column, len(rows)],
        )
        ids = sorted(id_ for (id_,) in cursor.fetchall())
        with cursor.copy(f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN") as copy:
            for id_, row in zip(ids, rows, strict=True):
                values = [id_]
                for field in fields:
                    value = row.get(field.attname, defaults[field.attname])
                    values.append(Jsonb(value) if field.attname in json_fields else value)
                copy.write_row(values)
    return ids


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
