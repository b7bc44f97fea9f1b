"""The applicant's answers are marked read by a POST of the assigned reviewer: opening the
workspace changes nothing, and nobody else can mark them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from certification import workflow
from certification.models import InformationRequest
from certification.services.information_requests import information_request_save_answers
from reviews.selectors import QueueFilters, queue
from reviews.services import review_claim, review_request_information
from tests.factories import draft_application


@pytest.fixture
def answered(owner_a, reviewer):
    """Claimed by `reviewer`, who asked a question that owner_a answered."""
    application = draft_application(owner=owner_a)
    workflow.application_submit(application=application, actor=owner_a)
    review_claim(application=application, actor=reviewer, no_conflict=True)
    request = review_request_information(
        application=application,
        actor=reviewer,
        questions=[workflow.Question(text="Send your SOP-08.", demonstration="iii")],
        due=timezone.localdate() + timedelta(days=20),
    )
    item = request.items.get()
    information_request_save_answers(
        information_request=request, actor=owner_a, answers={item.pk: "Attached as SOP-08 v2."}
    )
    workflow.application_answer_information_request(application=application, actor=owner_a)
    return application


def acknowledged_at(application):
    return InformationRequest.objects.get(application=application).acknowledged_at


def answers_flagged(application, user) -> bool:
    row = next(r for r in queue(user=user, filters=QueueFilters()) if r.pk == application.pk)
    return row.answers_arrived


def test_opening_the_workspace_leaves_the_answers_unread(as_staff, answered, reviewer):
    page = as_staff(reviewer).get(reverse("reviews:workspace", args=[answered.pk]))
    assert page.status_code == 200
    assert "Attached as SOP-08 v2." in page.text
    assert "Mark the answers as read" in page.text
    assert acknowledged_at(answered) is None
    assert answers_flagged(answered, reviewer)


def test_the_assigned_reviewer_marks_the_answers_read(as_staff, answered, reviewer):
    client = as_staff(reviewer)
    url = reverse("reviews:acknowledge-answers", args=[answered.pk])
    response = client.post(url)
    assert response.status_code == 302
    assert response.url == reverse("reviews:workspace", args=[answered.pk])
    assert acknowledged_at(answered) is not None
    assert not answers_flagged(answered, reviewer)
    page = client.get(reverse("reviews:workspace", args=[answered.pk]))
    assert "Mark the answers as read" not in page.text


def test_another_reviewer_cannot_mark_them(as_staff, answered, other_reviewer, supervisor):
    url = reverse("reviews:acknowledge-answers", args=[answered.pk])
    assert as_staff(other_reviewer).post(url).status_code == 404
    # A supervisor sees the workspace, but the answers are for the assigned reviewer to mark.
    assert as_staff(supervisor).post(url).status_code == 404
    assert acknowledged_at(answered) is None


def test_marking_them_read_is_post_only(as_staff, answered, reviewer):
    url = reverse("reviews:acknowledge-answers", args=[answered.pk])
    assert as_staff(reviewer).get(url).status_code == 405
    assert acknowledged_at(answered) is None
