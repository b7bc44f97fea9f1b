"""Reads of the program core."""

from django.db.models import QuerySet
from django.http import Http404

from certification.models import Application, Event, HandbookEdition
from recordkeepers.rules import is_cbp_staff


def handbook_edition_in_force() -> HandbookEdition | None:
    return HandbookEdition.objects.filter(status=HandbookEdition.Status.PUBLISHED).first()


def application_get_for_user(*, user, pk: int) -> Application:
    """The application if `user` may see it; otherwise 404, so its existence is not disclosed."""
    application = (
        Application.objects.select_related("organisation", "handbook_edition").filter(pk=pk).first()
    )
    if application is None or not user.has_perm("certification.view_application", application):
        raise Http404("No such application")
    return application


def application_timeline(*, user, application: Application) -> QuerySet[Event]:
    """The events of an application as `user` may see them: applicants see applicant-facing ones."""
    events = application.events.select_related("actor").order_by("created_at", "pk")
    if not is_cbp_staff(user):
        events = events.filter(applicant_visible=True)
    return events
