"""What an export is: a key and a title, who may export it, its columns (each named by the export
policy's field names) and the query its rows come from, which applies the same access rule as the
page that lists them. Rows are read with `values()` in chunks (`iterator`): one query, no model
instances, constant memory at 100,000 rows.

A column the policy leaves out is never read: its source is not asked of the database.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import CharField, F, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from recordkeepers.models import User
from reporting.exports.policy import CellKind, PolicedRows, check_fields, exported, police
from reporting.filters import ReportFilters

# Rows fetched from the database at a time.
CHUNK = 2000


def same(value: Any) -> Any:
    return value


def local_date(value: datetime | None) -> Any:
    """The day an instant falls on in the service's time zone, as the pages show it."""
    return timezone.localdate(value) if value is not None else None


def whole_days(value: timedelta | None) -> int | None:
    return value.days if value is not None else None


def labels(choices: Any) -> Callable[[Any], Any]:
    """A stored choice as people read it ("in_review" is "In review"); a list of them, each."""
    names = dict(choices.choices)

    def label(value: Any) -> Any:
        if isinstance(value, list):
            return [names.get(item, item) for item in value]
        return names.get(value, value) if value is not None else None

    return label


def person_name(path: str) -> Coalesce:
    """A person's name as `User.__str__` gives it (their full name, else their email), read in
    the query: `path` is the relation to the user ("assigned_reviewer")."""
    return Coalesce(
        NullIf(F(f"{path}__full_name"), Value("")),
        F(f"{path}__email"),
        Value(""),
        output_field=CharField(),
    )


@dataclass(frozen=True)
class Column:
    field: str  # the export policy's name for it
    header: str  # what the sheet's first row says
    kind: CellKind
    source: str  # what `values()` reads: a field path, or an annotation of the dataset's query
    convert: Callable[[Any], Any] = same


# A dataset's rows before `values()`: (user, filters, **options) -> a queryset the user may see,
# filtered, ordered and annotated with every column's source.
Query = Callable[..., QuerySet]


@dataclass(frozen=True)
class Dataset:
    """One export. `audience` says who may export it at all (the page's rule for who opens it);
    `query` which rows (the page's rule for which rows they see). `description` tells the reader
    what a row is and what the period and the reviewer select."""

    key: str
    title: str
    description: str
    audience: Callable[[User], bool]
    columns: tuple[Column, ...]
    query: Query

    def __post_init__(self) -> None:
        # At import: a column the policy has no entry for stops the service starting.
        check_fields(column.field for column in self.columns)

    def may_export(self, user: User) -> bool:
        return bool(user.is_authenticated and user.is_active and self.audience(user))

    def _check(self, user: User) -> None:
        if not self.may_export(user):
            raise PermissionDenied("You may not export this.")

    def rows(self, *, user: User, filters: ReportFilters, **options: Any) -> Iterator[dict]:
        """The rows `user` may see, narrowed to `filters`, each a mapping from the policy's field
        names to values, exported columns only. Raises `PermissionDenied` at once, not when read,
        for someone who may not export the dataset."""
        self._check(user)
        kept = [column for column in self.columns if exported(column.field)]
        queryset = self.query(user=user, filters=filters, **options)
        records = queryset.values(*dict.fromkeys(column.source for column in kept))

        def read() -> Iterator[dict]:
            for record in records.iterator(chunk_size=CHUNK):
                yield {column.field: column.convert(record[column.source]) for column in kept}

        return read()

    def count(self, *, user: User, filters: ReportFilters, **options: Any) -> int:
        """How many rows `rows` gives, for the progress bar."""
        self._check(user)
        return self.query(user=user, filters=filters, **options).count()

    def policed(self, *, user: User, filters: ReportFilters, **options: Any) -> PolicedRows:
        """The rows through the export policy: what the writers take."""
        return police(columns=self.columns, rows=self.rows(user=user, filters=filters, **options))
