"""Reads after certification, with their access checks: another organisation's participant or
report is simply not found (404)."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from certification import deadlines
from certification.selectors import TimelineEntry, fold_sittings
from participants.access import participants_visible_to_staff
from participants.models import (
    Appeal,
    AppealStatus,
    ComplianceReport,
    CorrectiveAction,
    NoticeOfViolation,
    Participant,
    ParticipantSettings,
    Removal,
    ReportStatus,
)
from participants.models.register import bare
from recordkeepers.importer_numbers import search_digest
from recordkeepers.models import User
from recordkeepers.rules import (
    is_appeals_official,
    is_cbp_admin,
    is_cbp_staff,
    is_supervisor,
    membership_of,
)
from recordkeepers.validators import is_ssn_form, normalise_importer_number


def participant_for_member(*, user: User) -> Participant | None:
    """The organisation's latest certification, for its own people."""
    membership = membership_of(user)
    if membership is None:
        return None
    return (
        Participant.objects.filter(organisation_id=membership.organisation_id)
        .select_related("application", "decision")
        .order_by("-certified_on", "-pk")
        .first()
    )


def participant_get_for_staff(*, user: User, pk: int) -> Participant:
    participant = (
        participants_visible_to_staff(user=user)
        .select_related("application", "organisation", "decision")
        .filter(pk=pk)
        .first()
    )
    if participant is None:
        raise Http404("No such participant")
    return participant


def report_get_for_user(*, user: User, pk: int) -> ComplianceReport:
    """A report its participant's people or CBP staff who may see the participant may open."""
    report = (
        ComplianceReport.objects.select_related("participant__application", "filed_by")
        .filter(pk=pk)
        .first()
    )
    if report is None or not user.has_perm("participants.view_participant", report.participant):
        raise Http404("No such report")
    return report


@dataclass(frozen=True)
class Expiry:
    expires_on: date | None
    remind_from: date | None


def expiry_of(*, participant: Participant) -> Expiry:
    """When the certification expires, if admins set a validity period, and when the renewal
    reminder goes out."""
    settings = ParticipantSettings.current()
    expires = deadlines.certification_expires_on(
        certified_on=participant.certified_on, validity_days=settings.validity_days
    )
    remind = (
        deadlines.reminder_on(due=expires, days_before=settings.renewal_notice_days)
        if expires
        else None
    )
    return Expiry(expires, remind)


def overdue_actions(today: date | None = None) -> Q:
    """Corrective actions not answered by their due date, as of `today` (the service's today by
    default), as a filter on CorrectiveAction."""
    return Q(responded_at=None, due__lt=today or timezone.localdate())


def participant_timeline(*, user: User, participant: Participant) -> list[TimelineEntry]:
    """The certified application's events, decision onwards, as `user` may see them, as the
    history template reads them (`certification.selectors.TimelineEntry`)."""
    events = (
        participant.application.events.select_related("actor")
        .filter(created_at__gte=participant.decision.decided_at)
        .order_by("created_at", "pk")
    )
    if not is_cbp_staff(user):
        events = events.filter(applicant_visible=True)
    return fold_sittings(events)


def reports_of(*, participant: Participant) -> QuerySet[ComplianceReport]:
    open_action = CorrectiveAction.objects.filter(report=OuterRef("pk"), responded_at=None)
    return participant.reports.select_related("filed_by").annotate(
        overdue=Exists(open_action.filter(due__lt=timezone.localdate()))
    )


REGISTER_SORTS = {"name": ("legal_name", "pk"), "certified": ("-certified_on", "pk")}


def _register_search(typed: str) -> Q:
    """A name, reference or importer number in the register's search text; a whole Social
    Security number through its application's search digest, the only form it is kept in."""
    try:
        number = normalise_importer_number(typed)
    except ValidationError:
        number = ""
    if is_ssn_form(number):
        return Q(application__search_text__contains=search_digest(number))
    text = typed.lower()
    match = Q(search_text__contains=text)
    if bare(text):
        match |= Q(search_text__contains=bare(text))
    return match


