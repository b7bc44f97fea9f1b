"""Reads of the review: the queue, with its priority computed by the database.

The queue's order is `reviews.priority.priority()`, written a second time as a database expression
(`PriorityExpression`) so that 100,000 applications can be sorted and paged without loading them;
a test holds the two to the same numbers. A page of the queue (`queue_pages.queue_page`) takes the
same number of queries whatever the number of applications and however deep the page: the page's
rows (found on the applications table alone, then joined to their organisation and reviewer, in
one statement, in priority order read as streams already in order: `queue_streams`) and the
counts. Deep pages seek past the last row shown (`Seek`) instead of counting rows off.
docs/benchmarks.md has the measurements.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import (
    Count,
    F,
    IntegerField,
    Q,
    QuerySet,
)
from django.db.models.expressions import OrderBy
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from certification.models import (
    Application,
    ApplicationStatus,
    WorkloadSettings,
)
from certification.workflow import APPLICATIONS_VERSION as APPLICATIONS
from certification.workflow import AWAITING_CBP
from common import cache_versions
from recordkeepers.models import RiskFlag, SizeClass, StaffRole, User
from reviews import priority
from reviews.access import applications_visible_to_staff
from reviews.selectors.queue_listed import ListedApplication, listed
from reviews.selectors.queue_priority import InformationOverdue, PriorityExpression
from reviews.selectors.queue_search import search_condition
from reviews.selectors.queue_seek import Seek
from reviews.selectors.queue_streams import page_ids

# The workflow's "awaiting CBP" states, in the order statuses are listed.
QUEUE_STATUSES = [status for status in ApplicationStatus if status in AWAITING_CBP]


# A listing of at most this many applications is sorted whole: reading every stream
# (`queue_streams`) would cost more than sorting so few.
STREAMS_FROM = 2_000


class QueueQuerySet(QuerySet):
    """The queue's rows, as `queue()` makes them: iterated, applications with their joins and
    annotations. A page of it (`page`) is one statement in two steps: the page's ids, found on
    the applications table alone with no more than the sort needs (`_ids`), then those rows'
    shown values (`queue_listed`). Sorting 100,000 rows already joined to their organisations
    and reviewers, with every annotation computed, costs several times as much
    (docs/benchmarks.md). In priority order, on PostgreSQL, a long listing's ids are read as
    streams already in order (`queue_streams`) instead of sorting the listing.

    Only the queryset `queue()` returns has a `page`: one derived from it (filtered again,
    reordered) no longer matches `_ids`.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._ids: QuerySet | None = None  # the same rows and order, no joins or display columns
        # The sort, whether it is read backwards (the rows before a deep page's first), and the
        # moment the priorities are computed at.
        self._order: tuple[str, bool, datetime] | None = None
        # In priority order: the rows without a deep page's seek (`page_ids` applies it stream by
        # stream), the target days and the sort key a deep page starts after (or before).
        self._streams: tuple[QuerySet, WorkloadSettings, tuple[Any, ...] | None] | None = None
        # The number of rows, when the caller counted them already (`queue_page`).
        self.known_count: int | None = None

    def page(self, start: int, stop: int) -> list[ListedApplication]:
        """Rows `start` to `stop` of the listing, as the values a page shows."""
        if self._ids is None or self._order is None:
            raise TypeError("Only the queryset queue() returns has pages.")
        sort, backwards, now = self._order
        if self._streams and self._read_as_streams():
            unsought, workload, key = self._streams
            found = page_ids(
                unsought,
                start=start,
                stop=stop,
                backwards=backwards,
                key=key,
                now=now,
                workload=workload,
            )
            ids: tuple[str, Any] = (found.sql, found.params)
        else:
            ids = self._ids.values_list("pk", "priority")[start:stop].query.sql_with_params()
        return listed(ids, sort=sort, backwards=backwards, today=now.date())

    def _read_as_streams(self) -> bool:
        # LATERAL is PostgreSQL's; SQLite (the demo) sorts its few rows.
        long = self.known_count is None or self.known_count > STREAMS_FROM
        return long and connection.vendor == "postgresql"

    def count(self) -> int:
        if self.known_count is not None and self._result_cache is None:
            return self.known_count
        # The same rows, counted from the lighter query: the count does not need the rest.
        if self._ids is not None and self._result_cache is None:
            return self._ids.count()
        return super().count()


@dataclass(frozen=True)
class QueueFilters:
    status: str = ""
    size_class: str = ""
    risk_flag: str = ""
    port: str = ""
    assigned: str = ""  # "me", "unassigned", "others", or a reviewer's id
    older_than_days: int | None = None
    search: str = ""
    sort: str = "priority"  # "priority", "age" or "volume"


