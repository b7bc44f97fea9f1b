"""The workload panel on the staff dashboard, and the expected timeline an applicant sees."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from certification import workflow
from certification.models import WorkloadSettings
from reviews.workload import reviewers_with_open_count
from tests.factories import draft_application, start_review


def long_date(day) -> str:
    return f"{day:%B} {day.day}, {day.year}"


@pytest.fixture
def busy(submitted, owner_b, reviewer, other_reviewer):
    """The reviewer works on one application; the other reviewer has none; one application waits."""
    in_review = draft_application(owner=owner_b)
    workflow.application_submit(application=in_review, actor=owner_b)
    start_review(application=in_review, reviewer=reviewer)
    return {"waiting": submitted, "in_review": in_review}


def test_each_reviewer_is_counted_in_one_query(
    busy, reviewer, other_reviewer, supervisor, django_assert_num_queries
):
    # The reviewers, and the counts over the applications (cached until the workflow moves one).
    with django_assert_num_queries(2):
        counts = {r.pk: r.open_count for r in reviewers_with_open_count()}
    assert counts == {reviewer.pk: 1, other_reviewer.pk: 0}  # a supervisor is not a reviewer
    with django_assert_num_queries(1):
        assert {r.pk: r.open_count for r in reviewers_with_open_count()} == counts


def test_the_dashboard_shows_open_work_against_capacity(
    as_staff, busy, supervisor, reviewer, other_reviewer
):
    page = as_staff(supervisor).get(reverse("reviews:dashboard"))
    assert page.status_code == 200
    text = page.text
    assert "Open applications for each reviewer, against a capacity of 8" in text
    assert str(reviewer) in text and str(other_reviewer) in text
    assert "1 of 8" in text and "0 of 8" in text
    assert "1 of 16" in text  # the total
    assert "Waiting for a reviewer: 1 application." in text
    decided = timezone.localdate() + timedelta(days=45)
    assert (
        f"Small: a newly submitted application would start review today "
        f"(and be decided by about {long_date(decided)})" in text
    )
    assert "Demand exceeds capacity" not in text


def test_over_capacity_is_said_plainly(as_staff, busy, reviewer):
    WorkloadSettings.objects.update_or_create(pk=1, defaults={"reviewer_capacity": 1})
    page = as_staff(reviewer).get(reverse("reviews:dashboard"))
    text = page.text
    assert "1 of 1" in text and "0 of 1" in text
    # Two places, one taken, one application waiting: a new one waits a whole period.
    assert "Demand exceeds capacity" in text
    start = timezone.localdate() + timedelta(days=45)
    assert f"start review on about {long_date(start)}" in text
    assert f"decided by about {long_date(start + timedelta(days=45))}" in text


def test_a_reviewer_over_capacity_is_flagged(as_staff, busy, reviewer):
    WorkloadSettings.objects.update_or_create(pk=1, defaults={"reviewer_capacity": 0})
    text = as_staff(reviewer).get(reverse("reviews:dashboard")).text
    assert "Over capacity" in text
    assert "Reviewer capacity is set to 0, so no start date can be projected." in text


def test_the_applicant_sees_the_expected_timeline(client, busy, owner_a):
    client.force_login(owner_a)
    page = client.get(reverse("certification:application-detail", args=[busy["waiting"].pk]))
    decided = timezone.localdate() + timedelta(days=45)
    assert "CBP will assign a reviewer." in page.text
    assert (
        f"CBP expects to start reviewing it shortly, and to decide by about {long_date(decided)}."
        in page.text
    )
    assert "later than usual" not in page.text


def test_a_long_line_is_explained_to_the_applicant(client, busy, owner_a, other_reviewer):
    # One place, and the reviewer holding it already works on the other application.
    WorkloadSettings.objects.update_or_create(pk=1, defaults={"reviewer_capacity": 1})
    other_reviewer.is_active = False
    other_reviewer.save()
    client.force_login(owner_a)
    page = client.get(reverse("certification:application-detail", args=[busy["waiting"].pk]))
    start = timezone.localdate() + timedelta(days=45)
    assert (
        f"CBP expects to start reviewing it by about {long_date(start)}, and to decide by about "
        f"{long_date(start + timedelta(days=45))}. Many applications are waiting, so this is later "
        "than usual." in page.text
    )


def test_no_timeline_once_the_review_has_started(client, busy, owner_b):
    client.force_login(owner_b)
    page = client.get(reverse("certification:application-detail", args=[busy["in_review"].pk]))
    assert page.status_code == 200
    assert "CBP expects" not in page.text
    assert "applications are waiting" not in page.text
