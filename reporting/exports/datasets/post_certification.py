"""Exports of what follows certification: participants' variance and violation reports, the
corrective actions CBP asked for, failures to produce and notices of violation, removals and
appeals. Each lists the records of the participants the reader may see (`participants.access`,
as their pages do: a reviewer never one they are linked to), and appeals to those who see appeals
(`participants.selectors`: supervisors, admins and appeals officials)."""

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from participants.models import (
    Appeal,
    AppealKind,
    AppealStatus,
    ComplianceReport,
    CorrectiveAction,
    ImmediateBasis,
    NoticeOfViolation,
    NoticeStatus,
    Removal,
    RemovalGround,
    RemovalStatus,
    ReportKind,
    ReportStatus,
)
from recordkeepers.models import User
from recordkeepers.rules import is_appeals_official, is_cbp_admin, is_supervisor
from reporting.exports.datasets.base import Column, Dataset, labels, local_date, person_name
from reporting.exports.datasets.register import PARTICIPANT_READERS, visible_participants
from reporting.exports.policy import CellKind
from reporting.filters import ReportFilters

TEXT, NUMBER, DATE = CellKind.TEXT, CellKind.NUMBER, CellKind.DATE

# Who sees appeals (participants.selectors.appeal_get_for_user, appeals_for_staff).
APPEAL_READERS = is_supervisor | is_cbp_admin | is_appeals_official


def _overdue(prefix: str = "") -> Q:
    """Not answered by its due day (`participants.selectors.overdue_actions`), from `prefix`."""
    return Q(**{f"{prefix}responded_at": None, f"{prefix}due__lt": timezone.localdate()})


def report_rows(*, user: User, filters: ReportFilters) -> QuerySet:
    """Reports filed in the period by participants `user` may see, of the size class; with the
    reviewer asked for, those on which they asked for a corrective action."""
    rows = ComplianceReport.objects.filter(
        participant__in=visible_participants(user=user, filters=filters),
        filed_at__gte=filters.since,
        filed_at__lt=filters.until,
    )
    if filters.reviewer_id is not None:
        asked = CorrectiveAction.objects.filter(
            report=OuterRef("pk"), requested_by_id=filters.reviewer_id
        )
        rows = rows.filter(Exists(asked))
    open_action = Q(corrective_actions__responded_at=None)
    return rows.annotate(
        actions_requested=Count("corrective_actions"),
        actions_open=Count("corrective_actions", filter=open_action),
        actions_overdue=Count("corrective_actions", filter=_overdue("corrective_actions__")),
        next_due=Min("corrective_actions__due", filter=open_action),
    ).order_by("filed_at", "pk")


# The participant and its certification, from a record that points at the participant.
def _whose(prefix: str) -> tuple[Column, Column]:
    return (
        Column("participant.legal_name", "Legal name", TEXT, f"{prefix}legal_name"),
        Column("application.reference", "Reference", TEXT, f"{prefix}application__reference"),
    )


REPORTS = Dataset(
    key="reports",
    title="Variance and violation reports",
    description="Participants' reports you may see, with their corrective actions counted. "
    "Period: the day filed. Reviewer: one who asked for a corrective action on it.",
    audience=PARTICIPANT_READERS,
    query=report_rows,
    columns=(
        Column("report.number", "Report", NUMBER, "pk"),
        *_whose("participant__"),
        Column("report.kind", "Kind", TEXT, "kind", labels(ReportKind)),
        Column("report.status", "Status", TEXT, "status", labels(ReportStatus)),
        Column("report.found_on", "Found", DATE, "found_on"),
        Column("report.filed_on", "Filed", DATE, "filed_at", local_date),
        Column("report.entry_numbers", "Entry numbers", TEXT, "entry_numbers"),
        Column("report.actions_requested", "Corrective actions", NUMBER, "actions_requested"),
        Column("report.actions_open", "Actions open", NUMBER, "actions_open"),
        Column("report.actions_overdue", "Actions overdue", NUMBER, "actions_overdue"),
        Column("report.next_due", "Next action due", DATE, "next_due"),
        Column("report.what_happened", "What happened", TEXT, "what_happened"),
        Column("report.records_concerned", "Records concerned", TEXT, "records_concerned"),
        Column("report.action_taken", "Action taken", TEXT, "action_taken"),
        Column("report.closing_note", "Closing note", TEXT, "closing_note"),
        Column("report.filed_by", "Filed by", TEXT, "filed_by__email"),
    ),
)


