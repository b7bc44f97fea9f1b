"""The queue: how many applications waited for CBP at the end of each week, from the event log, and
how old the ones waiting today are against the target days of their size class."""

from collections import Counter
from datetime import date, timedelta

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from certification.models import AWAITING_CBP_STATUSES, Application
from certification.workflow import APPLICATIONS_VERSION
from common import cache_versions
from reporting.figures.base import Cell, Figure
from reporting.figures.common import (
    ALL_SIZES,
    count_words,
    days,
    in_scope,
    long_date,
    month_day,
    period_words,
    scope_notes,
    sentence,
    size_class_of,
    size_classes,
    size_label,
)
from reporting.figures.reader import Tallies
from reporting.figures.stats import percentile_of_counts
from reporting.filters import ReportFilters
from reporting.models import Measure
from reviews.selectors import workload_settings

# The waiting applications' counts are kept this long at most, as the workload panel's are.
WAITING_SECONDS = 300


def queue_depth(
    *, filters: ReportFilters, today: date | None = None, tallies: Tallies | None = None
) -> Figure:
    """Applications waiting for CBP (submitted, in review, information requested, recommended) at
    the end of each week of the period, by size class: every application that entered those
    statuses before then and had not left them, counted from the events' from → to statuses (by
    day: the tallies and the log since, reporting.figures.tallies), so the history is right from
    the first day. The last week ends with the period (or today, the events stopping there)."""
    weeks = filters.weeks()
    before: Counter[str] = Counter()
    during: dict[date, Counter[str]] = {monday: Counter() for monday in weeks}
    for (measure, day, size), net in (tallies or Tallies()).counts(filters).items():
        if measure != Measure.WAITING:
            continue
        if day is None:  # every day before the period: its starting count
            before[size] += net
        else:
            during[day - timedelta(days=day.weekday())][size] += net
    sizes = size_classes(filters)
    several = len(sizes) > 1
    waiting = Counter(before)
    rows: list[tuple[Cell, ...]] = []
    totals: list[int] = []
    for monday in weeks:
        waiting.update(during[monday])
        counts = [waiting[size] for size in sizes]
        totals.append(sum(counts))
        rows.append((monday.isoformat(), *counts, *(totals[-1:] if several else [])))
    columns = ("Week", *(size_label(s) for s in sizes), *([ALL_SIZES] if several else []))
    if not any(totals):
        summary = (
            f"No applications were waiting for CBP at the end of any week {period_words(filters)}."
        )
    else:
        # A period running on past today: the count of its last week is today's.
        last_day = min(filters.end, today or timezone.localdate())
        summary = (
            f"{sentence(count_words(totals[-1], 'application was', 'applications were'))} "
            f"waiting for CBP on {long_date(last_day)}, the period's last day counted."
        )
        if len(weeks) > 1:
            first_end = weeks[0] + timedelta(days=6)
            summary += f" At the end of its first week ({month_day(first_end)}): {totals[0]}."
    return Figure(
        key="queue-depth",
        title="Applications waiting for CBP at the end of each week",
        summary=summary,
        columns=columns,
        rows=tuple(rows),
        chart="lines",
        notes=(
            "Counted from the log of every status move: submitted, in review, information "
            "requested or recommended is waiting for CBP.",
            *scope_notes(filters),
        ),
    )


def _waiting_by_day(filters: ReportFilters) -> list[tuple[str, date, int]]:
    """How many applications waiting for CBP were submitted on each day, by size class: a row
    per size class and day however many applications there are; ages being whole days, the
    counts, the number past the target and the medians follow exactly. One query, kept until the
    workflow moves an application (as the workload panel's counts are, reviews.workload)."""
    return cache_versions.cached(
        f"reporting:waiting-by-day:{filters.size_class}:{filters.reviewer_id}",
        APPLICATIONS_VERSION,
        lambda: list(
            Application.objects.filter(status__in=AWAITING_CBP_STATUSES, submitted_at__isnull=False)
            .filter(in_scope(filters))
            .annotate(size=size_class_of(), submitted_on=TruncDate("submitted_at"))
            .values_list("size", "submitted_on")
            .annotate(n=Count("pk"))
            .order_by()
        ),
        timeout=WAITING_SECONDS,
    )


def queue_ageing(
    *, filters: ReportFilters, today: date | None = None, tallies: Tallies | None = None
) -> list[Figure]:
    """The applications waiting for CBP now, by size class: how many, how many are older than the
    target days of their size class (WorkloadSettings.target_days), and their median age in days
    (nearest rank, reporting.figures.stats) against the target. An application's age is the
    number of whole days from the day it was submitted to `today`; it is past the target when
    its age is more than the target. The period does not apply: it is the queue as it stands.
    Two figures (one in applications, one in days), one query (and the settings), none while
    both are cached."""
    today = today or timezone.localdate()
    settings = workload_settings()
    sizes = size_classes(filters)
    targets = {size: settings.target_days(size) for size in sizes}
    ages: dict[str, Counter[int]] = {size: Counter() for size in sizes}
    for size, submitted_on, n in _waiting_by_day(filters):
        ages[size][(today - submitted_on).days] += n
    counts_rows, days_rows = [], []
    for each in sizes:
        waiting, target = ages[each], targets[each]
        past = sum(n for age, n in waiting.items() if age > target)
        counts_rows.append((size_label(each), waiting.total(), past))
        median = percentile_of_counts(waiting, 50) if waiting else None
        days_rows.append((size_label(each), median, target))
    total = sum(row[1] for row in counts_rows)
    past_total = sum(row[2] for row in counts_rows)
    on = long_date(today)
    if total == 0:
        counts_summary = f"No applications were waiting for CBP on {on}."
        days_summary = f"No applications were waiting for CBP on {on}, so none has an age."
    else:
        past_words = (
            "none was"
            if past_total == 0
            else f"{past_total} {'was' if past_total == 1 else 'were'}"
        )
        counts_summary = (
            f"On {on}, {count_words(total, 'application was', 'applications were')} waiting for "
            f"CBP; {past_words} past the target days of {'its' if total == 1 else 'their'} "
            "size class."
        )
        days_summary = "On {on}, the median age of the waiting applications was {medians}.".format(
            on=on,
            medians="; ".join(
                f"{label.lower()}: {days(age)} against a target of {target}"
                for label, age, target in days_rows
                if age is not None
            ),
        )
    notes = (f"As of {on}: the period does not apply.", *scope_notes(filters))
    return [
        Figure(
            key="queue-ageing",
            title="Applications waiting for CBP and past their target, by size class",
            summary=counts_summary,
            columns=("Size class", "Waiting", "Past the target"),
            rows=tuple(counts_rows),
            notes=notes,
        ),
        Figure(
            key="queue-age",
            title="Median age of the applications waiting for CBP against the target days",
            summary=days_summary,
            columns=("Size class", "Median age (days)", "Target (days)"),
            rows=tuple(days_rows),
            unit="days",
            notes=(*notes, "The median is the middle age by nearest rank: a real application's."),
        ),
    ]
