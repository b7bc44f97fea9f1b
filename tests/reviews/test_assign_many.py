"""Assigning several applications at once: each is assigned or refused on its own, with why."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from certification import workflow
from recordkeepers.models import StaffRole
from reviews.models import ConflictDeclaration
from reviews.services import review_assign_many
from tests.factories import draft_application, staff_user


@pytest.fixture
def linked_reviewer(db):
    """A reviewer whose address is at acme.example, owner_a's organisation's domain."""
    return staff_user(StaffRole.REVIEWER, email="pat@acme.example")


@pytest.fixture
def two_submitted(owner_a, owner_b):
    applications = []
    for owner in (owner_a, owner_b):
        application = draft_application(owner=owner)
        workflow.application_submit(application=application, actor=owner)
        applications.append(application)
    return applications


def test_a_linked_application_is_refused_with_its_reason_and_the_others_assigned(
    as_staff, supervisor, linked_reviewer, two_submitted
):
    acme, other = two_submitted
    client = as_staff(supervisor)

    page = client.post(
        reverse("reviews:bulk-assign"),
        {"reviewer": linked_reviewer.pk, "applications": [acme.pk, other.pk]},
        follow=True,
    )

    assert page.status_code == 200
    acme.refresh_from_db()
    other.refresh_from_db()
    assert acme.assigned_reviewer is None
    assert other.assigned_reviewer == linked_reviewer
    assert f"Assigned to {linked_reviewer}: {other.reference}." in page.text
    assert f"{acme.reference}: {linked_reviewer}&#x27;s email address is at acme.example" in (
        page.text
    )
    assert "say why this is not a conflict of interest" in page.text
    # Only the assignment made left its declaration; the refused one left nothing.
    assert list(ConflictDeclaration.objects.values_list("application", flat=True)) == [other.pk]


def test_one_refusal_does_not_undo_the_others(supervisor, linked_reviewer, two_submitted):
    acme, other = two_submitted
    result = review_assign_many(
        applications=[other, acme], actor=supervisor, reviewer=linked_reviewer
    )
    assert result.assigned == [other]
    assert [(application, "acme.example" in reason) for application, reason in result.refused] == [
        (acme, True)
    ]
    other.refresh_from_db()
    assert other.assigned_reviewer == linked_reviewer
    assert other.events.filter(verb="review.assigned").exists()


def test_only_a_supervisor_assigns_many(reviewer, other_reviewer, two_submitted):
    with pytest.raises(PermissionDenied):
        review_assign_many(applications=two_submitted, actor=reviewer, reviewer=other_reviewer)
