"""Reads of the scores: the criteria that apply to an application, its saved scores, and what
the pure scoring module (`reviews.scoring`) makes of them with the admins' settings."""

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from certification.models import (
    Application,
    Criterion,
)
from recordkeepers.models import RiskFlag
from reviews import scoring
from reviews.models import ComplianceFinding, CriterionScore, ReviewThresholds, ScoringSettings


def applicable_criteria(*, application: Application) -> list[Criterion]:
    """The criteria of the application's pinned edition that apply to its risk profile."""
    flags = declared_risk_flags(application=application)
    edition = application.handbook_edition
    if edition is None:
        return []
    return [
        c
        for c in edition.criteria.order_by("demonstration", "position", "code")
        if c.applies_to(flags)
    ]


@dataclass(frozen=True)
class GivenScore:
    """A score as the reviewer gives it, checked but not saved: what `suggestion_for` reads of a
    saved `CriterionScore`."""

    score: int | None
    not_applicable: bool
    notes: str = ""


def checked_scores(*, criteria: list[Criterion], scores: dict[int, dict]) -> dict[int, GivenScore]:
    """The reviewer's scores for `criteria`, checked as a saved score must be: only those criteria,
    N/A only where a criterion allows it, and 0 to 3. Raises ValidationError otherwise."""
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


def saved_scores(*, application: Application) -> dict[int, CriterionScore]:
    """The application's saved scores by criterion id."""
    return {s.criterion_id: s for s in application.criterion_scores.all()}


def declared_risk_flags(*, application: Application) -> set[str]:
    return set((application.profile_snapshot or {}).get("risk_flags") or [])


def current_thresholds(*, application: Application | None = None) -> ReviewThresholds:
    """The admins' scoring settings as they stand now, as an unsaved pin for `application`: with
    the raises for its declared risk flags only (none without an application)."""
    settings = ScoringSettings.current()
    flags = declared_risk_flags(application=application) if application else set()
    raises = [
        {"flag": flag, "by": str(settings.raise_for(flag))}
        for flag in RiskFlag.values
        if flag in flags and settings.raise_for(flag) > 0
    ]
    return ReviewThresholds(
        application=application,
        met_micro=settings.met_micro,
        met_small=settings.met_small,
        met_medium=settings.met_medium,
        met_large=settings.met_large,
        information_band=settings.information_band,
        raises=raises,
    )


def scoring_thresholds(*, application: Application | None = None) -> scoring.Thresholds:
    """The thresholds `application`'s scores are judged by, as the pure scoring module takes
    them: those pinned when its review started, or, before that, the admins' current settings
    with the raises for its declared risk flags."""
    pinned = (
        ReviewThresholds.objects.filter(application=application).first() if application else None
    )
    row = pinned or current_thresholds(application=application)
    return scoring.Thresholds(
        micro=row.met_micro,
        small=row.met_small,
        medium=row.met_medium,
        large=row.met_large,
        information_band=row.information_band,
        raises=tuple(scoring.Raise(flag=r["flag"], by=r["by"]) for r in row.raises),
    )


def suggestion_for(
    *,
    application: Application,
    criteria: list[Criterion] | None = None,
    saved: Mapping[int, CriterionScore | GivenScore] | None = None,
    compliance_concern: bool | None = None,
) -> tuple[dict[str, scoring.DemonstrationResult], scoring.Suggestion]:
    """The scoring's results per demonstration and its overall suggestion, from the saved scores
    (or from scores given but not saved: `suggestion_with_unsaved_scores`). A caller that has
    already read the criteria, scores or compliance finding (its `concern`) passes them in."""
    if criteria is None:
        criteria = applicable_criteria(application=application)
    if saved is None:
        saved = saved_scores(application=application)
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
        inputs,
        size_class=application.size_class or "medium",
        thresholds=scoring_thresholds(application=application),
    )
    if compliance_concern is None:
        finding = ComplianceFinding.objects.filter(application=application).first()
        compliance_concern = bool(finding and finding.concern)
    suggestion = scoring.overall(
        results, route=application.route, compliance_concern=compliance_concern
    )
    return results, suggestion


def suggestion_with_unsaved_scores(
    *,
    application: Application,
    scores: dict[int, dict],
    criteria: list[Criterion] | None = None,
    saved: Mapping[int, CriterionScore] | None = None,
) -> tuple[dict[str, scoring.DemonstrationResult], scoring.Suggestion]:
    """What the scoring would say were the scores given (in the shape `review_save_scores` takes)
    saved, and every criterion they leave out kept as saved: the totals a reviewer sees change
    while scoring. Checked as saving checks them; nothing is saved. A caller that has already read
    the criteria and scores passes them in."""
    if criteria is None:
        criteria = applicable_criteria(application=application)
    if saved is None:
        saved = saved_scores(application=application)
    given = checked_scores(criteria=criteria, scores=scores)
    kept: dict[int, CriterionScore | GivenScore] = {
        pk: score for pk, score in saved.items() if pk not in given
    }
    return suggestion_for(application=application, criteria=criteria, saved=kept | given)
