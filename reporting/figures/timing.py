"""How long things take: from submission to decision, and from CBP's question to the applicant's
answer, as the median and the 90th percentile in days (nearest rank: reporting.figures.stats)."""

from datetime import date, timedelta

from django.db.models import DurationField, ExpressionWrapper, F, QuerySet

from certification.models import Decision, InformationRequest
from reporting.figures.base import Cell, Figure
from reporting.figures.common import (
    ALL_SIZES,
    DECIDED_REVIEWER_NOTE,
    days,
    decided_in_scope,
    in_scope,
    period_words,
    scope_notes,
    sentence,
    size_class_of,
    size_classes,
    size_label,
)
from reporting.figures.stats import Percentiles, percentiles_by_group
from reporting.filters import ReportFilters

MEDIAN, NINETIETH = 50, 90
COLUMNS = ("Size class", "Median (days)", "90th percentile (days)")
DEFINITION = (
    "Median and 90th percentile by nearest rank: of n times in ascending order, the one at rank "
    "⌈n × p ÷ 100⌉, always a real application's time (of an even number, the median is the "
    "lower middle one)."
)


def in_days(duration: timedelta) -> float:
    """A duration in days, to one decimal place."""
    return round(duration.total_seconds() / 86400, 1)


def _durations(
    rows: QuerySet, *, start: str, end: str, filters: ReportFilters
) -> tuple[tuple[tuple[Cell, ...], ...], Percentiles | None]:
    """The table of `end − start` over `rows` (each a record of one application, reached by
    `application`), a row for each size class with any, then all of them together; and the
    percentiles of all of them. Two queries."""
    value = ExpressionWrapper(F(end) - F(start), output_field=DurationField())
    by_size = percentiles_by_group(
        rows, value=value, group=size_class_of("application"), ps=[MEDIAN, NINETIETH]
    )
    overall = percentiles_by_group(rows, value=value, group=None, ps=[MEDIAN, NINETIETH]).get(None)

    def row(label: str, found: Percentiles) -> tuple[Cell, ...]:
        return (label, in_days(found.values[MEDIAN]), in_days(found.values[NINETIETH]))

    shown = size_classes(filters)
    table = [row(size_label(size), by_size[size]) for size in shown if size in by_size]
    if overall is not None and len(shown) > 1:
        table.append(row(ALL_SIZES, overall))
    return tuple(table), overall


def decision_times(*, filters: ReportFilters, today: date | None = None) -> Figure:
    """Days from submission (Application.submitted_at) to the decision's sign-off
    (Decision.decided_at), for the decisions of the period, by size class. Two queries."""
    decisions = Decision.objects.filter(
        decided_at__gte=filters.since,
        decided_at__lt=filters.until,
        application__submitted_at__isnull=False,
    ).filter(decided_in_scope(filters))
    rows, overall = _durations(
        decisions, start="application__submitted_at", end="decided_at", filters=filters
    )
    if overall is None:
        summary = f"No applications were decided {period_words(filters)}."
    elif overall.count == 1:
        summary = (
            f"The one application decided {period_words(filters)} was decided "
            f"{days(in_days(overall.values[MEDIAN]))} after submission."
        )
    else:
        summary = (
            f"Of the {overall.count} applications decided {period_words(filters)}, half were "
            f"decided within {days(in_days(overall.values[MEDIAN]))} of submission and nine in "
            f"ten within {days(in_days(overall.values[NINETIETH]))}."
        )
    return Figure(
        key="decision-times",
        title="Days from submission to decision",
        summary=summary,
        columns=COLUMNS,
        rows=rows,
        unit="days",
        notes=(
            DEFINITION,
            *((DECIDED_REVIEWER_NOTE,) if filters.reviewer_id is not None else ()),
        ),
    )


def answer_times(*, filters: ReportFilters, today: date | None = None) -> Figure:
    """Days from CBP's request for information (InformationRequest.created_at) to the applicant's
    answer (answered_at), for the requests answered in the period, by size class. A request not
    yet answered has no time to count. Two queries."""
    answered = InformationRequest.objects.filter(
        answered_at__gte=filters.since, answered_at__lt=filters.until
    ).filter(in_scope(filters, to_application="application"))
    rows, overall = _durations(answered, start="created_at", end="answered_at", filters=filters)
    if overall is None:
        summary = f"No requests for information were answered {period_words(filters)}."
    elif overall.count == 1:
        summary = (
            f"The one request for information answered {period_words(filters)} was answered "
            f"{days(in_days(overall.values[MEDIAN]))} after CBP asked."
        )
    else:
        summary = sentence(
            f"{overall.count} requests for information were answered {period_words(filters)}: "
            f"half within {days(in_days(overall.values[MEDIAN]))} of CBP's questions and nine in "
            f"ten within {days(in_days(overall.values[NINETIETH]))}."
        )
    return Figure(
        key="answer-times",
        title="Days from CBP's questions to the applicant's answers",
        summary=summary,
        columns=COLUMNS,
        rows=rows,
        unit="days",
        notes=(DEFINITION, *scope_notes(filters)),
    )
