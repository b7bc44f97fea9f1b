"""Outcomes: the decisions of the period, certified or denied, by size class and by route."""

from datetime import date

from certification.models import Application, Decision
from reporting.figures.base import Figure
from reporting.figures.common import (
    DECIDED_REVIEWER_NOTE,
    count_words,
    period_words,
    sentence,
    size_classes,
    size_label,
)
from reporting.figures.reader import Tallies
from reporting.filters import ReportFilters

CERTIFIED, DENIED = Decision.Outcome.CERTIFIED.value, Decision.Outcome.DENIED.value


def outcomes(
    *, filters: ReportFilters, today: date | None = None, tallies: Tallies | None = None
) -> list[Figure]:
    """The decisions signed off in the period, certified or denied, by size class and by route
    (general requirements or a negotiated alternative program). Two figures, from the decisions
    by day (the tallies and the decisions since, reporting.figures.tallies)."""
    counted = (tallies or Tallies()).decisions(filters).outcomes

    def total(outcome: str, *, size: str = "", route: str = "") -> int:
        return sum(
            n
            for (s, r, o), n in counted.items()
            if o == outcome and size in ("", s) and route in ("", r)
        )

    certified, denied = total(CERTIFIED), total(DENIED)
    if certified + denied == 0:
        summary = f"No applications were decided {period_words(filters)}."
    else:
        summary = (
            f"{sentence(count_words(certified + denied, 'application was', 'applications were'))} "
            f"decided {period_words(filters)}: {certified} certified and {denied} denied."
        )
    notes = (
        "Outcomes as signed off; a denial later reversed on appeal stays a denial here and is "
        "counted with the appeals.",
        *((DECIDED_REVIEWER_NOTE,) if filters.reviewer_id is not None else ()),
    )
    by_size = tuple(
        (size_label(s), total(CERTIFIED, size=s), total(DENIED, size=s))
        for s in size_classes(filters)
    )
    by_route = tuple(
        (route.label, total(CERTIFIED, route=route.value), total(DENIED, route=route.value))
        for route in Application.Route
    )
    return [
        Figure(
            key="outcomes-by-size-class",
            title="Decisions by size class: certified and denied",
            summary=summary,
            columns=("Size class", "Certified", "Denied"),
            rows=by_size,
            notes=notes,
        ),
        Figure(
            key="outcomes-by-route",
            title="Decisions by route: certified and denied",
            summary=_route_summary(filters, by_route) if certified + denied else summary,
            columns=("Route", "Certified", "Denied"),
            rows=by_route,
            notes=notes,
        ),
    ]


def _route_summary(filters: ReportFilters, by_route: tuple[tuple[str, int, int], ...]) -> str:
    (_, general_certified, general_denied), (_, other_certified, other_denied) = by_route
    return (
        f"{sentence(period_words(filters))}, CBP certified {general_certified} and denied "
        f"{general_denied} under the general recordkeeping requirements, and certified "
        f"{other_certified} and denied {other_denied} under a negotiated alternative program."
    )
