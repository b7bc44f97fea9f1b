"""What a supervisor narrows the program's figures and exports to: a period, a size class and a
reviewer. One value shared by the dashboard's figures and the exports, so that a chart, its table and
its export always count the same rows. An export of the queue asked from the queue page also keeps
the page's own filters (`queue`), so that its file holds the rows the page listed."""

import re
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from recordkeepers.importer_numbers import search_digest
from recordkeepers.validators import is_ssn_form, normalise_importer_number
from reviews.forms import QueueFilterForm
from reviews.selectors import QueueFilters, reviewer_choices

# Nine digits shaped like a Social Security number (123-45-6789, 123 45 6789, 123456789) inside a
# search that is not a whole importer number.
SSN_SHAPED = re.compile(r"(?<!\d)\d{3}[- ]?\d{2}[- ]?\d{4}(?!\d)")
# How the export's page names a search kept only as its digest.
SEALED_SEARCH_WORDS = "an importer number in Social Security number form (kept only as a digest)"


def ssn_search_digest(search: str) -> str | None:
    """The keyed digest the queue's search looks for when `search` is a whole importer number in
    Social Security number form, however typed (`reviews.selectors.queue_search`), or None."""
    try:
        number = normalise_importer_number(search.strip())
    except ValidationError:
        return None
    return search_digest(number) if is_ssn_form(number) else None


def search_may_hold_ssn(search: str) -> bool:
    """Whether `search` holds nine digits that may be a Social Security number without being a
    whole importer number ("123456789", which the queue searches as text, since nine digits may
    also be an IRS number without its suffix): an export could keep it only in clear. A whole
    importer number is kept: a Social Security number's as its digest, a business's as typed."""
    try:
        normalise_importer_number(search.strip())
    except ValidationError:
        return SSN_SHAPED.search(search) is not None
    return False


@dataclass(frozen=True)
class ReportFilters:
    """`start` and `end` are calendar days in the service's time zone, both included. An empty
    `size_class` or a None `reviewer_id` means all. `queue` is the queue page's filters, for an
    export asked from that page (reporting.queue_export), else None; `queue_search_sealed` says
    that its search is the digest of a Social Security number, not what was typed."""

    start: date
    end: date
    size_class: str = ""
    reviewer_id: int | None = None
    queue: QueueFilters | None = None
    queue_search_sealed: bool = False

    @property
    def since(self) -> datetime:
        """The first instant of the period (aware)."""
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def until(self) -> datetime:
        """The first instant after the period (aware): events are counted while `< until`."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    def weeks(self) -> list[date]:
        """The Mondays of the weeks the period touches, in order: the figures' weekly buckets."""
        first = self.start - timedelta(days=self.start.weekday())
        return [first + timedelta(weeks=n) for n in range((self.end - first).days // 7 + 1)]

    def as_json(self) -> dict:
        """What an export job keeps of the filters (reporting.models.ExportJob.filters). A queue
        search for a Social Security number is kept as its keyed digest, never as typed: the
        queue's search finds the same rows by the digest as by the number, since the search text
        holds only the digest (certification.models.applications.search_text)."""
        data: dict = {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "size_class": self.size_class,
            "reviewer_id": self.reviewer_id,
        }
        if self.queue is not None:
            queue = asdict(self.queue)
            if (digest := ssn_search_digest(self.queue.search)) is not None:
                queue["search"] = digest
            if digest is not None or self.queue_search_sealed:
                queue["search_sealed"] = True
            data["queue"] = queue
        return data

    @classmethod
    def from_json(cls, data: dict) -> "ReportFilters":
        queue = data.get("queue")
        return cls(
            start=date.fromisoformat(data["start"]),
            end=date.fromisoformat(data["end"]),
            size_class=data.get("size_class") or "",
            reviewer_id=data.get("reviewer_id"),
            queue=(
                QueueFilters(
                    **{f.name: queue[f.name] for f in fields(QueueFilters) if f.name in queue}
                )
                if queue is not None
                else None
            ),
            queue_search_sealed=bool(queue and queue.get("search_sealed")),
        )

    def queue_words(self) -> list[str]:
        """The queue page's filters as its filter form names them ("Status: In review"), the sort
        apart (`queue_sort_words`); [] for an export asked from the dashboard or with none."""
        if self.queue is None:
            return []
        form = QueueFilterForm(reviewers=reviewer_choices())
        words = []
        for name, value in asdict(self.queue).items():
            if name == "sort" or value in (None, ""):
                continue
            field = form.fields[name]
            if name == "search":
                sealed = self.queue_search_sealed or ssn_search_digest(value) is not None
                shown = SEALED_SEARCH_WORDS if sealed else f"“{value}”"
            else:
                # A reviewer no longer offered (they stopped reviewing) is named by their id.
                shown = dict(getattr(field, "choices", ())).get(str(value), str(value))
            words.append(f"{field.label}: {shown}")
        return words

    def asked_again_url(self) -> str:
        """Where the person asks for this export again: the queue page with its filters (a
        Social Security number searched comes back without it: only its digest was kept), or
        the reports page's exports."""
        if self.queue is None:
            return f"{reverse('reporting:dashboard')}#exports-heading"
        asked = {
            name: value
            for name, value in asdict(self.queue).items()
            if value not in (None, "") and not (name == "search" and self.queue_search_sealed)
        }
        return f"{reverse('reviews:queue')}?{urlencode(asked)}#queue-export"

    def queue_sort_words(self) -> str:
        """The queue page's order as its filter form names it ("Priority"), or ""."""
        if self.queue is None:
            return ""
        choices = dict(getattr(QueueFilterForm.base_fields["sort"], "choices", ()))
        return choices.get(self.queue.sort, self.queue.sort)
