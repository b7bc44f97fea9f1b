"""Reviewers' load: each reviewer's open applications against the capacity CBP set, as the staff
dashboard's workload panel counts them (reviews.workload)."""

from datetime import date

from recordkeepers.models import SizeClass
from reporting.figures.base import Figure
from reporting.figures.common import count_words, sentence, size_label
from reporting.figures.reader import Tallies
from reporting.filters import ReportFilters
from reviews.selectors import workload_settings
from reviews.workload import ReviewerLoad, open_work, reviewers_with_open_count


def reviewer_load(
    *, filters: ReportFilters, today: date | None = None, tallies: Tallies | None = None
) -> Figure:
    """Each active reviewer's open applications (assigned and waiting for CBP) against
    `WorkloadSettings.reviewer_capacity`, drawn as the reference line. With a size class chosen,
    only that size class's applications are counted; with a reviewer chosen, only that reviewer
    is listed. The load is as it stands: the period does not apply. Two small queries once the
    workload panel's counts are cached (reviews.workload.open_work)."""
    work = open_work()
    capacity = workload_settings().reviewer_capacity
    sizes = [filters.size_class] if filters.size_class else list(SizeClass.values)
    reviewers = [
        reviewer
        for reviewer in reviewers_with_open_count(work)
        if filters.reviewer_id in (None, reviewer.pk)
    ]
    # Over capacity is judged on everything a reviewer holds, whichever size class is shown.
    loads = [
        ReviewerLoad(
            reviewer=reviewer,
            open_count=sum(work.open[reviewer.pk, size] for size in SizeClass.values),
            capacity=capacity,
        )
        for reviewer in reviewers
    ]
    shown = [sum(work.open[reviewer.pk, size] for size in sizes) for reviewer in reviewers]
    waiting = sum(work.waiting[size] for size in sizes)
    which = f"{size_label(filters.size_class).lower()} " if filters.size_class else ""
    held = sum(shown)
    over = [str(load.reviewer) for load in loads if load.over_capacity]
    if not loads:
        summary = "No reviewers are listed."
    else:
        summary = (
            f"{sentence(count_words(len(loads), 'reviewer holds', 'reviewers hold'))} "
            f"{count_words(held, f'open {which}application', f'open {which}applications')}, "
            f"against a capacity of {capacity} each; "
            + (
                f"{count_words(len(over), 'is', 'are')} over capacity ({', '.join(over)})."
                if over
                else "none is over capacity."
            )
        )
    summary += (
        f" {sentence(count_words(waiting, f'{which}application waits', f'{which}applications wait'))}"
        " for a reviewer."
    )
    notes = ["As it stands now: the period does not apply."]
    if filters.size_class:
        notes.append(
            "The capacity, and who is over it, count all of a reviewer's open applications; the "
            "bars count only the chosen size class's."
        )
    return Figure(
        key="reviewer-load",
        title="Reviewers' open applications against their capacity",
        summary=summary,
        columns=("Reviewer", "Open applications"),
        rows=tuple((str(reviewer), n) for reviewer, n in zip(reviewers, shown, strict=True)),
        reference=("Capacity", capacity),
        notes=tuple(notes),
    )