def action_rows(*, user: User, filters: ReportFilters) -> QuerySet:
    """Corrective actions asked for in the period, on reports of participants `user` may see, of
    the size class, asked for by the reviewer asked for."""
    rows = CorrectiveAction.objects.filter(
        report__participant__in=visible_participants(user=user, filters=filters),
        requested_at__gte=filters.since,
        requested_at__lt=filters.until,
    )
    if filters.reviewer_id is not None:
        rows = rows.filter(requested_by_id=filters.reviewer_id)
    return rows.annotate(
        requester_name=person_name("requested_by"),
        overdue=Case(
            When(_overdue(), then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
    ).order_by("requested_at", "pk")


CORRECTIVE_ACTIONS = Dataset(
    key="corrective_actions",
    title="Corrective actions",
    description="Corrective actions CBP asked for on reports you may see, and whether they are "
    "overdue today. Period: the day asked for. Reviewer: the one who asked.",
    audience=PARTICIPANT_READERS,
    query=action_rows,
    columns=(
        Column("report.number", "Report", NUMBER, "report_id"),
        *_whose("report__participant__"),
        Column("report.kind", "Kind", TEXT, "report__kind", labels(ReportKind)),
        Column("corrective_action.requested_on", "Asked for", DATE, "requested_at", local_date),
        Column("corrective_action.requested_by", "Asked for by", TEXT, "requester_name"),
        Column("corrective_action.due", "Due", DATE, "due"),
        Column("corrective_action.responded_on", "Answered", DATE, "responded_at", local_date),
        Column("corrective_action.overdue", "Overdue", TEXT, "overdue"),
        Column("corrective_action.request", "Request", TEXT, "request"),
        Column("corrective_action.response", "Response", TEXT, "response"),
    ),
)


def notice_rows(*, user: User, filters: ReportFilters) -> QuerySet:
    """Failures to produce recorded in the period, for participants `user` may see (found
    eligible or not: staff see both), of the size class, recorded by the reviewer asked for."""
    rows = NoticeOfViolation.objects.filter(
        participant__in=visible_participants(user=user, filters=filters),
        recorded_at__gte=filters.since,
        recorded_at__lt=filters.until,
    )
    if filters.reviewer_id is not None:
        rows = rows.filter(recorded_by_id=filters.reviewer_id)
    return rows.annotate(recorder_name=person_name("recorded_by")).order_by("recorded_at", "pk")


NOTICES = Dataset(
    key="notices",
    title="Failures to produce and notices of violation",
    description="Failures to produce records CBP recorded for participants you may see, and the "
    "notices issued. Period: the day recorded. Reviewer: the one who recorded it.",
    audience=PARTICIPANT_READERS,
    query=notice_rows,
    columns=(
        Column("notice.number", "Number", NUMBER, "pk"),
        *_whose("participant__"),
        Column("notice.entry_number", "Entry number", TEXT, "entry_number"),
        Column("notice.demanded_on", "Demanded", DATE, "demanded_on"),
        Column("notice.willful", "Willful", TEXT, "willful"),
        Column("notice.eligible", "Eligible for a notice", TEXT, "eligible"),
        Column("notice.status", "Status", TEXT, "status", labels(NoticeStatus)),
        Column("notice.issued_on", "Issued", DATE, "issued_on"),
        Column("notice.response_due", "Answer due", DATE, "response_due"),
        Column("notice.answered_on", "Answered", DATE, "responded_at", local_date),
        Column("notice.recorded_by", "Recorded by", TEXT, "recorder_name"),
        Column("notice.record_demanded", "Record demanded", TEXT, "record_demanded"),
        Column("notice.eligibility_reasons", "Eligibility", TEXT, "eligibility"),
        Column("notice.response", "Answer", TEXT, "response"),
    ),
)


def removal_rows(*, user: User, filters: ReportFilters) -> QuerySet:
    """Removals proposed in the period, of participants `user` may see, of the size class,
    proposed by the reviewer asked for."""
    rows = Removal.objects.filter(
        participant__in=visible_participants(user=user, filters=filters),
        proposed_at__gte=filters.since,
        proposed_at__lt=filters.until,
    )
    if filters.reviewer_id is not None:
        rows = rows.filter(proposed_by_id=filters.reviewer_id)
    return rows.annotate(
        proposer_name=person_name("proposed_by"), decider_name=person_name("decided_by")
    ).order_by("proposed_at", "pk")


REMOVALS = Dataset(
    key="removals",
    title="Removals",
    description="Removals proposed for participants you may see, and what became of them. "
    "Period: the day proposed. Reviewer: the one who proposed it.",
    audience=PARTICIPANT_READERS,
    query=removal_rows,
    columns=(
        Column("removal.number", "Number", NUMBER, "pk"),
        *_whose("participant__"),
        Column("removal.grounds", "Grounds", TEXT, "grounds", labels(RemovalGround)),
        Column("removal.immediate", "Takes effect", TEXT, "immediate", labels(ImmediateBasis)),
        Column("removal.status", "Status", TEXT, "status", labels(RemovalStatus)),
        Column("removal.proposed_on", "Proposed", DATE, "proposed_at", local_date),
        Column("removal.proposed_by", "Proposed by", TEXT, "proposer_name"),
        Column("removal.decided_on", "Decided", DATE, "decided_on"),
        Column("removal.decided_by", "Decided by", TEXT, "decider_name"),
        Column("removal.appeal_deadline", "Appeal by", DATE, "appeal_deadline"),
        Column("removal.effective_on", "Effective", DATE, "effective_on"),
        Column("removal.reasons", "Reasons", TEXT, "reasons"),
        Column("removal.decline_reason", "Why declined", TEXT, "decline_reason"),
    ),
)


def appeal_rows(*, user: User, filters: ReportFilters) -> QuerySet:
    """Appeals received in the period, of applications of the size class; with a reviewer, the
    appeals of their work: a denial they recommended, a removal they proposed."""
    rows = Appeal.objects.filter(received_on__gte=filters.start, received_on__lte=filters.end)
    if filters.size_class:
        rows = rows.filter(application__size_class=filters.size_class)
    if filters.reviewer_id is not None:
        rows = rows.filter(
            Q(kind=AppealKind.DENIAL, application__decision__recommended_by_id=filters.reviewer_id)
            | Q(kind=AppealKind.REMOVAL, removal__proposed_by_id=filters.reviewer_id)
        )
    return rows.annotate(
        decider_name=person_name("decided_by"),
        original_name=person_name("original_decider"),
    ).order_by("received_on", "pk")


APPEALS = Dataset(
    key="appeals",
    title="Appeals",
    description="Appeals of denials and removals, and their outcomes. Period: the day "
    "received. Reviewer: the one who recommended the denial or proposed the removal.",
    audience=APPEAL_READERS,
    query=appeal_rows,
    columns=(
        Column("appeal.number", "Number", NUMBER, "pk"),
        Column("application.reference", "Reference", TEXT, "application__reference"),
        Column(
            "application.legal_name",
            "Legal name",
            TEXT,
            "application__profile_snapshot__legal_name",
        ),
        Column("appeal.kind", "Kind", TEXT, "kind", labels(AppealKind)),
        Column("appeal.status", "Status", TEXT, "status", labels(AppealStatus)),
        Column("appeal.received_on", "Received", DATE, "received_on"),
        Column("appeal.decision_due", "Decision due", DATE, "decision_due"),
        Column("appeal.expected_decision_on", "Decision expected", DATE, "expected_decision_date"),
        Column("appeal.decided_on", "Decided", DATE, "decided_on"),
        Column("appeal.decided_by", "Decided by", TEXT, "decider_name"),
        Column("appeal.original_decider", "Original decision by", TEXT, "original_name"),
        Column("appeal.statement", "Statement", TEXT, "statement"),
        Column("appeal.reasons", "Reasons", TEXT, "reasons"),
        Column("appeal.delay_reasons", "Why delayed", TEXT, "delay_reasons"),
    ),
)
