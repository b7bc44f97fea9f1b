"""What a supervisor narrows the program's figures and exports to: a period, a size class and a
reviewer. One value shared by the dashboard's figures and the exports, so that a chart, its table and
its export always count the same rows."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone


@dataclass(frozen=True)
class ReportFilters:
    """`start` and `end` are calendar days in the service's time zone, both included. An empty
    `size_class` or a None `reviewer_id` means all."""

    start: date
    end: date
    size_class: str = ""
    reviewer_id: int | None = None

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
        """What an export job keeps of the filters (reporting.models.ExportJob.filters)."""
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "size_class": self.size_class,
            "reviewer_id": self.reviewer_id,
        }

    @classmethod
    def from_json(cls, data: dict) -> "ReportFilters":
        return cls(
            start=date.fromisoformat(data["start"]),
            end=date.fromisoformat(data["end"]),
            size_class=data.get("size_class") or "",
            reviewer_id=data.get("reviewer_id"),
        )