def register(
    *,
    user: User,
    q: str = "",
    status: str = "",
    route: str = "",
    overdue: bool = False,
    sort: str = "name",
) -> QuerySet[Participant]:
    """CBP's register: the participants `user` may see, searched by name, importer number or
    reference, filtered by status, route and overdue corrective actions."""
    rows = participants_visible_to_staff(user=user).select_related("application")
    if q.strip():
        rows = rows.filter(_register_search(q.strip()))
    if status:
        rows = rows.filter(status=status)
    if route:
        rows = rows.filter(route=route)
    late = CorrectiveAction.objects.filter(report__participant=OuterRef("pk")).filter(
        overdue_actions()
    )
    rows = rows.annotate(
        open_reports=Count("reports", filter=~Q(reports__status=ReportStatus.CLOSED)),
        overdue=Exists(late),
    )
    if overdue:
        rows = rows.filter(overdue=True)
    return rows.order_by(*REGISTER_SORTS.get(sort, REGISTER_SORTS["name"]))


def reports_waiting_for_cbp(*, user: User) -> QuerySet[ComplianceReport]:
    """Reports CBP has to act on: filed and not acknowledged, or with corrective action reported."""
    return (
        ComplianceReport.objects.filter(
            participant__in=participants_visible_to_staff(user=user),
            status__in=[ReportStatus.FILED, ReportStatus.ACTION_TAKEN],
        )
        .select_related("participant")
        .order_by("filed_at", "pk")
    )


def notice_get_for_user(*, user: User, pk: int) -> NoticeOfViolation:
    """A notice its participant's people or CBP staff who may see the participant may open; a
    failure CBP found not eligible is CBP's record only."""
    notice = (
        NoticeOfViolation.objects.select_related(
            "participant__application", "recorded_by", "letter"
        )
        .filter(pk=pk)
        .first()
    )
    if notice is None or not user.has_perm("participants.view_participant", notice.participant):
        raise Http404("No such notice")
    if not notice.eligible and not is_cbp_staff(user):
        raise Http404("No such notice")
    return notice


def notices_of(*, participant: Participant, user: User) -> QuerySet[NoticeOfViolation]:
    notices = participant.notices.select_related("letter")
    if not is_cbp_staff(user):
        notices = notices.filter(eligible=True)
    return notices


def removal_get_for_staff(*, user: User, pk: int) -> Removal:
    removal = (
        Removal.objects.select_related("participant__application", "proposed_by", "decided_by")
        .filter(participant__in=participants_visible_to_staff(user=user), pk=pk)
        .first()
    )
    if removal is None:
        raise Http404("No such removal")
    return removal


def _sees_appeals(user: User) -> bool:
    return (
        user.is_superuser or is_cbp_admin(user) or is_supervisor(user) or is_appeals_official(user)
    )


def appeal_get_for_user(*, user: User, pk: int) -> Appeal:
    """An appeal, for the appellant's people and for staff who see appeals; otherwise 404."""
    appeal = (
        Appeal.objects.select_related(
            "application__organisation", "filed_by", "decided_by", "removal", "original_decider"
        )
        .filter(pk=pk)
        .first()
    )
    if appeal is None:
        raise Http404("No such appeal")
    membership = membership_of(user)
    mine = (
        membership is not None and membership.organisation_id == appeal.application.organisation_id
    )
    if not (mine or (is_cbp_staff(user) and _sees_appeals(user))):
        raise Http404("No such appeal")
    return appeal


def appeals_for_staff(*, user: User) -> QuerySet[Appeal]:
    """Appeals waiting for a decision, the oldest due first; none for who does not see appeals."""
    if not _sees_appeals(user):
        return Appeal.objects.none()
    return (
        Appeal.objects.filter(status__in=[AppealStatus.RECEIVED, AppealStatus.DELAYED])
        .select_related("application__organisation", "original_decider")
        .order_by("decision_due", "pk")
    )


def appeals_decided(*, user: User) -> QuerySet[Appeal]:
    if not _sees_appeals(user):
        return Appeal.objects.none()
    return (
        Appeal.objects.filter(status__in=[AppealStatus.UPHELD, AppealStatus.REVERSED])
        .select_related("application__organisation", "decided_by")
        .order_by("-decided_on", "-pk")
    )
