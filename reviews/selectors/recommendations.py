"""Reads of the reviewer's recommendation, which a supervisor signs off."""

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
