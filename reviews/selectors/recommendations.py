"""Reads of the reviewer's recommendation, which a supervisor signs off."""

from django.utils import timezone

from certification.letters.content import DecisionFacts, decision_facts_on
from certification.models import (
    Application,
)
from reviews.models import Recommendation, Recusal


def recommendation_latest(*, application: Application) -> Recommendation | None:
    """The reviewer's latest recommendation on the application: what a supervisor signs off."""
    return (
        Recommendation.objects.select_related("reviewer")
        .filter(application=application)
        .order_by("-created_at", "-pk")
        .first()
    )


def recusals_for(*, application: Application) -> list[Recusal]:
    """The reviewers who stepped aside from the application, and why, oldest first: what a
    supervisor reads before reassigning it."""
    return list(
        Recusal.objects.select_related("reviewer")
        .filter(application=application)
        .order_by("created_at", "pk")
    )


def recommendation_as_decision(
    *, application: Application, recommendation: Recommendation
) -> DecisionFacts:
    """The decision signing the recommendation off today would record, unsaved: its outcome and
    reasons, today's date and the appeal deadline from today. What the sign-off's preview shows."""
    return decision_facts_on(
        application=application,
        outcome=recommendation.outcome,
        reasons=recommendation.reasons,
        issued=timezone.localdate(),
    )
