"""Writes of the review. Keyword-only and atomic; the application changes only through
certification's workflow services, and these add what the review itself records."""

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from certification import workflow
from certification.errors import TransitionNotAllowed
from certification.models import Application, ApplicationStatus, Criterion
from certification.services.information_requests import information_request_acknowledge
from recordkeepers.models import User
from recordkeepers.rules import is_reviewer, is_supervisor
from reviews import scoring, selectors
from reviews.conflicts import conflict_links
from reviews.models import (
    ComplianceFinding,
    ConflictDeclaration,
    CriterionScore,
    Recommendation,
    ScoringSettings,
)

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


@dataclass(frozen=True)
class GivenScore:
    """A score as the reviewer gives it, checked but not saved: what `suggestion_for` reads of a
    saved `CriterionScore`."""

    score: int | None
    not_applicable: bool
    notes: str = ""


def _checked_scores(*, criteria: list[Criterion], scores: dict[int, dict]) -> dict[int, GivenScore]:
    """The reviewer's scores for `criteria`, checked as a saved score must be: only those criteria,
    N/A only where a criterion allows it, and 0 to 3."""
    by_id = {c.pk: c for c in criteria}
    if set(scores) - set(by_id):
        raise ValidationError("Some scores are for criteria that do not apply to this application.")
    checked = {}
    for criterion_id, given in scores.items():
        criterion = by_id[criterion_id]
        not_applicable = bool(given.get("not_applicable"))
        if not_applicable and criterion.must_pass:
            raise ValidationError(
                {f"score_{criterion_id}": f"{criterion.code} must be scored: it cannot be N/A."}
            )
        score = None if not_applicable else given.get("score")
        if score is not None and score not in range(4):
            raise ValidationError({f"score_{criterion_id}": "Score from 0 to 3."})
        checked[criterion_id] = GivenScore(score, not_applicable, given.get("notes", ""))
    return checked


