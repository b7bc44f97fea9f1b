"""The participant register's export: CBP's register as `participants.selectors.register` lists it
to the reader (`participants.access`: every participant, or for a reviewer every one they have no
link to), with its open reports and whether a corrective action is overdue."""

from django.db.models import QuerySet

from certification.models import Application
from participants.access import participants_visible_to_staff
from participants.models import ParticipantStatus
from participants.selectors import register
from recordkeepers.models import SizeClass, User
from recordkeepers.rules import is_cbp_staff
from reporting.exports.datasets.base import Column, Dataset, labels, local_date, person_name
from reporting.exports.policy import CellKind
from reporting.filters import ReportFilters

TEXT, NUMBER, DATE = CellKind.TEXT, CellKind.NUMBER, CellKind.DATE

# Who opens the register and a participant's records (participants.views.common.staff_only).
PARTICIPANT_READERS = is_cbp_staff


def visible_participants(*, user: User, filters: ReportFilters) -> QuerySet:
    """The participants `user` may see (`participants.access`) of the size class asked for, for
    the post-certification records' exports to narrow theirs to."""
    participants = participants_visible_to_staff(user=user)
    if filters.size_class:
        participants = participants.filter(application__size_class=filters.size_class)
    return participants


def register_rows(
    *,
    user: User,
    filters: ReportFilters,
    q: str = "",
    status: str = "",
    route: str = "",
    overdue: bool = False,
    sort: str = "name",
) -> QuerySet:
    """The register as `user` sees it (the register page's selector, with its search and filters
    when the export comes from that page), certified in the period, of the size class, certified
    on the recommendation of the reviewer asked for."""
    rows = register(user=user, q=q, status=status, route=route, overdue=overdue, sort=sort)
    rows = rows.filter(certified_on__gte=filters.start, certified_on__lte=filters.end)
    if filters.size_class:
        rows = rows.filter(application__size_class=filters.size_class)
    if filters.reviewer_id is not None:
        rows = rows.filter(decision__recommended_by_id=filters.reviewer_id)
    return rows.annotate(recommender_name=person_name("decision__recommended_by"))


REGISTER = Dataset(
    key="register",
    title="Participant register",
    description="Certified recordkeepers you may see, with their open reports. Period: the day "
    "certified. Reviewer: the one who recommended the certification.",
    audience=PARTICIPANT_READERS,
    query=register_rows,
    columns=(
        Column("application.reference", "Reference", TEXT, "application__reference"),
        Column("participant.legal_name", "Legal name", TEXT, "legal_name"),
        Column("participant.importer_numbers", "Importer numbers", TEXT, "importer_numbers"),
        Column(
            "application.size_class",
            "Size class",
            TEXT,
            "application__size_class",
            labels(SizeClass),
        ),
        Column("participant.route", "Route", TEXT, "route", labels(Application.Route)),
        Column("participant.status", "Status", TEXT, "status", labels(ParticipantStatus)),
        Column("participant.certified_on", "Certified", DATE, "certified_on"),
        Column(
            "participant.status_changed_on",
            "Status since",
            DATE,
            "status_changed_at",
            local_date,
        ),
        Column("decision.recommended_by", "Recommended by", TEXT, "recommender_name"),
        Column("participant.open_reports", "Open reports", NUMBER, "open_reports"),
        Column("participant.action_overdue", "Corrective action overdue", TEXT, "overdue"),
        Column("participant.terms", "Terms", TEXT, "terms"),
        Column("participant.search_text", "Search text", TEXT, "search_text"),
    ),
)
