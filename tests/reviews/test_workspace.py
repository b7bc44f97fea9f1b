"""The review workspace: scoring every criterion, the compliance finding, asking for information,
recommending, and the supervisor's sign-off, through the test client."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from certification import workflow
from certification.models import ApplicationStatus, Decision, Event
from reviews.models import CriterionScore
from reviews.services import applicable_criteria, review_claim
from tests.factories import draft_application


@pytest.fixture
def claimed(owner_a, reviewer):
    application = draft_application(owner=owner_a)
    workflow.application_submit(application=application, actor=owner_a)
    review_claim(application=application, reviewer=reviewer, no_conflict=True)
    return application


@pytest.fixture
def staff_client(client, enrol_totp):
    def sign_in(user):
        enrol_totp(user)
        client.force_login(user)
        return client

    return sign_in


def score_everything(client, application, score: int) -> None:
    for demonstration in ["i", "ii", "iii", "iv", "v", "vi"]:
        data = {
            f"{demonstration}-score_{c.pk}": str(score)
            for c in applicable_criteria(application)
            if c.demonstration == demonstration
        }
        response = client.post(
            reverse("reviews:save-scores", args=[application.pk, demonstration]), data
        )
        assert response.status_code == 302, response.content.decode()[:2000]


def test_a_reviewer_scores_recommends_and_a_supervisor_certifies(
    staff_client, claimed, reviewer, supervisor
):
    client = staff_client(reviewer)
    page = client.get(reverse("reviews:workspace", args=[claimed.pk]))
    assert page.status_code == 200
    assert "The scoring suggests: Scoring incomplete" in page.text
    score_everything(client, claimed, 3)
    criteria = applicable_criteria(claimed)
    assert CriterionScore.objects.filter(application=claimed).count() == len(criteria)
    page = client.get(reverse("reviews:workspace", args=[claimed.pk]))
    assert "The scoring suggests: Certify under the general recordkeeping requirements" in page.text
    response = client.post(
        reverse("reviews:recommend", args=[claimed.pk]), {"outcome": "certified"}
    )
    assert response.status_code == 302
    claimed.refresh_from_db()
    assert claimed.status == ApplicationStatus.RECOMMENDED
    # The recommending reviewer is no supervisor: the sign-off page does not exist for them.
    assert client.get(reverse("reviews:sign-off", args=[claimed.pk])).status_code == 404

    client = staff_client(supervisor)
    assert client.get(reverse("reviews:sign-off", args=[claimed.pk])).status_code == 200
    response = client.post(
        reverse("reviews:sign-off", args=[claimed.pk]), {"decision": "certified"}
    )
    assert response.status_code == 302
    claimed.refresh_from_db()
    assert claimed.status == ApplicationStatus.CERTIFIED
    assert Decision.objects.get(application=claimed).decided_by == supervisor


def test_recommending_against_the_suggestion_needs_a_reason(staff_client, claimed, reviewer):
    client = staff_client(reviewer)
    score_everything(client, claimed, 3)
    url = reverse("reviews:recommend", args=[claimed.pk])
    refused = client.post(url, {"outcome": "denied"})
    assert refused.status_code == 400
    assert "Say why you recommend otherwise" in refused.text
    no_reason = client.post(url, {"outcome": "denied", "differs_reason": "Site visit."})
    assert no_reason.status_code == 400
    assert "A denial sets out at least one reason" in no_reason.text
    response = client.post(
        url,
        {
            "outcome": "denied",
            "differs_reason": "The site visit found no records room.",
            "reason_ground": "163.13(b)(1)(i)",
            "reason_demonstration": "v",
            "reason_text": "The original records are not kept as described.",
        },
    )
    assert response.status_code == 302
    event = Event.objects.filter(application=claimed, verb="review.recommended").get()
    assert event.data["differs_reason"] == "The site visit found no records room."
    assert event.data["reasons"] == [
        {
            "ground": "163.13(b)(1)(i)",
            "demonstration": "v",
            "text": "The original records are not kept as described.",
        }
    ]


def test_absent_scores_suggest_a_denial_with_reasons(staff_client, claimed, reviewer, supervisor):
    client = staff_client(reviewer)
    score_everything(client, claimed, 0)
    client.post(reverse("reviews:recommend", args=[claimed.pk]), {"outcome": "denied"})
    event = Event.objects.get(application=claimed, verb="review.recommended")
    grounds = {(r["ground"], r["demonstration"]) for r in event.data["reasons"]}
    assert ("163.13(b)(1)(i)", "iii") in grounds
    client = staff_client(supervisor)
    client.post(reverse("reviews:sign-off", args=[claimed.pk]), {"decision": "denied"})
    claimed.refresh_from_db()
    assert claimed.status == ApplicationStatus.DENIED
    assert claimed.decision.reasons == event.data["reasons"]


def test_the_reviewer_asks_for_information_and_the_answer_is_flagged(
    staff_client, claimed, reviewer
):
    client = staff_client(reviewer)
    url = reverse("reviews:request-information", args=[claimed.pk])
    assert client.get(url).status_code == 200
    due = (timezone.localdate() + timedelta(days=20)).strftime("%m/%d/%Y")
    response = client.post(
        url, {"due": due, "demonstration_1": "iii", "question_1": "Send your SOP-08."}
    )
    assert response.status_code == 302
    claimed.refresh_from_db()
    assert claimed.status == ApplicationStatus.INFO_REQUESTED
    item = claimed.information_requests.get().items.get()
    assert (item.demonstration, item.question) == ("iii", "Send your SOP-08.")


def test_others_cannot_open_or_score(staff_client, claimed, other_reviewer, owner_a):
    client = staff_client(other_reviewer)
    assert client.get(reverse("reviews:workspace", args=[claimed.pk])).status_code == 404
    response = client.post(reverse("reviews:save-scores", args=[claimed.pk, "i"]), {})
    assert response.status_code == 404
    client.force_login(owner_a)
    for name in ["workspace", "request-information", "sign-off"]:
        assert client.get(reverse(f"reviews:{name}", args=[claimed.pk])).status_code == 404


def test_a_supervisor_cannot_sign_off_their_own_recommendation(staff_client, claimed, reviewer):
    client = staff_client(reviewer)
    score_everything(client, claimed, 3)
    client.post(reverse("reviews:recommend", args=[claimed.pk]), {"outcome": "certified"})
    # Promoted to supervisor afterwards: still not the one to sign their own recommendation off.
    reviewer.groups.add(Group.objects.get_or_create(name="supervisor")[0])
    response = client.post(
        reverse("reviews:sign-off", args=[claimed.pk]), {"decision": "certified"}
    )
    assert response.status_code == 400
    assert "cannot also sign the decision off" in response.text
    claimed.refresh_from_db()
    assert claimed.status == ApplicationStatus.RECOMMENDED
