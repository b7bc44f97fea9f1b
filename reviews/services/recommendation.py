"""Writes of the review's outcome: questions to the applicant and their answers read, the reviewer's recommendation, and the supervisor's sign-off."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from certification import workflow
from certification.errors import TransitionNotAllowed
from certification.models import (
    Application,
    Decision,
    InformationRequest,
)
from certification.services.information_requests import information_request_acknowledge
from recordkeepers.models import User
from recordkeepers.rules import may
from reviews import scoring, selectors
from reviews.models import (
    Recommendation,
)

NO_REASON = (
    "A denial sets out at least one reason: say what you found and what would meet the requirement."
)


def _checked_reasons(reasons: list[dict]) -> tuple[list[dict], str]:
    """A denial's reasons as the reviewer wrote them, each with its ground and both texts: what
    was found, and what would meet the requirement; the letter prints them as they are. With what
    is wrong with them, or ""."""
    checked = []
    for reason in reasons:
        ground = (reason.get("ground") or "").strip()
        text = (reason.get("text") or "").strip()
        remedy = (reason.get("remedy") or "").strip()
        if not (ground and text and remedy):
            return [], (
                "Each reason needs its ground, what you found and what would meet the requirement."
            )
        checked.append(
            {
                "ground": ground,
                "demonstration": (reason.get("demonstration") or "").strip(),
                "text": text,
                "remedy": remedy,
            }
        )
    return checked, "" if checked else NO_REASON


@transaction.atomic
def review_recommend(
    *,
    application: Application,
    actor: User,
    outcome: str,
    reasons: list[dict] | None = None,
    differs_reason: str = "",
) -> Recommendation:
    """The reviewer's recommendation to the supervisor. It may differ from the scoring's
    suggestion only with a written reason. A denial carries the reviewer's reasons, each
    {ground, demonstration, text, remedy}: what the letter says. The scoring's own reasons are
    kept apart (`Recommendation.scoring_notes`) for CBP's record, never printed: their points and
    percentages explain a score, not a decision, to an applicant."""
    if not may(actor, "reviews.score_application", application):
        raise PermissionDenied("Only the assigned reviewer recommends, while the review is open.")
    _, suggestion = selectors.suggestion_for(application=application)
    if suggestion.outcome == scoring.Outcome.INCOMPLETE:
        raise ValidationError("Score every criterion that applies before recommending.")
    differs = scoring.differs_from_suggestion(suggestion, outcome)
    errors = {}
    if differs and not differs_reason.strip():
        errors["differs_reason"] = (
            f"The scoring suggests: {suggestion.headline}. Say why you recommend otherwise."
        )
    if outcome == Decision.Outcome.DENIED:
        reasons, wrong = _checked_reasons(reasons or [])
        if wrong:
            errors["reasons"] = wrong  # the form puts it beside the first reason's fields
    else:
        reasons = []
    if errors:
        raise ValidationError(errors)
    scoring_notes = suggestion.reasons_as_dicts()
    differs_reason = differs_reason.strip() if differs else ""
    workflow.application_recommend(
        application=application,
        actor=actor,
        outcome=outcome,
        reasons=reasons,
        details={
            "suggestion": suggestion.outcome,
            "differs_reason": differs_reason,
            "scoring_notes": scoring_notes,
        },
    )
    return Recommendation.objects.create(
        application=application,
        reviewer=actor,
        outcome=outcome,
        reasons=reasons,
        scoring_notes=scoring_notes,
        suggestion=suggestion.outcome,
        differs_reason=differs_reason,
    )


# What a supervisor may do with a recommendation: issue it as a decision, or return it.
SIGN_OFF_RETURN = "return"


@transaction.atomic
def review_sign_off(
    *,
    application: Application,
    actor: User,
    decision: str,
    comments: str = "",
    terms: str | None = None,
) -> Application:
    """The supervisor's (`actor`'s) sign-off: issue the decision (a `Decision.Outcome`) with the
    reasons of the latest recommendation, or return it to the reviewer with comments. The workflow
    checks that the supervisor is not the reviewer who recommended."""
    if decision == SIGN_OFF_RETURN:
        return workflow.application_return_for_rework(
            application=application, actor=actor, comments=comments
        )
    recommendation = selectors.recommendation_latest(application=application)
    if recommendation is None:
        raise TransitionNotAllowed("There is no recommendation to sign off.")
    workflow.application_decide(
        application=application,
        actor=actor,
        outcome=decision,
        reasons=recommendation.reasons,
        recommended_by=recommendation.reviewer,
        terms=terms,
    )
    return application


@transaction.atomic
def review_request_information(
    *,
    application: Application,
    actor: User,
    questions: list[workflow.Question],
    due: date,
    with_letter: bool = False,
) -> InformationRequest:
    """Ask the applicant questions about chosen demonstrations; the applicant is told at once
    (in the service and by email, through the workflow's notifications), and with `with_letter`
    also gets the questions as a letter to download."""
    if not may(actor, "reviews.score_application", application):
        raise PermissionDenied("Only the assigned reviewer asks, while the review is open.")
    return workflow.application_request_information(
        application=application,
        actor=actor,
        questions=questions,
        due=due,
        with_letter=with_letter,
    )


@transaction.atomic
def review_acknowledge_answers(*, application: Application, actor: User) -> int:
    """The assigned reviewer has read the applicant's answers: the queue stops flagging them.
    Returns how many answered requests were marked read."""
    if application.assigned_reviewer_id != actor.pk:
        raise PermissionDenied("Only the reviewer assigned to this application marks its answers.")
    return information_request_acknowledge(application=application)
