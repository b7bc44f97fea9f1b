"""Writes of the review. Keyword-only, typed and atomic; whoever acts is `actor`. The application
changes only through certification's workflow services, and these add what the review itself
records. The reads they share with the pages (the criteria that apply, the scoring's suggestion)
are in `reviews.selectors`."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from certification import workflow
from certification.errors import TransitionNotAllowed
from certification.events import EventVerb
from certification.models import (
    Application,
    ApplicationStatus,
    Decision,
    Event,
    InformationRequest,
)
from certification.services.information_requests import information_request_acknowledge
from recordkeepers.models import User
from recordkeepers.rules import is_reviewer, is_supervisor
from reviews import scoring, selectors
from reviews.access import staff_may_see
from reviews.conflicts import conflict_links
from reviews.models import (
    ComplianceFinding,
    ConflictDeclaration,
    CriterionScore,
    Recommendation,
    Recusal,
    ReviewThresholds,
)

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


def review_thresholds_pin(*, application: Application) -> ReviewThresholds:
    """Pin the scoring thresholds the application's review is judged by: the admins' settings as
    they stand, with the raises for its declared risk flags. Only the first call writes; later
    ones return the pin already there, so an admin's change never moves a review under way.
    Called when the review starts (first claim or assignment), and on the first scores of a
    review begun before pinning existed."""
    pinned = ReviewThresholds.objects.filter(application=application).first()
    if pinned is not None:
        return pinned
    row = selectors.current_thresholds(application=application)
    # Two first claims at once: the one-to-one lets one write, and the other reads it back.
    row, _ = ReviewThresholds.objects.get_or_create(
        application=application,
        defaults={
            name: getattr(row, name)
            for name in (
                "met_micro",
                "met_small",
                "met_medium",
                "met_large",
                "information_band",
                "raises",
            )
        },
    )
    return row


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


@transaction.atomic
def review_save_scores(
    *, application: Application, actor: User, scores: dict[int, dict]
) -> list[CriterionScore]:
    """Save the reviewer's scores: `scores` maps a criterion's id to {"score": 0-3 or None,
    "not_applicable": bool, "notes": str}. Only criteria of the application's pinned edition that
    apply to it can be scored; each score keeps a copy of its criterion."""
    if not actor.has_perm("reviews.score_application", application):
        raise PermissionDenied("Only the assigned reviewer scores, while the review is open.")
    review_thresholds_pin(application=application)
    criteria = {c.pk: c for c in selectors.applicable_criteria(application=application)}
    before = {s.criterion_id: s for s in CriterionScore.objects.filter(application=application)}
    saved = []
    for criterion_id, given in selectors.checked_scores(
        criteria=list(criteria.values()), scores=scores
    ).items():
        criterion = criteria[criterion_id]
        old = before.get(criterion_id)
        was = _shown_score(old.score, old.not_applicable) if old else "not scored"
        now = _shown_score(given.score, given.not_applicable)
        notes_changed = given.notes != (old.notes if old else "")
        if was == now and not notes_changed:
            if old is not None:
                saved.append(old)
            continue  # nothing changed: no write, no event
        row, _ = CriterionScore.objects.update_or_create(
            application=application,
            criterion=criterion,
            defaults={
                "reviewer": actor,
                "demonstration": criterion.demonstration,
                "code": criterion.code,
                "title": criterion.title,
                "weight": criterion.weight,
                "must_pass": criterion.must_pass,
                "score": given.score,
                "not_applicable": given.not_applicable,
                "notes": given.notes,
            },
        )
        saved.append(row)
        Event.objects.record(
            application=application,
            actor=actor,
            verb=EventVerb.CRITERION_SCORED,
            data={
                "criterion": criterion.code,
                "from": was,
                "to": now,
                "notes_changed": notes_changed,
            },
        )
    return saved


def _shown_score(score: int | None, not_applicable: bool) -> str:
    """A score as CBP's record states it: "2", "N/A" or "not scored"."""
    if not_applicable:
        return "N/A"
    return "not scored" if score is None else str(score)


@transaction.atomic
def review_record_compliance_finding(
    *, application: Application, actor: User, concern: bool, notes: str
) -> ComplianceFinding:
    """The 163.13(b)(1)(iii) finding: recorded on its own, never as a score."""
    if not actor.has_perm("reviews.score_application", application):
        raise PermissionDenied(
            "Only the assigned reviewer records findings, while the review is open."
        )
    if concern and not notes.strip():
        raise ValidationError({"notes": "Say what in the compliance history causes concern."})
    old = ComplianceFinding.objects.filter(application=application).first()
    if old is not None and (old.concern, old.notes) == (concern, notes):
        return old  # nothing changed: no write, no event
    finding, _ = ComplianceFinding.objects.update_or_create(
        application=application,
        defaults={"reviewer": actor, "concern": concern, "notes": notes},
    )
    Event.objects.record(
        application=application,
        actor=actor,
        verb=EventVerb.FINDING_RECORDED,
        data={
            "from": None if old is None else ("concern" if old.concern else "no concern"),
            "to": "concern" if concern else "no concern",
            "notes_changed": old is None or old.notes != notes,
        },
    )
    return finding


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
    if not actor.has_perm("reviews.score_application", application):
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
    *, application: Application, actor: User, decision: str, comments: str = ""
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
    if not actor.has_perm("reviews.score_application", application):
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
