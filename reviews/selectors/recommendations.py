"""Reads of the reviewer's recommendation, which a supervisor signs off."""

from certification.models import (
    Application,
)
from reviews.models import Recommendation


def recommendation_latest(*, application: Application) -> Recommendation | None:
    """The reviewer's latest recommendation on the application: what a supervisor signs off."""
    return (
        Recommendation.objects.select_related("reviewer")
        .filter(application=application)
        .order_by("-created_at", "-pk")
        .first()
    )
