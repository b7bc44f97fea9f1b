"""What the figures share: which applications the filters keep, the size classes as categories, and
the words of the summaries."""

from datetime import date, datetime, time

from django.db.models import Case, F, Q, Value, When
from django.db.models.expressions import Expression
from django.utils import timezone

from recordkeepers.models import SizeClass
from reporting.filters import ReportFilters

# The category of the table row that takes every size class together.
ALL_SIZES = "All size classes"

# Said by every figure the reviewer filter does not narrow.
REVIEWER_NOT_APPLIED = (
    "The reviewer filter does not apply here: these records are not assigned to reviewers, so "
    "all of them are counted."
)


def _path(to_application: str, field: str) -> str:
    return f"{to_application}__{field}" if to_application else field


def size_class_of(to_application: str = "") -> Expression:
    """An application's size class as the figures group it: one without a size class is counted
    as medium, as the workload panel and the review's projection count it
    (reviews.workload, certification.scheduling). `to_application` is the lookup path from the
    rows read to their application ("" for applications themselves)."""
    field = _path(to_application, "size_class")
    return Case(
        When(**{field: ""}, then=Value(SizeClass.MEDIUM.value)),
        default=F(field),
    )


def in_scope(filters: ReportFilters, *, to_application: str = "", reviewer: bool = True) -> Q:
    """The applications `filters` keep: of its size class (if one is chosen) and assigned now to
    its reviewer (if one is chosen and `reviewer`). The period is each figure's own business:
    which instants it counts differs (events, decisions, answers)."""
    scope = Q()
    if filters.size_class:
        sizes = [filters.size_class]
        if filters.size_class == SizeClass.MEDIUM:
            sizes.append("")  # counted as medium (size_class_of)
        scope &= Q(**{f"{_path(to_application, 'size_class')}__in": sizes})
    if reviewer and filters.reviewer_id is not None:
        scope &= Q(**{_path(to_application, "assigned_reviewer_id"): filters.reviewer_id})
    return scope


def decided_in_scope(filters: ReportFilters) -> Q:
    """The decisions `filters` keep: of an application of its size class, recommended by its
    reviewer (who recommended a decision is its history, kept on the row; the decisions export
    narrows by the same)."""
    scope = in_scope(filters, to_application="application", reviewer=False)
    if filters.reviewer_id is not None:
        scope &= Q(recommended_by_id=filters.reviewer_id)
    return scope


DECIDED_REVIEWER_NOTE = "With a reviewer chosen: the decisions that reviewer recommended."


def scope_notes(filters: ReportFilters) -> tuple[str, ...]:
    """What a figure narrowed by `in_scope` says of the reviewer filter, if one is chosen."""
    if filters.reviewer_id is None:
        return ()
    return (
        "With a reviewer chosen: the applications assigned to that reviewer now (one reassigned "
        "counts as its present reviewer's, over its whole history).",
    )


def size_classes(filters: ReportFilters) -> list[str]:
    """The size classes a figure lists: the one chosen, or all of them, smallest first."""
    return [filters.size_class] if filters.size_class else list(SizeClass.values)


def size_label(size_class: str) -> str:
    return SizeClass(size_class).label


def start_of(day: date) -> datetime:
    """The first instant of `day` in the service's time zone (aware)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def long_date(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"  # March 2, 2026


def month_day(day: date) -> str:
    return f"{day:%B} {day.day}"  # March 2


def period_words(filters: ReportFilters) -> str:
    """The period as a summary says it: "between March 2 and March 29, 2026"."""
    start, end = filters.start, filters.end
    if start == end:
        return f"on {long_date(start)}"
    first = month_day(start) if start.year == end.year else long_date(start)
    return f"between {first} and {long_date(end)}"


def count_words(n: int, one: str, many: str) -> str:
    """`n` of a thing, as a summary says it: "1 application", "12 applications", "no
    applications"."""
    if n == 0:
        return f"no {many}"
    return f"{n} {one if n == 1 else many}"


def sentence(text: str) -> str:
    """`text` with a capital first letter ("no applications…" opening a sentence)."""
    return text[:1].upper() + text[1:]


def days(value: float) -> str:
    """A number of days as a summary says it: "1 day", "41.5 days"."""
    shown = f"{value:g}" if value == int(value) else f"{value:.1f}"
    return f"{shown} day" if value == 1 else f"{shown} days"
