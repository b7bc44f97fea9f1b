"""Who may open the staff pages: CBP reviewers and supervisors. Anyone else is told the page does
not exist (404), so the staff side is not disclosed."""

from dataclasses import dataclass

from django.http import Http404, HttpRequest

from certification.models import Application
from recordkeepers.rules import is_reviewer, is_supervisor
from reviews.rules import workspace_permissions
from reviews.selectors.workspace import workspace_application_get


def staff_only(request: HttpRequest) -> None:
    """404 unless the user reviews or supervises."""
    if not (is_reviewer(request.user) or is_supervisor(request.user)):
        raise Http404("No such page")


@dataclass(frozen=True)
class WorkspaceAccess:
    """The application of the workspace and what the user may do there: `declared` is whether
    they may work on it (`reviews.open_workspace`), `may_score` whether they may score it
    (`reviews.score_application`)."""

    application: Application
    declared: bool
    may_score: bool


def workspace_access(request: HttpRequest, pk: int) -> WorkspaceAccess:
    """The application of the workspace, with `declared` False for the assigned reviewer who has
    not yet declared no conflict of interest; 404 for anyone else who may not open it."""
    staff_only(request)
    application = workspace_application_get(user=request.user, pk=pk)
    may_open, may_score = workspace_permissions(request.user, application)
    if not may_open and application.assigned_reviewer_id != request.user.pk:
        raise Http404("No such application in your queue")
    return WorkspaceAccess(application, declared=may_open, may_score=may_score)


def workspace_application(request: HttpRequest, pk: int) -> tuple[Application, bool]:
    """`workspace_access` without the scoring permission: the application, and whether the user
    may work on it."""
    access = workspace_access(request, pk)
    return access.application, access.declared


def declared_workspace_access(request: HttpRequest, pk: int) -> WorkspaceAccess:
    """The workspace's access for an action on it, which only someone who may work on it
    (declared, for the assigned reviewer) may take; 404 for anyone else."""
    access = workspace_access(request, pk)
    if not access.declared:
        raise Http404("No such application in your queue")
    return access


def declared_workspace_application(request: HttpRequest, pk: int) -> Application:
    """The application of `declared_workspace_access`."""
    return declared_workspace_access(request, pk).application
