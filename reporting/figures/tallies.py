"""The program's history counted a day at a time, so that the dashboard reads days, not events.

Events are written when things happen and never changed (the database refuses), decisions and
answers are written once: a day that is over stays as it was. Each night `tally_closed_days` counts
the days that closed since the last run into `DayTally` rows (received, decided and withdrawn; the
net change in what waits for CBP; each decision with its route, outcome, recommending reviewer and
time taken; each answer with its time taken), a few hundred rows a day however busy the day was.
A figure reads the tallies for the days they reach and the log itself for the days since (today,
or more if the nightly run has not come): `Tallies` (reporting.figures.reader) puts the two
together, so the figures are the same with the tallies or without them
(tests/reporting/test_tallies.py), only quicker.

Both sides count through the same functions (`count_events`, `count_decisions`, `count_answers`),
so a day tallied at night and the same day read from the log give the same keys and numbers.

Times are kept in tenths of a day, as the figures show them (`in_days`); rounding keeps order, so
the median of the rounded times is the rounded median: the figures lose nothing.

With a reviewer chosen, the counts that follow an application's present reviewer (received,
decided, withdrawn, waiting, answers) are read from the log: whose an application is changes, and
a day's tally cannot know later reassignments. Decisions keep who recommended them, so their
tallies serve a reviewer too.
"""

