"""Writes of the review. Keyword-only and atomic; the application changes only through
certification's workflow services, and these add what the review itself records."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from certification import workflow
from certification.models import Application, ApplicationStatus
from recordkeepers.models import User
from recordkeepers.rules import is_reviewer, is_supervisor
from reviews.conflicts import conflict_links
from reviews.models import ConflictDeclaration

NO_CONFLICT_REQUIRED = (
    "Confirm that you have no conflict of interest with this organization before you take it."
)


@transaction.atomic
def review_claim(
    *,
    application: Application,
    reviewer: User,
    no_conflict: bool,
    expected_version: int | None = None,
) -> Application:
    """A reviewer takes an unassigned application, declaring no conflict of interest; a submitted
    application's review starts at once."""
    if not is_reviewer(reviewer):
        raise PermissionDenied("Only CBP reviewers take applications.")
    if not no_conflict:
        raise ValidationError({"no_conflict": NO_CONFLICT_REQUIRED})
    links = conflict_links(reviewer=reviewer, organisation=application.organisation)
    if links:
        raise ValidationError(
            {
                "no_conflict": "You cannot take this application: "
                + " ".join(links)
                + " A supervisor can assign it to you if this is not a conflict of interest."
            }
        )
    workflow.application_assign(
        application=application,
        actor=reviewer,
        reviewer=reviewer,
        expected_version=expected_version,
    )
    ConflictDeclaration.objects.create(
        application=application, reviewer=reviewer, declared_by=reviewer
    )
    if application.status == ApplicationStatus.SUBMITTED:
        workflow.application_start_review(application=application, actor=reviewer)
    return application


@transaction.atomic
def review_assign(
    *, application: Application, supervisor: User, reviewer: User, override_reason: str = ""
) -> Application:
    """A supervisor assigns (or reassigns) an application. A known link between the reviewer and
    the organisation blocks it unless the supervisor gives a reason, which is recorded. The
    reviewer still declares no conflict before opening the application."""
    if not is_supervisor(supervisor):
        raise PermissionDenied("Only a supervisor assigns applications to reviewers.")
    links = conflict_links(reviewer=reviewer, organisation=application.organisation)
    if links and not override_reason.strip():
        raise ValidationError(
            {
                "override_reason": " ".join(links)
                + " To assign it anyway, say why this is not a conflict of interest."
            }
        )
    workflow.application_assign(application=application, actor=supervisor, reviewer=reviewer)
    ConflictDeclaration.objects.create(
        application=application,
        reviewer=reviewer,
        declared_by=supervisor,
        links=links,
        override_reason=override_reason.strip() if links else "",
    )
    if application.status == ApplicationStatus.SUBMITTED:
        workflow.application_start_review(application=application, actor=supervisor)
    return application


@transaction.atomic
def review_declare_no_conflict(*, application: Application, reviewer: User) -> None:
    """The assigned reviewer's own declaration, when a supervisor gave them the application."""
    if application.assigned_reviewer_id != reviewer.pk:
        raise PermissionDenied("Only the reviewer assigned to this application declares.")
    ConflictDeclaration.objects.create(
        application=application, reviewer=reviewer, declared_by=reviewer
    )
