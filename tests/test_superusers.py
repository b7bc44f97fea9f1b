"""A CBP admin who is a superuser (as the Django admin needs) still acts for no one: Django's
`has_perm` grants a superuser every permission, but the program's moves ask the rules alone
(`recordkeepers.rules.may`). An admin does not invite an organisation's colleagues, report for a
participant, score a review that is not theirs nor decide one."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from certification import workflow
from participants.models import Participant
from participants.services import report_file
from recordkeepers.models import StaffRole
from recordkeepers.services import invitation_create
from reviews.services import review_claim, review_save_scores
from tests.factories import decide, draft_application, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_admin(db):
    return staff_user(StaffRole.ADMIN, email="super@cbp.example.gov", is_superuser=True)


def test_django_would_grant_a_superuser_every_move(superuser_admin, owner_a):
    # What the fix is for: without it, these calls said yes.
    organisation = owner_a.membership.organisation
    assert superuser_admin.has_perm("recordkeepers.manage_members", organisation)


def test_a_superuser_admin_does_not_invite_an_organisations_colleagues(superuser_admin, owner_a):
    with pytest.raises(PermissionDenied):
        invitation_create(
            organisation=owner_a.membership.organisation,
            email="new.colleague@acme.example",
            actor=superuser_admin,
        )


def test_a_superuser_admin_does_not_score_a_review(superuser_admin, owner_a, reviewer):
    application = draft_application(owner=owner_a)
    workflow.application_submit(application=application, actor=owner_a)
    review_claim(application=application, actor=reviewer, no_conflict=True)
    with pytest.raises(PermissionDenied):
        review_save_scores(application=application, actor=superuser_admin, scores={})


def test_a_superuser_admin_does_not_report_for_a_participant(
    superuser_admin, owner_a, reviewer, supervisor, handbook_in_force
):
    participant = Participant.objects.get(
        decision=decide(owner=owner_a, reviewer=reviewer, supervisor=supervisor)
    )
    with pytest.raises(PermissionDenied):
        report_file(
            participant=participant,
            actor=superuser_admin,
            involves_failure=False,
            what_happened="Filed for them.",
            found_on=date(2026, 11, 2),
            records_concerned="Invoices.",
            entry_numbers=[],
            action_taken="None.",
        )
