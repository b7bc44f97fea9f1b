"""CBP staff are told what needs them (an assignment, answers arrived, a recommendation to sign
off), in the service always and by email unless they chose otherwise."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from certification import workflow
from certification.models import Notification, StaffEmailChoice
from recordkeepers.models import StaffRole
from reviews.services import review_assign, review_claim
from tests.factories import draft_application, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(owner_a):
    application = draft_application(owner=owner_a)
    workflow.application_submit(application=application, actor=owner_a)
    return application


def messages_to(user):
    return list(Notification.objects.filter(recipient=user).values_list("event__verb", flat=True))


def test_a_reviewer_is_told_when_a_supervisor_assigns_them_but_not_when_they_claim(
    django_capture_on_commit_callbacks, submitted, reviewer, other_reviewer, supervisor, owner_b
):
    with django_capture_on_commit_callbacks(execute=True):
        review_assign(application=submitted, actor=supervisor, reviewer=reviewer)
    assert messages_to(reviewer) == ["review.assigned"]
    assert [m.to for m in mail.outbox if "assigned" in m.body] == [[reviewer.email]]
    application = draft_application(owner=owner_b)
    workflow.application_submit(application=application, actor=owner_b)
    review_claim(application=application, actor=other_reviewer, no_conflict=True)
    assert messages_to(other_reviewer) == []


def test_the_reviewer_is_told_when_answers_arrive(owner_a, reviewer, submitted):
    review_claim(application=submitted, actor=reviewer, no_conflict=True)
    request = workflow.application_request_information(
        application=submitted,
        actor=reviewer,
        questions=["Who keeps the records?"],
        due=timezone.localdate() + timezone.timedelta(days=30),
    )
    request.items.update(answer="Our compliance manager.")
    workflow.application_answer_information_request(application=submitted, actor=owner_a)
    assert "application.information_provided" in messages_to(reviewer)


def test_supervisors_are_told_a_recommendation_waits_and_choose_their_emails(
    django_capture_on_commit_callbacks, reviewer, supervisor, submitted
):
    quiet = staff_user(StaffRole.SUPERVISOR, email="quiet@cbp.example.gov")
    StaffEmailChoice.objects.create(user=quiet, topic="sign_off", email=False)
    review_claim(application=submitted, actor=reviewer, no_conflict=True)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.application_recommend(application=submitted, actor=reviewer, outcome="certified")
    assert messages_to(supervisor) == ["review.recommended"]
    assert messages_to(quiet) == ["review.recommended"]  # in the service all the same
    assert messages_to(reviewer) == []
    emailed = [m.to for m in mail.outbox if "sign-off" in m.body]
    assert emailed == [[supervisor.email]]
    assert Notification.objects.get(recipient=quiet).send_email is False


def test_staff_choose_their_emails_on_a_page_of_their_own(as_staff, client, reviewer, owner_a):
    page = as_staff(reviewer).get(reverse("notifications:email-choices"))
    assert page.status_code == 200 and "An application is assigned to me" in page.text
    response = client.post(reverse("notifications:email-choices"), {"topics": ["answers"]})
    assert response.status_code == 302
    choices = dict(StaffEmailChoice.objects.filter(user=reviewer).values_list("topic", "email"))
    assert choices == {
        "assignment": False,
        "answers": True,
        "sign_off": False,
        "participants": False,
        "appeals": False,
    }
    client.force_login(owner_a)
    assert client.get(reverse("notifications:email-choices")).status_code == 404


def test_staff_see_their_messages_in_the_header(as_staff, reviewer):
    page = as_staff(reviewer).get(reverse("reviews:dashboard"))
    assert reverse("notifications:list") in page.text
