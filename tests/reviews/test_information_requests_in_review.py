"""The review shows every round of CBP's questions with the applicant's answers and files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from certification import workflow
from certification.evidence.services import information_request_add_evidence
from certification.services.information_requests import information_request_save_answers
from reviews.models import Recommendation
from reviews.services import review_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(owner_a, reviewer, submitted):
    review_claim(application=submitted, actor=reviewer, no_conflict=True)
    request = workflow.application_request_information(
        application=submitted,
        actor=reviewer,
        questions=[workflow.Question(text="Send your retrieval SOP.", demonstration="iii")],
        due=timezone.localdate() + timezone.timedelta(days=30),
    )
    item = request.items.get()
    information_request_save_answers(
        information_request=request, actor=owner_a, answers={item.pk: "SOP-8 is attached."}
    )
    information_request_add_evidence(
        item=item,
        actor=owner_a,
        upload=SimpleUploadedFile("sop-8.txt", b"Retrieve within 5 days.\n"),
    )
    workflow.application_answer_information_request(application=submitted, actor=owner_a)
    return submitted


def test_the_workspace_shows_each_round_with_its_answers_and_files(as_staff, reviewer, answered):
    page = as_staff(reviewer).get(reverse("reviews:workspace", args=[answered.pk]))
    assert page.status_code == 200
    section = page.text.partition('id="information-requests"')[2]
    assert "Round 1: asked" in section
    assert "about demonstration (iii): Send your retrieval SOP." in section
    assert "SOP-8 is attached." in section
    assert "sop-8.txt" in section
    assert "New answers" in section


def test_the_queue_s_answers_arrived_leads_to_them(as_staff, reviewer, answered):
    queue = as_staff(reviewer).get(reverse("reviews:queue"))
    target = reverse("reviews:workspace", args=[answered.pk]) + "#information-requests"
    assert f'href="{target}"' in queue.text


def test_unsent_answers_stay_with_the_applicant(as_staff, owner_a, reviewer, submitted):
    review_claim(application=submitted, actor=reviewer, no_conflict=True)
    request = workflow.application_request_information(
        application=submitted,
        actor=reviewer,
        questions=["Who keeps the records?"],
        due=timezone.localdate() + timezone.timedelta(days=30),
    )
    item = request.items.get()
    information_request_save_answers(
        information_request=request, actor=owner_a, answers={item.pk: "A draft answer."}
    )
    page = as_staff(reviewer).get(reverse("reviews:workspace", args=[submitted.pk]))
    assert "Waiting for the answer." in page.text
    assert "A draft answer." not in page.text


def test_the_sign_off_page_shows_them_too(as_staff, reviewer, supervisor, answered):
    workflow.application_recommend(application=answered, actor=reviewer, outcome="certified")
    # What the review's recommend service writes beside the move, and the sign-off reads.
    Recommendation.objects.create(application=answered, reviewer=reviewer, outcome="certified")
    page = as_staff(supervisor).get(reverse("reviews:sign-off", args=[answered.pk]))
    assert page.status_code == 200
    assert "SOP-8 is attached." in page.text.partition('id="information-requests"')[2]
