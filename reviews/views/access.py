"""Who may open the staff pages: CBP reviewers and supervisors. Anyone else is told the page does
not exist (404), so the staff side is not disclosed."""

from django.http import Http404, HttpRequest

from certification.models import Application
from recordkeepers.rules import is_reviewer, is_supervisor
from reviews import selectors


def staff_only(request: HttpRequest) -> None:
    """404 unless the user reviews or supervises."""
    if not (is_reviewer(request.user) or is_supervisor(request.user)):
        raise Http404("No such page")


def workspace_application(request: HttpRequest, pk: int) -> tuple[Application, bool]:
    """The application of the workspace, and whether the user may work on it: False for the
    assigned reviewer who has not yet declared no conflict of interest; 404 for anyone else who
    may not open it."""
    staff_only(request)
    application = selectors.queue_application(user=request.user, pk=pk)
    if not request.user.has_perm("reviews.open_workspace", application):
        if application.assigned_reviewer_id == request.user.pk:
            return application, False  # assigned, but has not declared yet
        raise Http404("No such application in your queue")
    return application, True


def declared_workspace_application(request: HttpRequest, pk: int) -> Application:
    """The application of the workspace for an action on it, which only someone who may work on it
    (declared, for the assigned reviewer) may take; 404 for anyone else."""
    application, declared = workspace_application(request, pk)
    if not declared:
        raise Http404("No such application in your queue")
    return application