from collections import Counter
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import (
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Model,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from certification.events import EventVerb
from certification.models import (
    AWAITING_CBP_STATUSES,
    Decision,
    Event,
    InformationRequest,
)
from certification.workflow import AWAITING_CBP, MOVES, Move
from reporting.figures.common import size_class_of, start_of
from reporting.models import DayTally, Measure, TallyState

# A day is closed an hour after midnight: a transaction open over midnight commits its events.
CLOSED_MARGIN = timedelta(hours=1)


def _crosses(move: Move) -> bool:
    """Whether `move` can take an application into the statuses that wait for CBP or out of them."""
    into = move.sources - AWAITING_CBP and move.targets & AWAITING_CBP
    out_of = move.sources & AWAITING_CBP and move.targets - AWAITING_CBP
    return bool(into or out_of)


# The verbs of those moves (submitting, withdrawing, deciding), read from the workflow's one table.
CROSSING_VERBS = sorted({move.verb for move in MOVES.values() if _crosses(move)})
# An event's own from → to says whether it crossed: withdrawing a draft leaves nothing.
ENTERING = (
    Q(verb__in=CROSSING_VERBS)
    & Q(to_status__in=AWAITING_CBP_STATUSES)
    & ~Q(from_status__in=AWAITING_CBP_STATUSES)
)
LEAVING = (
    Q(verb__in=CROSSING_VERBS)
    & Q(from_status__in=AWAITING_CBP_STATUSES)
    & ~Q(to_status__in=AWAITING_CBP_STATUSES)
)
RECEIVED = Q(verb=EventVerb.APPLICATION_SUBMITTED)
DECIDED = Q(verb=EventVerb.APPLICATION_DECIDED)
# Withdrawn after submission: a draft withdrawn was never received, so it is not counted.
WITHDRAWN = Q(verb=EventVerb.APPLICATION_WITHDRAWN, from_status__in=AWAITING_CBP_STATUSES)
COUNTED_VERBS = sorted(
    {
        *CROSSING_VERBS,
        EventVerb.APPLICATION_SUBMITTED,
        EventVerb.APPLICATION_DECIDED,
        EventVerb.APPLICATION_WITHDRAWN,
    }
)
COUNTS = (Measure.RECEIVED, Measure.DECIDED, Measure.WITHDRAWN, Measure.WAITING)

# A tally's key: (measure, day, size class, route, outcome, recommended by, tenths of a day).
Key = tuple[str, date, str, str, str, int | None, int | None]


def in_days(duration: timedelta) -> float:
    """A duration in days, to one decimal place, as the figures show it."""
    return round(duration.total_seconds() / 86400, 1)


def tenths_of(duration: timedelta) -> int:
    """A duration in tenths of a day, rounded as `in_days` rounds it."""
    return round(in_days(duration) * 10)


def _between[M: Model](
    rows: QuerySet[M], field: str, since: datetime | None, until: datetime
) -> QuerySet[M]:
    rows = rows.filter(**{f"{field}__lt": until})
    return rows.filter(**{f"{field}__gte": since}) if since is not None else rows


def count_events(*, since: datetime | None, until: datetime, scope: Q) -> Counter[Key]:
    """Received, decided, withdrawn and the net change in waiting, of the events in
    [since, until) of the applications in `scope`, by day and size class. One query."""
    rows = (
        _between(Event.objects.filter(verb__in=COUNTED_VERBS), "created_at", since, until)
        .filter(RECEIVED | DECIDED | WITHDRAWN | ENTERING | LEAVING)
        .filter(scope)
        .annotate(day=TruncDate("created_at"), size=size_class_of("application"))
        .values_list("day", "size")
        .annotate(
            received=Count("pk", filter=RECEIVED),
            decided=Count("pk", filter=DECIDED),
            withdrawn=Count("pk", filter=WITHDRAWN),
            waiting=Sum(
                Case(When(ENTERING, then=Value(1)), When(LEAVING, then=Value(-1)), default=0)
            ),
        )
        .order_by()
    )
    counted: Counter[Key] = Counter()
    for day, size, *numbers in rows:
        for measure, n in zip(COUNTS, numbers, strict=True):
            if n:
                counted[measure.value, day, size, "", "", None, None] += n
    return counted


def count_decisions(*, since: datetime | None, until: datetime, scope: Q) -> Counter[Key]:
    """The decisions signed off in [since, until) within `scope`, by day, size class, route,
    outcome, recommending reviewer and days from submission (None without a submission). One
    query, a row per decision: a day's worth, or the period's with a reviewer chosen."""
    took = ExpressionWrapper(F("decided_at") - F("application__submitted_at"), DurationField())
    rows = (
        _between(Decision.objects.all(), "decided_at", since, until)
        .filter(scope)
        .annotate(day=TruncDate("decided_at"), size=size_class_of("application"), took=took)
        .values_list("day", "size", "application__route", "outcome", "recommended_by_id", "took")
        .order_by()
    )
    counted: Counter[Key] = Counter()
    for day, size, route, outcome, reviewer, taken in rows:
        tenths = tenths_of(taken) if taken is not None else None
        counted[Measure.DECISION.value, day, size, route, outcome, reviewer, tenths] += 1
    return counted


def count_answers(*, since: datetime | None, until: datetime, scope: Q) -> Counter[Key]:
    """The requests for information answered in [since, until) within `scope`, by day, size class
    and days from the question to the answer. One query, a row per answer."""
    took = ExpressionWrapper(F("answered_at") - F("created_at"), DurationField())
    rows = (
        _between(InformationRequest.objects.all(), "answered_at", since, until)
        .filter(scope)
        .annotate(day=TruncDate("answered_at"), size=size_class_of("application"), took=took)
        .values_list("day", "size", "took")
        .order_by()
    )
    counted: Counter[Key] = Counter()
    for day, size, taken in rows:
        counted[Measure.ANSWER.value, day, size, "", "", None, tenths_of(taken)] += 1
    return counted


def last_closed_day(now: datetime) -> date:
    """The last day that is over, with the margin, at `now`."""
    return timezone.localdate(now - CLOSED_MARGIN) - timedelta(days=1)


def tally_closed_days(*, now: datetime | None = None, again: bool = False) -> int:
    """Tally every day closed since the last run (the first run: every day since the first
    event), or, `again`, every day from the start: for history written after the fact
    (`seed_scale --history`, an import). Returns the number of rows written. Runs once at a
    time (the state's row is locked) and whole or not at all (one transaction), so no day is ever
    half tallied."""
    now = now or timezone.now()
    last = last_closed_day(now)
    with transaction.atomic():
        TallyState.objects.get_or_create(pk=1)
        state = TallyState.objects.select_for_update().get(pk=1)
        if again:
            DayTally.objects.all().delete()
            state.through = None
        if state.through is not None and state.through >= last:
            return 0
        since = start_of(state.through + timedelta(days=1)) if state.through else None
        until = start_of(last + timedelta(days=1))
        counted = count_events(since=since, until=until, scope=Q())
        # update, not +: a Counter's + drops what is not positive, and a net change may be.
        counted.update(count_decisions(since=since, until=until, scope=Q()))
        counted.update(count_answers(since=since, until=until, scope=Q()))
        rows = [
            DayTally(
                measure=measure,
                day=day,
                size_class=size,
                route=route,
                outcome=outcome,
                recommended_by_id=reviewer,
                tenths=tenths,
                count=n,
            )
            for (measure, day, size, route, outcome, reviewer, tenths), n in counted.items()
            if n
        ]
        DayTally.objects.bulk_create(rows, batch_size=5000)
        state.through, state.tallied_at = last, now
        state.save(update_fields=["through", "tallied_at"])
    return len(rows)
