"""The dashboard's figures kept in the cache until what they read moves on: the program's history
(every event written moves `HISTORY_VERSION` on, and every move of an application, report, notice,
removal or appeal writes one), the reviewers and the workload settings. A supervisor opening the
dashboard again, or a colleague opening it after them, reads the figures already worked out; the
first view after anything happened works them out afresh (a few hundred rows of tallies and the
log since, reporting.figures.reader).

The versions move on at once and again when the writer's transaction commits
(common.cache_versions), so figures worked out from before a commit are never kept as after it.
A write that no event records is in the figures within `FIGURES_SECONDS` at most, as the
workload panel's counts are (reviews.workload).
"""

from datetime import date

from django.core.cache import cache
from django.utils import timezone

from certification.models import HISTORY_VERSION
from common import cache_versions
from reporting.figures import dashboard_figures
from reporting.figures.base import Figure
from reporting.filters import ReportFilters
from reviews.selectors.queue import PEOPLE, WORKLOAD

READS = (HISTORY_VERSION, PEOPLE, WORKLOAD)
FIGURES_KEY = "reporting:figures:v1:{filters}:{today}:{versions}"
FIGURES_SECONDS = 300


def figures_key(filters: ReportFilters, today: date, versions: tuple[int, ...]) -> str:
    narrowed = f"{filters.start}:{filters.end}:{filters.size_class}:{filters.reviewer_id}"
    return FIGURES_KEY.format(
        filters=narrowed, today=today, versions=":".join(str(v) for v in versions)
    )


def kept_dashboard_figures(*, filters: ReportFilters, today: date | None = None) -> list[Figure]:
    """`dashboard_figures(filters, today)`, from the cache when nothing they read has moved since
    they were worked out. Two trips to the cache (the versions, then the figures) and no query
    when kept; `dashboard_figures`' constant number otherwise."""
    today = today or timezone.localdate()
    key = figures_key(filters, today, cache_versions.currents(READS))
    figures = cache.get(key)
    if figures is None:
        figures = dashboard_figures(filters=filters, today=today)
        cache.set(key, figures, timeout=FIGURES_SECONDS)
    return figures
