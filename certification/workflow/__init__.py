"""The status moves of an application (see `certification.workflow.moves` for the table and how a
move is made). Callers use the moves from here: `workflow.application_submit(...)`."""

from certification.errors import StaleApplication, TransitionNotAllowed
from certification.workflow.applicant import (
    application_answer_information_request,
    application_submit,
    application_withdraw,
)
from certification.workflow.moves import (
    APPLICATIONS_VERSION,
    AWAITING_CBP,
    MOVES,
    UNDECIDED,
    Move,
    Role,
    actor_role,
    allowed_moves,
)
from certification.workflow.review import (
    Question,
    application_assign,
    application_certify_on_appeal,
    application_decide,
    application_recommend,
    application_recuse,
    application_request_information,
    application_return_for_rework,
    application_start_review,
)

__all__ = [
    "APPLICATIONS_VERSION",
    "AWAITING_CBP",
    "MOVES",
    "UNDECIDED",
    "Move",
    "Question",
    "Role",
    "StaleApplication",
    "TransitionNotAllowed",
    "actor_role",
    "allowed_moves",
    "application_answer_information_request",
    "application_assign",
    "application_certify_on_appeal",
    "application_decide",
    "application_recommend",
    "application_recuse",
    "application_request_information",
    "application_return_for_rework",
    "application_start_review",
    "application_submit",
    "application_withdraw",
]