SORTS: dict[str, list[str | OrderBy]] = {
    "priority": ["-priority", "submitted_at", "pk"],
    "age": ["submitted_at", "pk"],
    # No entries per year (none in the queue: submission sets it) sorts last, as -1: one
    # expression with no NULLs, which an index can hold in this order (certification 0022).
    "volume": ["-volume", "submitted_at", "pk"],
}
VOLUME = Coalesce("entries_per_year", -1, output_field=IntegerField())


def queue_visible_to(*, user: User) -> QuerySet[Application]:
    """The applications waiting for CBP that `user` may see (`reviews.access`): reviewers what
    they may claim and what is theirs, never past a conflict; supervisors everything."""
    return applications_visible_to_staff(user=user).filter(status__in=QUEUE_STATUSES)


def _matching(*, user: User, filters: QueueFilters, now: datetime) -> Q:
    """The filters as one condition on the applications `user` may see."""
    matching = Q()
    if filters.status:
        matching &= Q(status=filters.status)
    if filters.size_class:
        matching &= Q(size_class=filters.size_class)
    if filters.risk_flag in RiskFlag.values:
        bit = 1 << RiskFlag.values.index(filters.risk_flag)
        # The bit sets that have the flag, rather than `risk_flag_bits & bit`: the database knows
        # how common each value is, and so how many applications match, but not how many a
        # bitwise AND leaves (PostgreSQL guesses 0.5%, and plans for a handful).
        with_flag = [bits for bits in range(1 << len(RiskFlag.values)) if bits & bit]
        matching &= Q(risk_flag_bits__in=with_flag)
    if filters.port:
        matching &= Q(port_codes__contains=f" {filters.port.strip()} ")  # a whole port
    if filters.assigned == "me":
        matching &= Q(assigned_reviewer=user)
    elif filters.assigned == "unassigned":
        matching &= Q(assigned_reviewer__isnull=True)
    elif filters.assigned == "others":
        matching &= Q(assigned_reviewer__isnull=False) & ~Q(assigned_reviewer=user)
    elif filters.assigned.isdigit():
        matching &= Q(assigned_reviewer_id=int(filters.assigned))
    if filters.older_than_days:
        matching &= Q(submitted_at__lte=now - timedelta(days=filters.older_than_days))
    if filters.search:
        matching &= search_condition(filters.search)
    return matching


# What a queue row never shows (templates/reviews/queue.html, `why_here`).
ROW_UNUSED = (
    "profile_snapshot",
    "proposed_terms",
    "search_text",
    "organisation__importer_numbers",
    "organisation__ports",
    "organisation__customs_brokers",
    "organisation__risk_flags",
    "organisation__prior_penalties",
    "organisation__open_cases",
    "assigned_reviewer__password",
)


def queue(
    *,
    user: User,
    filters: QueueFilters,
    now: datetime | None = None,
    workload: WorkloadSettings | None = None,
    seek: Seek | None = None,
) -> QueueQuerySet:
    """The queue as `user` may see it, filtered and sorted, each row annotated with its
    `priority`, whether answers to CBP's questions arrived (`answers_arrived`) and whether an
    information request is overdue (`information_overdue`). With `seek`, only the rows past a
    row of a page already shown, in the sort's order (or, backwards, in the reverse order)."""
    now = now or timezone.now()
    workload = workload or workload_settings()
    rows = queue_visible_to(user=user).filter(_matching(user=user, filters=filters, now=now))
    sort = filters.sort if filters.sort in SORTS else "priority"
    order = SORTS[sort]
    # The page's ids are found from these; the rows are built on them, so that the priority is
    # put together once.
    priority_now = PriorityExpression(now=now, workload=workload)
    ids = rows.annotate(priority=priority_now)
    if sort == "volume":
        ids = ids.annotate(volume=VOLUME)
    ids = unsought = ids.order_by(*order)
    if seek is not None:
        ids = ids.filter(seek.condition(sort))
        if seek.backwards:
            ids, unsought = ids.reverse(), unsought.reverse()

    def displayed(rows: QuerySet) -> QuerySet:
        return rows.select_related("organisation", "assigned_reviewer").annotate(
            answers_arrived=F("answers_unread"),
            information_overdue=InformationOverdue(today=now.date()),
        )

    # Iterated, the listing reads none of the submission's snapshot, search text or proposed
    # terms, nor the organisation's lists and histories (a page reads only what it shows).
    rows = displayed(ids).defer(*ROW_UNUSED)
    page_rows: QueueQuerySet = QueueQuerySet(model=Application, query=rows.query, using=rows.db)
    page_rows._ids = ids
    page_rows._order = (sort, seek is not None and seek.backwards, now)
    # A search is sorted whole: its matches are found through the trigram index, which PostgreSQL
    # would otherwise read once for every stream (1.6 s for a common name at 1,000,000).
    if sort == "priority" and not filters.search:
        page_rows._streams = (unsought, workload, seek.key if seek is not None else None)
    return page_rows


