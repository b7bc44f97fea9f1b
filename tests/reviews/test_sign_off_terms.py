"""Certifying a negotiated alternative program: the supervisor records the terms CBP agrees to,
starting from the applicant's proposal; the letter and the participant register state CBP's terms,
not the proposal."""

import pytest
from django.urls import reverse
from django.utils import timezone

from certification import workflow
from certification.letters import content as letters
from certification.models import Application, Decision
from participants.models import Participant
from reviews.selectors import applicable_criteria
from reviews.services import review_claim, review_recommend, review_save_scores
from tests.factories import draft_application

pytestmark = pytest.mark.django_db

PROPOSED = "Scans indexed by entry number.\nOriginals kept 60 days."
AGREED = "Scans indexed by entry number.\nOriginals kept 120 days after release."


@pytest.fixture
def recommended_alternative(owner_a, reviewer, handbook_in_force):
    application = draft_application(owner=owner_a)
    Application.objects.filter(pk=application.pk).update(
        route=Application.Route.ALTERNATIVE, proposed_terms=PROPOSED
    )
    application.refresh_from_db()
    workflow.application_submit(application=application, actor=owner_a)
    review_claim(application=application, actor=reviewer, no_conflict=True)
    review_save_scores(
        application=application,
        actor=reviewer,
        scores={c.pk: {"score": 3} for c in applicable_criteria(application=application)},
    )
    review_recommend(application=application, actor=reviewer, outcome="certified", reasons=[])
    application.refresh_from_db()
    return application


def test_the_supervisor_records_cbps_terms_and_they_are_what_is_certified(
    as_staff, recommended_alternative, supervisor
):
    client = as_staff(supervisor)
    url = reverse("reviews:sign-off", args=[recommended_alternative.pk])
    page = client.get(url)
    assert "The terms CBP agrees to" in page.text
    assert "Originals kept 60 days." in page.text  # the proposal, to start from

    response = client.post(url, {"decision": "certified", "terms": AGREED})

    assert response.status_code == 302
    decision = Decision.objects.get(application=recommended_alternative)
    assert decision.terms == AGREED
    context = letters.decision_context(decision, timezone.localdate())
    assert context["alternative_terms"] == [
        "Scans indexed by entry number.",
        "Originals kept 120 days after release.",
    ]
    participant = Participant.objects.get(decision=decision)
    assert (participant.route, participant.terms) == ("alternative", AGREED)


def test_blank_terms_are_refused_beside_the_field_and_nothing_is_decided(
    as_staff, recommended_alternative, supervisor
):
    client = as_staff(supervisor)
    url = reverse("reviews:sign-off", args=[recommended_alternative.pk])
    response = client.post(url, {"decision": "certified", "terms": "  "})
    assert response.status_code == 400
    assert "Record the terms CBP agrees to for the negotiated alternative program." in response.text
    recommended_alternative.refresh_from_db()
    assert recommended_alternative.status == "recommended"
    assert not Decision.objects.exists() and not Participant.objects.exists()


def test_a_general_program_has_no_terms_field(as_staff, owner_b, reviewer, supervisor):
    from tests.reviews.test_letter_reasons import recommended_denial

    application = recommended_denial(owner=owner_b, reviewer=reviewer)
    page = as_staff(supervisor).get(reverse("reviews:sign-off", args=[application.pk]))
    assert "The terms CBP agrees to" not in page.text
