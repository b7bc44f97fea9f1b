"""The Recommendation row: written with the recommend move, read by the sign-off, and filled from
the events of recommendations made before it existed."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from certification import workflow
from certification.errors import TransitionNotAllowed
from certification.models import ApplicationStatus, Decision
from reviews.models import Recommendation
from reviews.selectors import recommendation_latest
from reviews.services import review_claim, review_sign_off
from tests.factories import draft_application, start_review
from tests.reviews.test_workspace import DENY_III, score_everything

SITE_VISIT = {
    "ground": "163.13(b)(1)(i)",
    "demonstration": "v",
    "text": "The site visit found no records room.",
}


@pytest.fixture
def claimed(owner_a, reviewer):
    application = draft_application(owner=owner_a)
    workflow.application_submit(application=application, actor=owner_a)
    review_claim(application=application, actor=reviewer, no_conflict=True)
    return application


@pytest.fixture
def recommended_without_row(owner_a, reviewer):
    """Recommended through the workflow alone, as before the row existed: an event, no row."""
    application = draft_application(owner=owner_a)
    workflow.application_submit(application=application, actor=owner_a)
    start_review(application=application, reviewer=reviewer)
    workflow.application_recommend(
        application=application,
        actor=reviewer,
        outcome=Decision.Outcome.DENIED,
        reasons=[SITE_VISIT],
        details={"suggestion": "certified", "differs_reason": "The site visit."},
    )
    return application


def test_recommending_writes_the_row_beside_the_event(as_staff, claimed, reviewer):
    client = as_staff(reviewer)
    score_everything(client, claimed, 0)
    client.post(reverse("reviews:recommend", args=[claimed.pk]), DENY_III)
    event = claimed.events.get(verb="review.recommended")
    row = Recommendation.objects.get(application=claimed)
    assert (row.reviewer, row.outcome, row.reasons) == (
        reviewer,
        Decision.Outcome.DENIED,
        event.data["reasons"],
    )
    assert (row.suggestion, row.differs_reason) == ("denied", "")
    assert row.scoring_notes == event.data["scoring_notes"]
    assert {note["demonstration"] for note in row.scoring_notes} >= {"iii"}


def test_the_sign_off_issues_the_latest_rows_reasons(
    as_staff, claimed, reviewer, other_reviewer, supervisor
):
    client = as_staff(reviewer)
    score_everything(client, claimed, 0)
    client.post(reverse("reviews:recommend", args=[claimed.pk]), DENY_III)
    # A later row, as a returned and remade recommendation would leave: the one signed off.
    latest = Recommendation.objects.create(
        application=claimed, reviewer=other_reviewer, outcome="denied", reasons=[SITE_VISIT]
    )
    assert recommendation_latest(application=claimed) == latest
    page = as_staff(supervisor).get(reverse("reviews:sign-off", args=[claimed.pk]))
    assert "The site visit found no records room." in page.text

    claimed.refresh_from_db()
    review_sign_off(application=claimed, actor=supervisor, decision="denied")

    decision = Decision.objects.get(application=claimed)
    assert decision.reasons == [SITE_VISIT]
    assert decision.recommended_by == other_reviewer


def test_there_is_nothing_to_sign_off_without_a_recommendation(
    recommended_without_row, supervisor, as_staff
):
    with pytest.raises(TransitionNotAllowed, match="There is no recommendation to sign off"):
        review_sign_off(application=recommended_without_row, actor=supervisor, decision="denied")
    recommended_without_row.refresh_from_db()
    assert recommended_without_row.status == ApplicationStatus.RECOMMENDED
    page = as_staff(supervisor).get(reverse("reviews:sign-off", args=[recommended_without_row.pk]))
    assert page.status_code == 404


def test_the_migration_makes_a_row_of_each_recommended_event(recommended_without_row, reviewer):
    migration = importlib.import_module("reviews.migrations.0004_recommendation")
    state = MigrationExecutor(connection).loader.project_state()

    migration.copy_recommendations(state.apps, None)

    event = recommended_without_row.events.get(verb="review.recommended")
    row = Recommendation.objects.get(application=recommended_without_row)
    assert (row.reviewer, row.outcome, row.reasons, row.created_at) == (
        reviewer,
        "denied",
        [SITE_VISIT],
        event.created_at,
    )
    assert (row.suggestion, row.differs_reason) == ("certified", "The site visit.")