@transaction.atomic
def review_save_scores(
    *, application: Application, reviewer: User, scores: dict[int, dict]
) -> list[CriterionScore]:
    """Save the reviewer's scores: `scores` maps a criterion's id to {"score": 0-3 or None,
    "not_applicable": bool, "notes": str}. Only criteria of the application's pinned edition that
    apply to it can be scored; each score keeps a copy of its criterion."""
    if not reviewer.has_perm("reviews.score_application", application):
        raise PermissionDenied("Only the assigned reviewer scores, while the review is open.")
    criteria = {c.pk: c for c in applicable_criteria(application)}
    saved = []
    for criterion_id, given in _checked_scores(
        criteria=list(criteria.values()), scores=scores
    ).items():
        criterion = criteria[criterion_id]
        row, _ = CriterionScore.objects.update_or_create(
            application=application,
            criterion=criterion,
            defaults={
                "reviewer": reviewer,
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
    return saved


def applicable_criteria(application: Application) -> list[Criterion]:
    """The criteria of the application's pinned edition that apply to its risk profile."""
    flags = set((application.profile_snapshot or {}).get("risk_flags") or [])
    edition = application.handbook_edition
    if edition is None:
        return []
    return [
        c
        for c in edition.criteria.order_by("demonstration", "position", "code")
        if c.applies_to(flags)
    ]


@transaction.atomic
def review_record_compliance_finding(
    *, application: Application, reviewer: User, concern: bool, notes: str
) -> ComplianceFinding:
    """The 163.13(b)(1)(iii) finding: recorded on its own, never as a score."""
    if not reviewer.has_perm("reviews.score_application", application):
        raise PermissionDenied(
            "Only the assigned reviewer records findings, while the review is open."
        )
    if concern and not notes.strip():
        raise ValidationError({"notes": "Say what in the compliance history causes concern."})
    finding, _ = ComplianceFinding.objects.update_or_create(
        application=application,
        defaults={"reviewer": reviewer, "concern": concern, "notes": notes},
    )
    return finding


def suggestion_for(
    application: Application,
    *,
    criteria: list[Criterion] | None = None,
    saved: Mapping[int, CriterionScore | GivenScore] | None = None,
) -> tuple[dict, scoring.Suggestion]:
    """The scoring's results per demonstration and its overall suggestion, from the saved scores
    (or from scores given but not saved: `suggestion_with_unsaved_scores`). A caller that has
    already read the criteria and scores passes them in."""
    settings = ScoringSettings.current()
    thresholds = scoring.Thresholds(
        micro=settings.met_micro,
        small=settings.met_small,
        medium=settings.met_medium,
        large=settings.met_large,
        information_band=settings.information_band,
    )
    if criteria is None:
        criteria = applicable_criteria(application)
    if saved is None:
        saved = {s.criterion_id: s for s in application.criterion_scores.all()}
    inputs = [
        scoring.CriterionScore(
            code=c.code,
            title=c.title,
            demonstration=c.demonstration,
            weight=c.weight,
            must_pass=c.must_pass,
            score=saved[c.pk].score if c.pk in saved else None,
            not_applicable=saved[c.pk].not_applicable if c.pk in saved else False,
        )
        for c in criteria
    ]
    results = scoring.results_by_demonstration(
        inputs, size_class=application.size_class or "medium", thresholds=thresholds
    )
    finding = ComplianceFinding.objects.filter(application=application).first()
    suggestion = scoring.overall(
        results, route=application.route, compliance_concern=bool(finding and finding.concern)
    )
    return results, suggestion


def suggestion_with_unsaved_scores(
    application: Application,
    *,
    demonstration: str,
    scores: dict[int, dict],
    criteria: list[Criterion] | None = None,
    saved: Mapping[int, CriterionScore] | None = None,
) -> tuple[dict, scoring.Suggestion]:
    """What the scoring would say were one demonstration's scores saved as given (in the shape
    `review_save_scores` takes) and the others left as saved: the totals a reviewer sees change
    while scoring. Checked as saving checks them; nothing is saved. A criterion of the
    demonstration missing from `scores` counts as not scored. A caller that has already read the
    criteria and scores passes them in."""
    if criteria is None:
        criteria = applicable_criteria(application)
    if saved is None:
        saved = {s.criterion_id: s for s in application.criterion_scores.all()}
    group = [c for c in criteria if c.demonstration == demonstration]
    given = _checked_scores(criteria=group, scores=scores)
    replaced = {c.pk for c in group}
    kept = {pk: score for pk, score in saved.items() if pk not in replaced}
    return suggestion_for(application, criteria=criteria, saved=kept | given)


@transaction.atomic
def review_recommend(
    *,
    application: Application,
    reviewer: User,
    outcome: str,
    reasons: list[dict] | None = None,
    differs_reason: str = "",
) -> Application:
    """The reviewer's recommendation to the supervisor. It may differ from the scoring's
    suggestion only with a written reason; a denial carries its reasons (ground, demonstration,
    text) — by default the suggestion's."""
    if not reviewer.has_perm("reviews.score_application", application):
        raise PermissionDenied("Only the assigned reviewer recommends, while the review is open.")
    _, suggestion = suggestion_for(application)
    if suggestion.outcome == scoring.Outcome.INCOMPLETE:
        raise ValidationError("Score every criterion that applies before recommending.")
    differs = scoring.differs_from_suggestion(suggestion, outcome)
    if differs and not differs_reason.strip():
        raise ValidationError(
            {
                "differs_reason": f"The scoring suggests: {suggestion.headline}. Say why you "
                "recommend otherwise."
            }
        )
    if outcome == "denied":
        # The suggestion's grounds, and any the reviewer adds.
        reasons = [r for r in suggestion.reasons_as_dicts() if r["ground"]] + list(reasons or [])
        if not reasons:
            raise ValidationError(
                {"reason_text": "A denial sets out at least one reason: give its ground and text."}
            )
    else:
        reasons = []
    differs_reason = differs_reason.strip() if differs else ""
    workflow.application_recommend(
        application=application,
        actor=reviewer,
        outcome=outcome,
        reasons=reasons or [],
        details={"suggestion": suggestion.outcome, "differs_reason": differs_reason},
    )
    Recommendation.objects.create(
        application=application,
        reviewer=reviewer,
        outcome=outcome,
        reasons=reasons or [],
        suggestion=suggestion.outcome,
        differs_reason=differs_reason,
    )
    return application


# What a supervisor may do with a recommendation: issue it as a decision, or return it.
SIGN_OFF_RETURN = "return"


@transaction.atomic
def review_sign_off(
    *, application: Application, supervisor: User, decision: str, comments: str = ""
) -> Application:
    """The supervisor's sign-off: issue the decision ("certified" or "denied") with the reasons of
    the recommendation, or return it to the reviewer with comments. The workflow checks that the
    supervisor is not the reviewer who recommended."""
    if decision == SIGN_OFF_RETURN:
        return workflow.application_return_for_rework(
            application=application, actor=supervisor, comments=comments
        )
    recommendation = selectors.recommendation_latest(application=application)
    if recommendation is None:
        raise TransitionNotAllowed("There is no recommendation to sign off.")
    workflow.application_decide(
        application=application,
        actor=supervisor,
        outcome=decision,
        reasons=recommendation.reasons,
        recommended_by=recommendation.reviewer,
    )
    return application


@transaction.atomic
def review_request_information(
    *,
    application: Application,
    reviewer: User,
    questions: list[workflow.Question],
    due,
    with_letter: bool = False,
):
    """Ask the applicant questions about chosen demonstrations; the applicant is told at once
    (in the service and by email, through the workflow's notifications), and with `with_letter`
    also gets the questions as a letter to download."""
    if not reviewer.has_perm("reviews.score_application", application):
        raise PermissionDenied("Only the assigned reviewer asks, while the review is open.")
    return workflow.application_request_information(
        application=application,
        actor=reviewer,
        questions=questions,
        due=due,
        with_letter=with_letter,
    )


@transaction.atomic
def review_acknowledge_answers(*, application: Application, reviewer: User) -> None:
    """The reviewer has seen the applicant's answers: the queue stops flagging them."""
    if application.assigned_reviewer_id == reviewer.pk:
        information_request_acknowledge(application=application)
