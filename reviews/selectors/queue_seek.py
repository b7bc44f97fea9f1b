"""Where a deep page of the queue starts: past the last row of the page before (keyset, or seek,
pagination), rather than after counting off every row ahead of it as OFFSET does. The cost of a
page no longer grows with its depth: the database starts reading where the page starts, through
an index on the sort's key (certification 0022) for the age and volume orders, and within a band
of submission times, one per size class, for priority order (`Seek.priority_band`)."""

import operator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import reduce
from typing import Any

from django.db.models import Q

from certification.models import WorkloadSettings
from recordkeepers.models import SizeClass
from reviews import priority
from reviews.selectors.queue_priority import waited_for

# Each sort's key, as (annotation or field, descending), in the order `queue.SORTS` sorts by;
# the primary key last, so that no two rows tie.
SORT_KEYS: dict[str, list[tuple[str, bool]]] = {
    "priority": [("priority", True), ("submitted_at", False), ("pk", False)],
    "age": [("submitted_at", False), ("pk", False)],
    "volume": [("volume", True), ("submitted_at", False), ("pk", False)],
}

# Keeps a band a little wider than the arithmetic says, so that rounding in the database can
# never leave out a row that belongs on the page.
BAND_MARGIN = 0.01


@dataclass(frozen=True)
class Seek:
    """Where a deep page starts: after (or, `backwards`, before) the row whose sort key is `key`,
    one value per `SORT_KEYS` entry. None as `key`: backwards from the end (the last page)."""

    key: tuple[Any, ...] | None
    backwards: bool = False

    def condition(self, sort: str, *, now: datetime, workload: WorkloadSettings) -> Q:
        """The rows past `key` in the sort's order: lexicographic over the key, with its first
        column also as a plain bound, so that an index on the key starts reading there."""
        if self.key is None:
            return Q()
        names = SORT_KEYS[sort]
        steps = []
        for i, (name, descending) in enumerate(names):
            later = "lt" if descending != self.backwards else "gt"
            step = Q(**{f"{name}__{later}": self.key[i]})
            for j in range(i):
                step &= Q(**{names[j][0]: self.key[j]})
            steps.append(step)
        first, descending = names[0]
        bound = "lte" if descending != self.backwards else "gte"
        condition = Q(**{f"{first}__{bound}": self.key[0]}) & reduce(operator.or_, steps)
        if sort == "priority":
            condition &= self.priority_band(self.key[0], now=now, workload=workload)
        return condition

    def priority_band(self, points: float, *, now: datetime, workload: WorkloadSettings) -> Q:
        """A condition on submission times that every row past a priority of `points` meets.

        A priority cannot be looked up in an index (it depends on `now`), but within a size
        class it is the waiting points, which rise with waiting, plus a bonus between the
        class's volume points and its largest bonus (reviews/priority.py). So a row after
        `points` (a lower priority) waited at most as long as earns `points` less the smallest
        bonus, and a row before it (backwards) at least as long as earns `points` less the
        largest: in each class, everything submitted after (or before) a certain time, which
        the index on (size class, submission time) finds without reading the rows ahead.
        """
        most_risk = priority.RISK_POINTS_PER_FLAG * priority.RISK_FLAGS_COUNTED
        band = Q(size_class="")  # none in the queue (submission sets it): never left out
        for size in SizeClass.values:
            volume = priority.VOLUME_POINTS[size]
            if self.backwards:
                waiting = points - volume - most_risk - priority.ANSWERED_POINTS - BAND_MARGIN
                if waiting <= 0:  # any row of this class may score that much
                    band |= Q(size_class=size)
                    continue
            else:
                waiting = points - volume + BAND_MARGIN
            waited = timedelta(days=waited_for(waiting) * workload.target_days(size))
            edge = "submitted_at__lte" if self.backwards else "submitted_at__gte"
            band |= Q(size_class=size, **{edge: now - waited})
        return band
