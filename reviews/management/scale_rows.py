"""The rows `seed_scale` writes and how: one application before it has its reference, its importer
made up (`profile`, inside the size class `SIZE_CLASS_THRESHOLDS` sets), and `insert`, which writes
rows straight into a table by COPY on PostgreSQL."""

import random
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import JSONField, Model
from django.utils import timezone

from certification.models import ApplicationStatus
from recordkeepers.models import SizeClass, User
from recordkeepers.sizing import size_class
from reviews.management.scale_mix import (
    FLAG_ODDS,
    FLAG_SCALE,
    PORT_COUNT,
    PORT_WEIGHTS,
    PORTS,
    SIZE_MIX,
)

BATCH_SIZE = 5_000


@dataclass
class Closed:
    """How an application outside the queue ended: decided (certified or denied) or withdrawn."""

    status: ApplicationStatus
    ended_at: datetime
    submitted_at: datetime
    withdrawn_from: ApplicationStatus | None = None  # the status it was withdrawn from
    asked: bool = False  # CBP asked questions before deciding


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
    # With --history: how a decided or withdrawn one ended, who decided, when each move was made.
    closed: Closed | None = None
    supervisor: User | None = None
    outcome: str = ""  # the recommendation's, and the decision's
    at: dict[str, datetime] = field(default_factory=dict)


def size_ranges() -> dict[str, tuple[tuple[int, int], tuple[int, int]]]:
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


def insert(model: type[Model], rows: list[dict[str, Any]]) -> list[int]:
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


def profile(random_: random.Random, ranges: dict) -> dict[str, Any]:
    """An importer's size, measures, risk flags and ports, made up."""
    sizes, size_weights = list(SIZE_MIX), list(SIZE_MIX.values())
    size = random_.choices(sizes, size_weights)[0]
    (low_entries, high_entries), (low_value, high_value) = ranges[size]
    entries = random_.randint(low_entries, high_entries)
    value = Decimal(random_.randint(low_value, high_value))
    flags = [f.value for f, p in FLAG_ODDS.items() if random_.random() < p * FLAG_SCALE[size]]
    ports = set(random_.choices(PORTS, PORT_WEIGHTS, k=random_.randint(*PORT_COUNT[size])))
    return {
        "size": size,
        "entries_per_year": entries,
        "import_value": value,
        "flags": flags,
        "ports": sorted(ports, key=PORTS.index),
    }
