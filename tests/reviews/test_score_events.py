"""Scores and the compliance finding: a score can be cleared, and every change is in CBP's record
(who, which criterion, from what to what), while saving what did not change records nothing."""

import pytest
from django.urls import reverse

from certification.models import Event
from reviews.models import CriterionScore
from reviews.selectors import applicable_criteria
from reviews.services import review_claim, review_record_compliance_finding, review_save_scores

pytestmark = pytest.mark.django_db


@pytest.fixture
def claimed(submitted, reviewer):
    review_claim(application=submitted, actor=reviewer, no_conflict=True)
    return submitted


def scored_events(application):
    return list(
        Event.objects.filter(application=application, verb="review.criterion_scored")
        .order_by("pk")
        .values_list("actor__email", "data")
    )


def test_each_change_of_a_score_is_an_event_and_a_resave_is_not(claimed, reviewer):
    criterion = applicable_criteria(application=claimed)[0]
    review_save_scores(application=claimed, actor=reviewer, scores={criterion.pk: {"score": 2}})
    review_save_scores(application=claimed, actor=reviewer, scores={criterion.pk: {"score": 2}})
    review_save_scores(
        application=claimed,
        actor=reviewer,
        scores={criterion.pk: {"score": 3, "notes": "The SOP is thorough."}},
    )
    assert scored_events(claimed) == [
        (
            "reviewer@cbp.example.gov",
            {"criterion": criterion.code, "from": "not scored", "to": "2", "notes_changed": False},
        ),
        (
            "reviewer@cbp.example.gov",
            {"criterion": criterion.code, "from": "2", "to": "3", "notes_changed": True},
        ),
    ]
    assert not Event.objects.get(verb="review.criterion_scored", data__to="3").applicant_visible


def test_a_chosen_score_can_be_cleared_from_the_workspace(as_staff, claimed, reviewer):
    criterion = next(c for c in applicable_criteria(application=claimed) if c.demonstration == "i")
    review_save_scores(application=claimed, actor=reviewer, scores={criterion.pk: {"score": 1}})
    client = as_staff(reviewer)
    page = client.get(reverse("reviews:workspace", args=[claimed.pk]))
    assert "Not scored yet" in page.text
    response = client.post(
        reverse("reviews:save-scores", args=[claimed.pk]), {f"score_{criterion.pk}": "none"}
    )
    assert response.status_code == 302
    row = CriterionScore.objects.get(application=claimed, criterion=criterion)
    assert (row.score, row.not_applicable) == (None, False)
    assert scored_events(claimed)[-1][1]["to"] == "not scored"


def test_each_change_of_the_finding_is_an_event(claimed, reviewer):
    review_record_compliance_finding(application=claimed, actor=reviewer, concern=False, notes="")
    review_record_compliance_finding(application=claimed, actor=reviewer, concern=False, notes="")
    review_record_compliance_finding(
        application=claimed, actor=reviewer, concern=True, notes="Two open penalty cases."
    )
    events = list(
        Event.objects.filter(application=claimed, verb="review.finding_recorded")
        .order_by("pk")
        .values_list("data", flat=True)
    )
    assert events == [
        {"from": None, "to": "no concern", "notes_changed": True},
        {"from": "no concern", "to": "concern", "notes_changed": True},
    ]


def test_saving_scores_takes_the_same_queries_for_one_criterion_changed_or_all(claimed, reviewer):
    """The rows and their events are written in a few statements, not three per criterion."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    criteria = applicable_criteria(application=claimed)
    assert len(criteria) > 10

    def save(scores) -> int:
        with CaptureQueriesContext(connection) as captured:
            review_save_scores(application=claimed, actor=reviewer, scores=scores)
        return len(captured.captured_queries)

    save({criteria[0].pk: {"score": 1}})
    one = save({criteria[0].pk: {"score": 2}})  # one updated
    every = save({c.pk: {"score": 2} for c in criteria})  # the rest added
    again = save({c.pk: {"score": 3} for c in criteria})  # all updated
    assert one == every == again
    assert CriterionScore.objects.filter(application=claimed, score=3).count() == len(criteria)
    assert len(scored_events(claimed)) == 2 + (len(criteria) - 1) + len(criteria)
    assert [data["to"] for _, data in scored_events(claimed)][-len(criteria) :] == ["3"] * len(
        criteria
    )