# The queue's counts are kept this long at most; the workflow's moves make them stale at once.
COUNTS_SECONDS = 300
# The cache version of the workload settings, moved on when an admin saves them (reviews/signals.py).
WORKLOAD = "workload-settings"
# The cache version of what shows people's names or roles (`reviewer_choices`, the workspace's
# parts), moved on by any change to a person or their groups (reviews/signals.py).
PEOPLE = "people"


# The cache keys of the reads every queue page makes (`queue_reads`).
REVIEWERS_KEY = "reviewer-choices"
WORKLOAD_KEY = "workload-settings"


def _counts_key(user: User) -> str:
    return f"queue-counts:{user.pk}"


def queue_reads(*, user: User) -> list[tuple[str, str]]:
    """The cached reads every queue page makes, as (key, version) pairs for
    `cache_versions.read_ahead`: the counts, the reviewers and the workload settings, fetched
    together in one round trip to the cache instead of one each."""
    return [
        (_counts_key(user), APPLICATIONS),
        (REVIEWERS_KEY, PEOPLE),
        (WORKLOAD_KEY, WORKLOAD),
    ]


def workload_settings() -> WorkloadSettings:
    """The workload settings (target days per size class), kept in the cache until an admin
    saves them: every queue page needs them, and they change a few times a year."""
    return cache_versions.cached(
        WORKLOAD_KEY, WORKLOAD, WorkloadSettings.current, timeout=COUNTS_SECONDS
    )


def queue_counts(*, user: User) -> dict[str, int]:
    """How many applications in each queue state, how many are the user's and how many have no
    reviewer. Counted in one query over the whole queue, so cached per person until a move of the
    workflow (submission, assignment, recusal, any status change) bumps the applications' version
    (`common.cache_versions`); changes that move nothing in the workflow (a reviewer's new link to
    an organisation) show within `COUNTS_SECONDS`."""
    return cache_versions.cached(
        _counts_key(user), APPLICATIONS, lambda: _count(user), timeout=COUNTS_SECONDS
    )


def _count(user: User) -> dict[str, int]:
    # Counting `status` (never null), not the id, needs only columns of the index on
    # (assigned_reviewer, status): PostgreSQL counts from the index alone, twice as fast.
    return queue_visible_to(user=user).aggregate(
        total=Count("status"),
        mine=Count("status", filter=Q(assigned_reviewer=user)),
        unassigned=Count("status", filter=Q(assigned_reviewer__isnull=True)),
        **{status: Count("status", filter=Q(status=status)) for status in QUEUE_STATUSES},
    )


def why_here(
    application: Application | ListedApplication, workload: WorkloadSettings, now: datetime
) -> priority.Priority:
    """The priority of one queue row, with its parts, as of `now`: the same inputs the database's
    `PriorityExpression` sorted it by."""
    # Every application in the queue was submitted; one that was not would have waited no time.
    waiting_days = (now - (application.submitted_at or now)).total_seconds() / 86400
    return priority.priority(
        priority.PriorityInput(
            waiting_days=max(waiting_days, 0.0),
            target_days=workload.target_days(application.size_class or SizeClass.MEDIUM),
            size_class=application.size_class or SizeClass.MEDIUM,
            risk_flag_count=application.risk_flag_count,
            information_answered=bool(getattr(application, "answers_arrived", False)),
        )
    )


def reviewers() -> QuerySet[User]:
    """Everyone who reviews, for assignment and the queue's filter."""
    return User.objects.filter(groups__name=StaffRole.REVIEWER.value, is_active=True).order_by(
        "full_name", "email"
    )


def reviewer_choices() -> list[tuple[int, str]]:
    """Everyone who reviews as (id, name), for every queue page's filter and bulk assignment:
    kept in the cache until a person or a group changes, rather than read on every page."""
    return cache_versions.cached(
        REVIEWERS_KEY,
        PEOPLE,
        lambda: [(person.pk, str(person)) for person in reviewers()],
        timeout=COUNTS_SECONDS,
    )


def queue_application(*, user: User, pk: int) -> Application:
    """One application of the queue as `user` may see it, or 404."""
    application = (
        queue_visible_to(user=user)
        .select_related("organisation", "assigned_reviewer")
        .filter(pk=pk)
    ).first()
    if application is None:
        raise Http404("No such application in your queue")
    return application
