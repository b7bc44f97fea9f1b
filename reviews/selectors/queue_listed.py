"""A page of the queue's rows as plain values, read by one statement that joins the page's ids
(found by `queue_streams.page_ids` or the listing's own sorted query) to what the rows show.

Why not model instances from a queryset: the page's rows were the listing's queryset again,
filtered to the ids found, which Django put together, compiled (the priority expression among its
columns, a couple of thousand characters) and turned into 75 model instances (application,
organisation, reviewer) on every page, for 25 rows whose every value the template reads once.
This statement's text is the same for every page of a sort, the priority comes with the ids that
were sorted by it (the cursors carry exactly the number the database sorted by), and the rows are
small frozen values. docs/benchmarks.md has the measurements.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from django.db import connection

from certification.models import Application
from recordkeepers.models import Organisation, User
from reviews.selectors.queue_priority import information_overdue_sql
from reviews.selectors.queue_seek import SORT_KEYS


@dataclass(frozen=True, slots=True)
class ListedApplication:
    """One row of a queue page: what the row shows, why it is where it is (`queue.why_here`
    reads the priority's inputs) and its sort key (the cursors' `SORT_KEYS`)."""

    pk: int
    reference: str
    status: str
    size_class: str
    entries_per_year: int | None
    risk_flag_bits: int
    submitted_at: datetime | None
    answers_arrived: bool  # answers to CBP's questions not yet read by the reviewer
    information_overdue: bool  # a request for information waits past its due day
    legal_name: str
    reviewer_id: int | None
    reviewer_name: str  # as the person is named (`User.__str__`); "" when no one has it
    priority: float  # as the database sorted by it, at the listing's moment

    @property
    def risk_flag_count(self) -> int:
        return self.risk_flag_bits.bit_count()

    @property
    def volume(self) -> int:
        """The volume order's key (`queue.VOLUME`): no entries per year sorts as -1."""
        return -1 if self.entries_per_year is None else self.entries_per_year


def listed(
    ids: tuple[str, Any], *, sort: str, backwards: bool, today: date
) -> list[ListedApplication]:
    """The rows of the page whose ids (and priorities) the statement `ids` selects as
    `(pk, priority)`, in the sort's order (or, `backwards`, its reverse), with whether an
    information request is overdue as of `today`."""
    ids_sql, ids_params = ids
    before, after = _statement(sort, backwards, connection.vendor)
    # The day is asked in the select list, before the subquery's parameters.
    params = [connection.ops.adapt_datefield_value(today), *ids_params]
    with connection.cursor() as cursor:
        cursor.execute(before + ids_sql + after, params)
        return [_row(*values) for values in cursor.fetchall()]


def _row(
    pk: int,
    reference: str | None,
    status: str,
    size_class: str,
    entries_per_year: int | None,
    risk_flag_bits: int,
    submitted_at: datetime | None,
    answers_unread: Any,
    information_overdue: Any,
    legal_name: str,
    reviewer_id: int | None,
    full_name: str | None,
    email: str | None,
    priority: float,
) -> ListedApplication:
    if submitted_at is not None and submitted_at.tzinfo is None:  # SQLite's are UTC, naive
        submitted_at = submitted_at.replace(tzinfo=UTC)
    return ListedApplication(
        pk=pk,
        reference=reference or "",
        status=status,
        size_class=size_class,
        entries_per_year=entries_per_year,
        risk_flag_bits=risk_flag_bits,
        submitted_at=submitted_at,
        answers_arrived=bool(answers_unread),
        information_overdue=bool(information_overdue),
        legal_name=legal_name,
        reviewer_id=reviewer_id,
        reviewer_name=(full_name or email or "") if reviewer_id is not None else "",
        priority=float(priority),
    )


@cache
def _statement(sort: str, backwards: bool, vendor: str) -> tuple[str, str]:
    """The statement around the ids' subquery, as the text before it and after: the names are
    the models' (quoted by the database's own rules), the only value is the day, a parameter."""
    quote = connection.ops.quote_name

    def column(model: Any, field: str) -> str:
        return quote(model._meta.get_field(field).column)

    application = quote(Application._meta.db_table)
    organisation = quote(Organisation._meta.db_table)
    user = quote(User._meta.db_table)
    shown = ", ".join(
        [
            *(
                f"a.{column(Application, name)}"
                for name in (
                    "id",
                    "reference",
                    "status",
                    "size_class",
                    "entries_per_year",
                    "risk_flag_bits",
                    "submitted_at",
                    "answers_unread",
                )
            ),
            information_overdue_sql(f"a.{column(Application, 'id')}", connection),
            f"o.{column(Organisation, 'legal_name')}",
            f"a.{column(Application, 'assigned_reviewer')}",
            f"u.{column(User, 'full_name')}",
            f"u.{column(User, 'email')}",
            "page.priority",
        ]
    )
    keys = {
        "priority": "page.priority",
        "submitted_at": f"a.{column(Application, 'submitted_at')}",
        "pk": f"a.{column(Application, 'id')}",
        "volume": f"COALESCE(a.{column(Application, 'entries_per_year')}, -1)",
    }
    order = ", ".join(
        f"{keys[name]} {'DESC' if descending != backwards else 'ASC'}"
        for name, descending in SORT_KEYS[sort]
    )
    before = f"SELECT {shown} FROM ("  # noqa: S608
    after = (
        f") page INNER JOIN {application} a ON a.{column(Application, 'id')} = page.pk "
        f"INNER JOIN {organisation} o "
        f"ON o.{column(Organisation, 'id')} = a.{column(Application, 'organisation')} "
        f"LEFT OUTER JOIN {user} u "
        f"ON u.{column(User, 'id')} = a.{column(Application, 'assigned_reviewer')} "
        f"ORDER BY {order}"
    )
    return before, after
