"""Who may do what in a review. Small predicates on (user, application), shared by views and services.

A reviewer works only on the applications assigned to them, and only after declaring that they have
no conflict of interest with the organisation; a supervisor sees and balances everything.
"""

import rules

from certification.models import ApplicationStatus
from certification.rules import is_applicant
from certification.workflow import AWAITING_CBP
from recordkeepers.rules import is_reviewer, is_supervisor
from reviews.access import staff_may_see
from reviews.models import ConflictDeclaration


@rules.predicate
def is_assigned_reviewer(user, application) -> bool:
    return (
        application is not None
        and application.assigned_reviewer_id == user.pk
        and is_reviewer(user)
    )


@rules.predicate
def has_declared_no_conflict(user, application) -> bool:
    return (
        application is not None
        and ConflictDeclaration.objects.filter(
            application=application, reviewer=user, declared_by=user
        ).exists()
    )


@rules.predicate
def is_unassigned_and_awaiting(user, application) -> bool:
    return (
        application is not None
        and application.assigned_reviewer_id is None
        and application.status in AWAITING_CBP
    )


@rules.predicate
def is_in_review(user, application) -> bool:
    return application is not None and application.status == ApplicationStatus.IN_REVIEW


may_work_on = is_assigned_reviewer & has_declared_no_conflict & staff_may_see
rules.add_perm(
    "reviews.claim_application", is_reviewer & is_unassigned_and_awaiting & staff_may_see
)
rules.add_perm("reviews.assign_application", is_supervisor)
rules.add_perm("reviews.open_workspace", may_work_on | is_supervisor)
# The whole importer numbers (a Social Security number is otherwise masked everywhere): for those who
# check them against CBP's records of the importer while the application is reviewed.
rules.add_perm("reviews.see_importer_numbers", (may_work_on | is_supervisor) & staff_may_see)

# One rule for who sees an application: its members, and the staff `reviews.access` lets see it.
can_view = is_applicant | staff_may_see
for _permission in ("view_application", "download_evidence", "download_letter"):
    rules.set_perm(f"certification.{_permission}", can_view)
rules.add_perm("reviews.score_application", may_work_on & is_in_review)


def workspace_permissions(user, application) -> tuple[bool, bool]:
    """`reviews.open_workspace` and `reviews.score_application` together, for an application the
    caller found through `reviews.selectors.workspace_application_get`. That lookup already asked
    `staff_may_see`, so it is not asked again, and the rest of `may_work_on` is asked once for
    both: the workspace needs both on every request, and each asking costs queries.
    tests/reviews/test_workspace_permissions.py holds this to the two permissions as the rules
    answer them (`recordkeepers.rules.may`: a superuser is granted nothing the rules do not grant)."""
    works_on = is_assigned_reviewer(user, application) and has_declared_no_conflict(
        user, application
    )
    may_open = works_on or is_supervisor(user)
    return may_open, works_on and is_in_review(user, application)
