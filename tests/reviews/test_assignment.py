"""Claiming and assigning applications, with conflict-of-interest declarations and overrides."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from certification import workflow
from certification.models import ApplicationStatus, Event
from recordkeepers.conflicts import conflict_links
from recordkeepers.models import StaffRole
from reviews.models import ConflictDeclaration
from reviews.services import review_assign, review_claim, review_declare_no_conflict
from tests.factories import MembershipFactory, staff_user


@pytest.fixture
def colleague_of_acme(db):
    """A reviewer whose email address is at the applicant's own domain."""
    return staff_user(StaffRole.REVIEWER, email="jo@acme.example")


def test_claiming_declares_no_conflict_assigns_and_starts_the_review(submitted, reviewer):
    review_claim(application=submitted, actor=reviewer, no_conflict=True)
    assert submitted.assigned_reviewer == reviewer
    assert submitted.status == ApplicationStatus.IN_REVIEW
    declaration = ConflictDeclaration.objects.get()
    assert (declaration.reviewer, declaration.declared_by, declaration.links) == (
        reviewer,
        reviewer,
        [],
    )
    verbs = list(submitted.events.values_list("verb", flat=True))
    assert verbs[-2:] == ["review.assigned", "review.started"]
    assert reviewer.has_perm("reviews.open_workspace", submitted)
    assert reviewer.has_perm("reviews.score_application", submitted)


def test_claiming_without_the_declaration_is_refused(submitted, reviewer):
    with pytest.raises(ValidationError, match="no conflict of interest"):
        review_claim(application=submitted, actor=reviewer, no_conflict=False)
    submitted.refresh_from_db()
    assert submitted.assigned_reviewer is None
    assert not ConflictDeclaration.objects.exists()


def test_a_reviewer_at_the_applicants_email_domain_cannot_claim(submitted, colleague_of_acme):
    with pytest.raises(ValidationError, match=r"acme\.example"):
        review_claim(application=submitted, actor=colleague_of_acme, no_conflict=True)
    submitted.refresh_from_db()
    assert submitted.assigned_reviewer is None
    assert not Event.objects.filter(verb="review.assigned").exists()


def test_a_reviewer_who_is_a_member_has_a_link(owner_a, reviewer):
    other = MembershipFactory(organisation=owner_a.membership.organisation, user=reviewer)
    assert other.user == reviewer
    links = conflict_links(reviewer=reviewer, organisation=owner_a.membership.organisation)
    assert links and "is a member of" in links[0]


def test_public_email_domains_are_not_links(owner_a):
    owner_a.email = "olivia@gmail.com"
    owner_a.save()
    reviewer = staff_user(StaffRole.REVIEWER, email="riley@gmail.com")
    assert conflict_links(reviewer=reviewer, organisation=owner_a.membership.organisation) == []


def test_a_supervisor_overrides_a_link_only_with_a_reason(submitted, supervisor, colleague_of_acme):
    with pytest.raises(ValidationError, match="say why"):
        review_assign(application=submitted, actor=supervisor, reviewer=colleague_of_acme)
    review_assign(
        application=submitted,
        actor=supervisor,
        reviewer=colleague_of_acme,
        override_reason="Shared mail host only; no business relationship.",
    )
    declaration = ConflictDeclaration.objects.get()
    assert declaration.declared_by == supervisor
    assert declaration.links and declaration.override_reason.startswith("Shared mail host")
    # Assigned, but the reviewer must declare before working on it.
    assert not colleague_of_acme.has_perm("reviews.open_workspace", submitted)
    review_declare_no_conflict(application=submitted, actor=colleague_of_acme)
    assert colleague_of_acme.has_perm("reviews.open_workspace", submitted)


def test_only_supervisors_assign_and_only_unassigned_applications_are_claimed(
    submitted, reviewer, other_reviewer, supervisor
):
    with pytest.raises(PermissionDenied):
        review_assign(application=submitted, actor=reviewer, reviewer=other_reviewer)
    review_claim(application=submitted, actor=reviewer, no_conflict=True)
    assert not other_reviewer.has_perm("reviews.claim_application", submitted)
    with pytest.raises(PermissionDenied):
        review_claim(application=submitted, actor=other_reviewer, no_conflict=True)
    # Reassigned by a supervisor: the first reviewer can no longer work on it.
    review_assign(application=submitted, actor=supervisor, reviewer=other_reviewer)
    assert not reviewer.has_perm("reviews.open_workspace", submitted)
    assert not reviewer.has_perm("reviews.score_application", submitted)
    assert supervisor.has_perm("reviews.open_workspace", submitted)


def test_an_unassigned_reviewer_cannot_open_or_score(submitted, reviewer, other_reviewer):
    review_claim(application=submitted, actor=reviewer, no_conflict=True)
    assert not other_reviewer.has_perm("reviews.open_workspace", submitted)
    assert not other_reviewer.has_perm("reviews.score_application", submitted)
    with pytest.raises(PermissionDenied):
        workflow.application_request_information(
            application=submitted,
            actor=other_reviewer,
            questions=["Why?"],
            due=submitted.submitted_at.date().replace(year=submitted.submitted_at.year + 1),
        )
