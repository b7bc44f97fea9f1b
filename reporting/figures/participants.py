"""After certification: reports of variances and violations, notices of violation, removals and
appeals in the period, from the event log; and the corrective actions overdue now."""

from collections import Counter
from collections.abc import Callable
from datetime import date

from django.db.models import Count
from django.db.models.fields.json import KT
from django.utils import timezone

from certification.events import EventVerb
from certification.models import Event
from participants.models import AppealKind, AppealStatus, CorrectiveAction, ReportKind
from participants.selectors import overdue_actions
from reporting.figures.base import Figure
from reporting.figures.common import (
    REVIEWER_NOT_APPLIED,
    count_words,
    in_scope,
    long_date,
    period_words,
    sentence,
)
from reporting.figures.reader import Tallies
from reporting.filters import ReportFilters

V = EventVerb
# How many events of a verb (and a kind and an outcome, if given) the period holds.
Number = Callable[..., int]
VERBS = [
    V.REPORT_FILED,
    V.NOTICE_ISSUED,
    V.FAILURE_RECORDED,
    V.REMOVAL_PROPOSED,
    V.REMOVAL_ISSUED,
    V.REMOVAL_EFFECTIVE,
    V.APPEAL_FILED,
    V.APPEAL_DECIDED,
]


def after_certification(
    *, filters: ReportFilters, today: date | None = None, tallies: Tallies | None = None
) -> list[Figure]:
    """What happened after certification in the period, counted from the events each move
    writes on the certified (or, for a denial's appeal, the denied) application's timeline: reports
    filed by kind, failures to produce with a notice of violation or not eligible for one,
    removals proposed, issued and taken effect, appeals filed and decided by kind and outcome;
    and the corrective actions overdue now (participants.selectors.overdue_actions). The size
    class filter applies (the application's); the reviewer filter does not. Four figures, two
    queries."""
    counted: Counter[tuple[str, str, str]] = Counter()
    for verb, kind, outcome, n in (
        Event.objects.filter(
            verb__in=VERBS, created_at__gte=filters.since, created_at__lt=filters.until
        )
        .filter(in_scope(filters, to_application="application", reviewer=False))
        .annotate(kind=KT("data__kind"), outcome=KT("data__outcome"))
        .values_list("verb", "kind", "outcome")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counted[verb, kind or "", outcome or ""] = n

    def number(verb: str, kind: str = "", outcome: str = "") -> int:
        return sum(
            n
            for (v, k, o), n in counted.items()
            if v == verb and kind in ("", k) and outcome in ("", o)
        )

    period = period_words(filters)
    notes = (REVIEWER_NOT_APPLIED,)
    return [
        _reports_and_notices(number, period, notes),
        _removals(number, period, notes),
        _appeals(number, period, notes),
        _overdue(filters, notes, as_of=today or timezone.localdate()),
    ]


def _reports_and_notices(number: Number, period: str, notes: tuple[str, ...]) -> Figure:
    rows = (
        ("Variance reports filed", number(V.REPORT_FILED, ReportKind.VARIANCE)),
        ("Violation reports filed", number(V.REPORT_FILED, ReportKind.VIOLATION)),
        ("Notices of violation issued", number(V.NOTICE_ISSUED)),
        ("Failures to produce not eligible for a notice", number(V.FAILURE_RECORDED)),
    )
    (_, variances), (_, violations), (_, notices), (_, ineligible) = rows
    if not any(n for _, n in rows):
        summary = f"No reports were filed and no failures to produce were recorded {period}."
    else:
        summary = sentence(
            f"{count_words(variances, 'variance', 'variances')} and "
            f"{count_words(violations, 'violation', 'violations')} were reported {period}; "
            f"CBP issued {count_words(notices, 'notice', 'notices')} of violation in lieu of a "
            f"penalty, and {ineligible} failure{'' if ineligible == 1 else 's'} to produce "
            f"{'was' if ineligible == 1 else 'were'} not eligible for one."
        )
    return Figure(
        key="participant-reports",
        title="Reports of variances and violations, and notices of violation",
        summary=summary,
        columns=("Record", "Number"),
        rows=rows,
        unit="records",
        notes=notes,
    )


def _removals(number: Number, period: str, notes: tuple[str, ...]) -> Figure:
    rows = (
        ("Proposed", number(V.REMOVAL_PROPOSED)),
        ("Issued", number(V.REMOVAL_ISSUED)),
        ("Took effect", number(V.REMOVAL_EFFECTIVE)),
    )
    (_, proposed), (_, issued), (_, effective) = rows
    if proposed == issued == effective == 0:
        summary = f"No removals were proposed, issued or took effect {period}."
    else:
        summary = sentence(
            f"{count_words(proposed, 'removal was', 'removals were')} proposed {period}, "
            f"{issued} issued and {effective} took effect."
        )
    return Figure(
        key="participant-removals",
        title="Removals proposed, issued and taken effect",
        summary=summary,
        columns=("Removal", "Number"),
        rows=rows,
        unit="removals",
        notes=notes,
    )


def _appeals(number: Number, period: str, notes: tuple[str, ...]) -> Figure:
    rows = tuple(
        (
            f"Of a {kind.value}",
            number(V.APPEAL_FILED, kind.value),
            number(V.APPEAL_DECIDED, kind.value, AppealStatus.UPHELD),
            number(V.APPEAL_DECIDED, kind.value, AppealStatus.REVERSED),
        )
        for kind in AppealKind
    )
    filed = sum(row[1] for row in rows)
    upheld = sum(row[2] for row in rows)
    reversed_ = sum(row[3] for row in rows)
    if filed == upheld == reversed_ == 0:
        summary = f"No appeals were filed or decided {period}."
    else:
        summary = sentence(
            f"{count_words(filed, 'appeal was', 'appeals were')} filed {period}; of the appeals "
            f"decided, {upheld} upheld the original decision and {reversed_} reversed it."
        )
    return Figure(
        key="participant-appeals",
        title="Appeals of denials and removals: filed, upheld and reversed",
        summary=summary,
        columns=("Appeal", "Filed", "Upheld", "Reversed"),
        rows=rows,
        unit="appeals",
        notes=(
            "Filed and decided are each counted in the period: an appeal decided in it may have "
            "been filed before.",
            *notes,
        ),
    )


def _overdue(filters: ReportFilters, notes: tuple[str, ...], *, as_of: date) -> Figure:
    counted = dict(
        CorrectiveAction.objects.filter(overdue_actions(as_of))
        .filter(
            in_scope(filters, to_application="report__participant__application", reviewer=False)
        )
        .values_list("report__kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = tuple(
        (f"On {kind.label.lower()} reports", counted.get(kind.value, 0)) for kind in ReportKind
    )
    total = sum(n for _, n in rows)
    summary = (
        f"On {long_date(as_of)}, "
        f"{count_words(total, 'corrective action was', 'corrective actions were')} overdue."
    )
    return Figure(
        key="participant-overdue-actions",
        title="Corrective actions overdue",
        summary=summary,
        columns=("Report", "Overdue corrective actions"),
        rows=rows,
        unit="corrective actions",
        notes=(f"As of {long_date(as_of)}: the period does not apply.", *notes),
    )
