"""Reads of the program core."""

from django.db.models import OuterRef, QuerySet, Subquery, Sum
from django.http import Http404

from certification.models import (
    Application,
    Event,
    Evidence,
    HandbookEdition,
    Letter,
    LetterStatus,
    Notification,
)
from recordkeepers.rules import is_cbp_staff


def handbook_edition_in_force() -> HandbookEdition | None:
    return HandbookEdition.objects.filter(status=HandbookEdition.Status.PUBLISHED).first()


def applications_for_organisation(*, organisation) -> list[Application]:
    """The organisation's applications, newest first, for its own dashboard, each with what last
    happened to it that the applicant may see (`latest_verb`, `latest_at`)."""
    latest = Event.objects.filter(application=OuterRef("pk"), applicant_visible=True).order_by(
        "-created_at", "-pk"
    )
    return list(
        organisation.applications.annotate(
            latest_verb=Subquery(latest.values("verb")[:1]),
            latest_at=Subquery(latest.values("created_at")[:1]),
        ).order_by("-created_at")
    )


def application_get_for_user(*, user, pk: int) -> Application:
    """The application if `user` may see it; otherwise 404, so its existence is not disclosed."""
    application = Application.objects.select_related("organisation").filter(pk=pk).first()
    if application is None or not user.has_perm("certification.view_application", application):
        raise Http404("No such application")
    return application


def application_latest_recommendation(*, application: Application) -> Event | None:
    """The reviewer's latest recommendation on the application: what a supervisor signs off."""
    return application.events.filter(verb="review.recommended").order_by("-pk").first()


def application_timeline(*, user, application: Application) -> QuerySet[Event]:
    """The events of an application as `user` may see them: applicants see applicant-facing ones."""
    events = application.events.select_related("actor").order_by("created_at", "pk")
    if not is_cbp_staff(user):
        events = events.filter(applicant_visible=True)
    return events


def evidence_get_for_user(*, user, pk: int) -> Evidence:
    """The evidence if `user` may download it; otherwise 404, as for its application."""
    evidence = Evidence.objects.select_related("application__organisation").filter(pk=pk).first()
    if evidence is None or not user.has_perm(
        "certification.download_evidence", evidence.application
    ):
        raise Http404("No such file")
    return evidence


def evidence_for_application(*, application: Application) -> QuerySet[Evidence]:
    """An application's evidence, by demonstration and then upload order. The caller has already
    fetched `application` through application_get_for_user."""
    return application.evidence.select_related("uploaded_by").order_by(
        "demonstration", "uploaded_at", "pk"
    )


def evidence_bytes_stored(*, application: Application) -> int:
    """How many bytes of evidence the application holds, against its limit."""
    return application.evidence.aggregate(total=Sum("size"))["total"] or 0


# Notifications: each person sees only their own; the queries go through the recipient's
# related manager, so another person's message cannot be reached by any of them.
def notifications_for_user(*, user) -> QuerySet[Notification]:
    """The person's notifications, newest first, with the application each is about."""
    return user.notifications.select_related("application").order_by("-created_at", "-pk")


def unread_notification_count(*, user) -> int:
    return user.notifications.filter(read_at__isnull=True).count()


def notification_get_for_user(*, user, pk: int) -> Notification:
    """One of the person's notifications; anybody else's is simply not found (404)."""
    notification = notifications_for_user(user=user).filter(pk=pk).first()
    if notification is None:
        raise Http404("No such message")
    return notification


def letters_for_application(*, application: Application) -> list[Letter]:
    """An application's letters, newest first, with the template version each used. The caller has
    already fetched `application` through application_get_for_user."""
    return list(application.letters.select_related("template").order_by("-created_at", "-pk"))


def letter_get_for_user(*, user, pk: int) -> Letter:
    """A ready letter if `user` may see its application; otherwise 404."""
    letter = (
        Letter.objects.select_related("application__organisation")
        .filter(pk=pk, status=LetterStatus.READY)
        .first()
    )
    if letter is None or not user.has_perm("certification.download_letter", letter.application):
        raise Http404("No such letter")
    return letter
