"""A reviewer with a conflict of interest steps aside: the application leaves their queue and their
access, and the supervisor sees why when reassigning it."""

import pytest
from django.urls import reverse

from certification.models import Event
from recordkeepers.models import StaffRole
from reviews.models import Recusal
from reviews.selectors import queue_visible_to
from reviews.services import review_assign, review_claim
from tests.factories import staff_user

pytestmark = pytest.mark.django_db


def test_the_assigned_reviewer_steps_aside_and_loses_the_application(as_staff, reviewer, submitted):
    review_claim(application=submitted, actor=reviewer, no_conflict=True)
    client = as_staff(reviewer)
    url = reverse("reviews:recuse", args=[submitted.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "My sister is their customs broker."})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.assigned_reviewer is None
    assert submitted.status == "in_review"  # waits for a supervisor to reassign it
    assert Recusal.objects.get(application=submitted).reviewer == reviewer
    event = Event.objects.get(application=submitted, verb="review.recused")
    assert event.data == {"reason": "My sister is their customs broker.", "was_assigned": True}
    assert not event.applicant_visible
    assert submitted.pk not in queue_visible_to(user=reviewer).values_list("pk", flat=True)
    detail = reverse("certification:application-detail", args=[submitted.pk])
    assert client.get(detail).status_code == 404
    assert client.get(reverse("reviews:workspace", args=[submitted.pk])).status_code == 404


def test_a_reviewer_steps_aside_from_one_they_could_take(
    as_staff, reviewer, other_reviewer, submitted
):
    client = as_staff(reviewer)
    client.post(reverse("reviews:recuse", args=[submitted.pk]), {"reason": "Former employer."})
    assert client.get(reverse("reviews:claim", args=[submitted.pk])).status_code == 404
    # Another reviewer may still take it.
    assert submitted.pk in queue_visible_to(user=other_reviewer).values_list("pk", flat=True)


def test_stepping_aside_needs_a_reason_beside_the_field(as_staff, reviewer, submitted):
    response = as_staff(reviewer).post(
        reverse("reviews:recuse", args=[submitted.pk]), {"reason": ""}
    )
    assert response.status_code == 400
    assert "Say what the conflict of interest is." in response.text
    assert not Recusal.objects.exists()


def test_a_reviewer_cannot_step_aside_from_what_they_cannot_see(
    as_staff, reviewer, other_reviewer, submitted
):
    review_claim(application=submitted, actor=other_reviewer, no_conflict=True)
    response = as_staff(reviewer).post(
        reverse("reviews:recuse", args=[submitted.pk]), {"reason": "x"}
    )
    assert response.status_code == 404
    assert not Recusal.objects.exists()


def test_the_supervisor_sees_who_stepped_aside_and_cannot_give_it_back(
    as_staff, reviewer, supervisor, submitted
):
    as_staff(reviewer).post(
        reverse("reviews:recuse", args=[submitted.pk]), {"reason": "Former employer."}
    )
    client = as_staff(supervisor)
    url = reverse("reviews:assign", args=[submitted.pk])
    page = client.get(url)
    assert "Former employer." in page.text and str(reviewer) in page.text
    response = client.post(url, {"reviewer": reviewer.pk, "override_reason": "Needed."})
    assert response.status_code == 400
    assert "stepped aside from this application: Former employer." in response.text
    submitted.refresh_from_db()
    assert submitted.assigned_reviewer is None


def test_a_supervisor_s_recorded_override_lets_a_linked_reviewer_see_what_they_assigned(
    as_staff, supervisor, submitted
):
    domain = submitted.organisation.memberships.first().user.email.split("@")[1]
    linked = staff_user(StaffRole.REVIEWER, email=f"audit@{domain}")
    detail = reverse("certification:application-detail", args=[submitted.pk])
    client = as_staff(linked)
    assert client.get(detail).status_code == 404  # a detected link: not even to take
    review_assign(
        application=submitted,
        actor=supervisor,
        reviewer=linked,
        override_reason="Different division; no contact with the applicant.",
    )
    assert client.get(detail).status_code == 200
