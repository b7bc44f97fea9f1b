"""The flow through CBP: applications received, decided and withdrawn each week, from the event log."""

from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from certification.events import EventVerb
from certification.models import AWAITING_CBP_STATUSES, Event
from reporting.figures.base import Figure
from reporting.figures.common import count_words, in_scope, period_words, scope_notes, sentence
from reporting.filters import ReportFilters

RECEIVED = Q(verb=EventVerb.APPLICATION_SUBMITTED)
DECIDED = Q(verb=EventVerb.APPLICATION_DECIDED)
# Withdrawn after submission: a draft withdrawn was never received, so it is not counted.
WITHDRAWN = Q(verb=EventVerb.APPLICATION_WITHDRAWN, from_status__in=AWAITING_CBP_STATUSES)


def applications_flow(*, filters: ReportFilters, today: date | None = None) -> Figure:
    """Applications received (submitted), decided (certified or denied at sign-off) and withdrawn
    after submission, each week of the period, counted from their events. One query."""
    weekly: dict[date, tuple[int, int, int]] = {
        timezone.localtime(week).date(): (received, decided, withdrawn)
        for week, received, decided, withdrawn in Event.objects.filter(
            RECEIVED | DECIDED | WITHDRAWN,
            created_at__gte=filters.since,
            created_at__lt=filters.until,
        )
        .filter(in_scope(filters, to_application="application"))
        .annotate(week=TruncWeek("created_at"))
        .values_list("week")
        .annotate(
            received=Count("pk", filter=RECEIVED),
            decided=Count("pk", filter=DECIDED),
            withdrawn=Count("pk", filter=WITHDRAWN),
        )
        .order_by()
    }
    counts = [weekly.get(monday, (0, 0, 0)) for monday in filters.weeks()]
    rows = tuple(
        (monday.isoformat(), *week) for monday, week in zip(filters.weeks(), counts, strict=True)
    )
    received, decided, withdrawn = (sum(week[i] for week in counts) for i in range(3))
    if received == decided == withdrawn == 0:
        summary = f"No applications were received, decided or withdrawn {period_words(filters)}."
    else:
        summary = sentence(
            f"{count_words(received, 'application was', 'applications were')} received, "
            f"{decided} decided and {withdrawn} withdrawn {period_words(filters)}."
        )
    return Figure(
        key="flow",
        title="Applications received, decided and withdrawn each week",
        summary=summary,
        columns=("Week", "Received", "Decided", "Withdrawn"),
        rows=rows,
        notes=(
            "Decided: certified or denied when a supervisor signed the decision off; a denial "
            "reversed on appeal is counted with the appeals.",
            "Withdrawn: after submission; a draft withdrawn is not counted.",
            *scope_notes(filters),
        ),
    )
