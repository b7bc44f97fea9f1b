"""Exports of applications: the review queue and the decisions. Both read through `reviews`' own
access rule (`reviews.access`, which the queue, the record pages and every download share): a
reviewer gets what is theirs or claimable, never past a conflict; supervisors every submitted
application; admins every one."""

from dataclasses import replace
from datetime import date, datetime

from django.db.models import (
    Case,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from certification.models import Application, ApplicationStatus, Decision, WorkloadSettings
from recordkeepers.models import SizeClass, User
from recordkeepers.rules import is_cbp_admin, is_reviewer, is_supervisor
from reporting.exports.datasets.base import (
    Column,
    Dataset,
    labels,
    local_date,
    person_name,
    same,
    whole_days,
)
from reporting.exports.policy import CellKind
from reporting.filters import ReportFilters
from reviews.access import applications_visible_to_staff
from reviews.selectors import QueueFilters, queue, queue_visible_to, workload_settings

TEXT, NUMBER, DATE = CellKind.TEXT, CellKind.NUMBER, CellKind.DATE

# Who opens the queue and CBP's record of an application (reviews.views.access.staff_only), and
# admins, who see every application (reviews.access) and read the dashboards.
APPLICATION_READERS = is_reviewer | is_supervisor | is_cbp_admin


def _target_days(workload: WorkloadSettings) -> Case:
    """The size class's target days as the queue's priority reads them (no size class: medium)."""
    return Case(
        *(
            When(size_class=size, then=Value(workload.target_days(size)))
            for size in SizeClass.values
        ),
        default=Value(workload.target_days(SizeClass.MEDIUM)),
        output_field=IntegerField(),
    )


def _since(moment: datetime, field: str) -> ExpressionWrapper:
    return ExpressionWrapper(
        Value(moment, output_field=DateTimeField()) - F(field), output_field=DurationField()
    )


def queue_rows(
    *, user: User, filters: ReportFilters, queue_filters: QueueFilters | None = None
) -> QuerySet:
    """The queue as `user` sees it (`reviews.selectors.queue`: the same rows, in priority order),
    submitted in the period, of the size class and assigned to the reviewer asked for. The queue
    page's own filters (`queue_filters`) narrow it further, so its export can match the page."""
    asked = queue_filters or QueueFilters()
    if filters.size_class:
        asked = replace(asked, size_class=filters.size_class)
    if filters.reviewer_id is not None:
        asked = replace(asked, assigned=str(filters.reviewer_id))
    now = timezone.now()
    workload = workload_settings()
    rows = queue(user=user, filters=asked, now=now, workload=workload)
    return rows.filter(submitted_at__gte=filters.since, submitted_at__lt=filters.until).annotate(
        reviewer_name=person_name("assigned_reviewer"),
        target_days=_target_days(workload),
        waiting=_since(now, "submitted_at"),
    )


def queue_period(*, user: User, today: date) -> ReportFilters:
    """The period of an export of the queue asked from the queue page, which has no period of its
    own: from the day the longest-waiting application `user` may see was submitted (today when
    none waits) to today, so that every application waiting when it is asked for is in it
    (`queue_rows` keeps those submitted in the period)."""
    oldest = queue_visible_to(user=user).aggregate(oldest=Min("submitted_at"))["oldest"]
    start = min(timezone.localdate(oldest), today) if oldest is not None else today
    return ReportFilters(start=start, end=today)


def _two_places(value: float | None) -> float | None:
    return round(value, 2) if value is not None else None


_SIZE = labels(SizeClass)
_ROUTE = labels(Application.Route)
_STATUS = labels(ApplicationStatus)

QUEUE = Dataset(
    key="queue",
    title="Review queue",
    description="Applications waiting for CBP that you may see, in the queue's priority order. "
    "Period: the day submitted. Reviewer: the one it is assigned to.",
    audience=APPLICATION_READERS,
    query=queue_rows,
    columns=(
        Column("application.reference", "Reference", TEXT, "reference"),
        Column("organisation.legal_name", "Legal name", TEXT, "organisation__legal_name"),
        Column("application.size_class", "Size class", TEXT, "size_class", _SIZE),
        Column("application.route", "Route", TEXT, "route", _ROUTE),
        Column("application.status", "Status", TEXT, "status", _STATUS),
        Column("application.submitted_on", "Submitted", DATE, "submitted_at", local_date),
        Column("application.days_waiting", "Days waiting", NUMBER, "waiting", whole_days),
        Column("application.target_days", "Target days", NUMBER, "target_days"),
        Column("application.reviewer", "Reviewer", TEXT, "reviewer_name"),
        Column("application.entries_per_year", "Entries per year", NUMBER, "entries_per_year"),
        Column("application.risk_flag_count", "Risk flags", NUMBER, "risk_flags_declared"),
        Column("application.answers_unread", "Answers to read", TEXT, "answers_arrived"),
        Column(
            "application.information_overdue",
            "Information overdue",
            TEXT,
            "information_overdue",
        ),
        Column("application.priority", "Priority", NUMBER, "priority", _two_places),
        Column("application.proposed_terms", "Proposed terms", TEXT, "proposed_terms"),
        Column("application.search_text", "Search text", TEXT, "search_text"),
    ),
)


def decided_rows(*, user: User, filters: ReportFilters) -> QuerySet:
    """The applications `user` may see (`reviews.access`, as CBP's record of an application)
    decided in the period, of the size class, recommended by the reviewer asked for; in the
    order they were decided."""
    rows = applications_visible_to_staff(user=user).filter(
        decision__decided_at__gte=filters.since, decision__decided_at__lt=filters.until
    )
    if filters.size_class:
        rows = rows.filter(size_class=filters.size_class)
    if filters.reviewer_id is not None:
        rows = rows.filter(decision__recommended_by_id=filters.reviewer_id)
    return rows.annotate(
        recommender_name=person_name("decision__recommended_by"),
        decider_name=person_name("decision__decided_by"),
        to_decision=ExpressionWrapper(
            F("decision__decided_at") - F("submitted_at"), output_field=DurationField()
        ),
    ).order_by("decision__decided_at", "pk")


def _grounds(reasons: list | None) -> list[str]:
    """The paragraphs of the regulation a denial rests on; their text stays with the letter."""
    return [reason["ground"] for reason in reasons or [] if reason.get("ground")]


DECISIONS = Dataset(
    key="decisions",
    title="Decisions",
    description="Applications CBP decided that you may see, with the outcome, in the order "
    "decided. Period: the day decided. Reviewer: the one who recommended it.",
    audience=APPLICATION_READERS,
    query=decided_rows,
    columns=(
        Column("application.reference", "Reference", TEXT, "reference"),
        Column("application.legal_name", "Legal name", TEXT, "profile_snapshot__legal_name"),
        Column(
            "profile.importer_numbers",
            "Importer numbers",
            TEXT,
            "profile_snapshot__importer_numbers",
        ),
        Column("application.size_class", "Size class", TEXT, "size_class", _SIZE),
        Column("application.route", "Route", TEXT, "route", _ROUTE),
        Column("decision.outcome", "Outcome", TEXT, "decision__outcome", labels(Decision.Outcome)),
        Column("application.status", "Status now", TEXT, "status", _STATUS),
        Column("application.submitted_on", "Submitted", DATE, "submitted_at", local_date),
        Column("decision.decided_on", "Decided", DATE, "decision__decided_at", local_date),
        Column(
            "application.days_to_decision", "Days to decision", NUMBER, "to_decision", whole_days
        ),
        Column("decision.effective_date", "Effective", DATE, "decision__effective_date", same),
        Column("decision.appeal_deadline", "Appeal by", DATE, "decision__appeal_deadline"),
        Column("decision.grounds", "Grounds", TEXT, "decision__reasons", _grounds),
        Column("decision.recommended_by", "Recommended by", TEXT, "recommender_name"),
        Column("decision.decided_by", "Decided by", TEXT, "decider_name"),
        Column("decision.reasons_text", "Reasons", TEXT, "decision__reasons"),
        Column("decision.terms", "Terms", TEXT, "decision__terms"),
        Column(
            "profile.sealed_importer_numbers",
            "Sealed importer numbers",
            TEXT,
            "profile_snapshot__sealed_importer_numbers",
        ),
    ),
)
