"""Permission predicates about applications, shared by views and services.

Each move of the workflow is a permission (`certification.<move>_application`) derived from the
moves table, so the table stays the one statement of who may do what.
"""

import rules

from certification.models import ApplicationStatus
from certification.workflow import MOVES, allowed_moves
from recordkeepers.rules import is_organisation_member


@rules.predicate
def is_applicant(user, application) -> bool:
    return application is not None and is_organisation_member(user, application.organisation)


@rules.predicate
def is_draft(user, application) -> bool:
    return application is not None and application.status == ApplicationStatus.DRAFT


@rules.predicate
def is_submitted(user, application) -> bool:
    return application is not None and application.status != ApplicationStatus.DRAFT


def _may_move(move_name: str):
    @rules.predicate(name=f"may_{move_name}")
    def predicate(user, application) -> bool:
        return application is not None and move_name in allowed_moves(
            application=application, user=user
        )

    return predicate


# The applicant's members see their application, its evidence and its letters. Which of CBP's staff
# see it is the review's rule (assignment, conflicts, recusals: `reviews.access`), and
# reviews/rules.py adds it to these three permissions; here, alone, staff see nothing.
rules.add_perm("certification.view_application", is_applicant)
rules.add_perm("certification.edit_application", is_applicant & is_draft)
rules.add_perm("certification.download_evidence", is_applicant)
rules.add_perm("certification.download_letter", is_applicant)


for _move_name in MOVES:
    rules.add_perm(f"certification.{_move_name}_application", _may_move(_move_name))
