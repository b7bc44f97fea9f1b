"""Writes of who reviews an application: claiming, assigning (one or many), declaring no conflict of interest, and stepping aside for one."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from certification import workflow
from certification.models import (
    Application,
    ApplicationStatus,
)
from recordkeepers.conflicts import conflict_links
from recordkeepers.models import User
from recordkeepers.rules import is_reviewer, is_supervisor
from reviews.access import staff_may_see
from reviews.models import (
    ConflictDeclaration,
    Recusal,
)
from reviews.services.scoring import review_thresholds_pin

NO_CONFLICT_REQUIRED = (
    "Confirm that you have no conflict of interest with this organization before you take it."
)


def _refuse_if_recused(*, application: Application, reviewer: User, field: str) -> None:
    """A reviewer who stepped aside from an application never gets it back."""
    recusal = Recusal.objects.filter(application=application, reviewer=reviewer).first()
    if recusal is not None:
        raise ValidationError(
            {field: f"{reviewer} stepped aside from this application: {recusal.reason}"}
        )


@transaction.atomic
def review_recuse(*, application: Application, actor: User, reason: str) -> Recusal:
    """A reviewer declares a conflict of interest with the application's organisation and steps
    aside: the application leaves their queue and their access, and if it was theirs it waits
    for a supervisor to reassign it. Only a reviewer who may see it (assigned, or free to claim
    it) can step aside."""
    if not staff_may_see(actor, application) or is_supervisor(actor):
        raise PermissionDenied("Only a reviewer who may take or holds an application steps aside.")
    workflow.application_recuse(application=application, actor=actor, reason=reason)
    return Recusal.objects.create(application=application, reviewer=actor, reason=reason.strip())


@transaction.atomic
def review_claim(
    *,
    application: Application,
    actor: User,
    no_conflict: bool,
    expected_version: int | None = None,
) -> Application:
    """A reviewer (`actor`) takes an unassigned application, declaring no conflict of interest; a
    submitted application's review starts at once."""
    if not is_reviewer(actor):
        raise PermissionDenied("Only CBP reviewers take applications.")
    if not no_conflict:
        raise ValidationError({"no_conflict": NO_CONFLICT_REQUIRED})
    _refuse_if_recused(application=application, reviewer=actor, field="no_conflict")
    links = conflict_links(reviewer=actor, organisation=application.organisation)
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
        actor=actor,
        reviewer=actor,
        expected_version=expected_version,
    )
    ConflictDeclaration.objects.create(application=application, reviewer=actor, declared_by=actor)
    review_thresholds_pin(application=application)
    if application.status == ApplicationStatus.SUBMITTED:
        workflow.application_start_review(application=application, actor=actor)
    return application


@transaction.atomic
def review_assign(
    *, application: Application, actor: User, reviewer: User, override_reason: str = ""
) -> Application:
    """A supervisor (`actor`) assigns (or reassigns) an application to `reviewer`. A known link
    between the reviewer and the organisation blocks it unless the supervisor gives a reason,
    which is recorded. The reviewer still declares no conflict before opening the application."""
    if not is_supervisor(actor):
        raise PermissionDenied("Only a supervisor assigns applications to reviewers.")
    _refuse_if_recused(application=application, reviewer=reviewer, field="reviewer")
    links = conflict_links(reviewer=reviewer, organisation=application.organisation)
    if links and not override_reason.strip():
        raise ValidationError(
            {
                "override_reason": " ".join(links)
                + " To assign it anyway, say why this is not a conflict of interest."
            }
        )
    workflow.application_assign(application=application, actor=actor, reviewer=reviewer)
    ConflictDeclaration.objects.create(
        application=application,
        reviewer=reviewer,
        declared_by=actor,
        links=links,
        override_reason=override_reason.strip() if links else "",
    )
    review_thresholds_pin(application=application)
    if application.status == ApplicationStatus.SUBMITTED:
        workflow.application_start_review(application=application, actor=actor)
    return application


@dataclass
class AssignmentResult:
    """What `review_assign_many` did: the applications assigned, and each refused with why."""

    assigned: list[Application] = field(default_factory=list)
    refused: list[tuple[Application, str]] = field(default_factory=list)


def _refusal_text(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


@transaction.atomic
def review_assign_many(
    *, applications: Iterable[Application], actor: User, reviewer: User
) -> AssignmentResult:
    """A supervisor (`actor`) gives several applications to one reviewer, each as `review_assign`
    would without an override reason. Each is assigned in a savepoint of its own, so a refusal (a
    link to the organisation, a state that cannot be assigned) undoes only that one, and is
    reported with its reason."""
    if not is_supervisor(actor):
        raise PermissionDenied("Only a supervisor assigns applications to reviewers.")
    result = AssignmentResult()
    for application in applications:
        try:
            with transaction.atomic():
                review_assign(application=application, actor=actor, reviewer=reviewer)
        except (ValidationError, PermissionDenied) as error:
            result.refused.append((application, _refusal_text(error)))
        else:
            result.assigned.append(application)
    return result


@transaction.atomic
def review_declare_no_conflict(*, application: Application, actor: User) -> ConflictDeclaration:
    """The assigned reviewer's own declaration, when a supervisor gave them the application."""
    if application.assigned_reviewer_id != actor.pk:
        raise PermissionDenied("Only the reviewer assigned to this application declares.")
    return ConflictDeclaration.objects.create(
        application=application, reviewer=actor, declared_by=actor
    )
