"""The demo: every role, every state, and CBP's side of it done through the review's services."""

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from certification.demo import DEMO_ACCOUNTS, DEMO_ORGANISATIONS, DEMO_PASSWORD
from certification.models import Application, ApplicationStatus, Letter
from recordkeepers.models import Membership, SizeClass, User
from recordkeepers.rules import is_cbp_staff
from reviews.models import ComplianceFinding, ConflictDeclaration, CriterionScore
from reviews.selectors import applicable_criteria, suggestion_for

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_one_account_per_role_and_can_run_again(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    owners = {o.owner_email for o in DEMO_ORGANISATIONS}
    assert User.objects.count() == len({a.email for a in DEMO_ACCOUNTS} | owners)
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(email=account.email)
        assert user.check_password(DEMO_PASSWORD)
        if account.totp_secret:
            assert is_cbp_staff(user)
            assert Authenticator.objects.filter(user=user, type="totp").count() == 1
        else:
            assert user.membership.role == account.role
    assert Membership.objects.values("organisation").distinct().count() == len(DEMO_ORGANISATIONS)


def test_seed_demo_shows_every_state_and_size_class_through_real_events(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")  # a second run adds no applications
    assert Application.objects.count() == len(DEMO_ORGANISATIONS)
    assert set(Application.objects.values_list("status", flat=True)) == set(
        ApplicationStatus.values
    )
    submitted = Application.objects.exclude(status="draft")
    assert set(submitted.values_list("size_class", flat=True)) == set(SizeClass.values)
    for application in submitted:
        verbs = list(application.events.values_list("verb", flat=True))
        # Started, every step of the wizard saved through the services, then the moves.
        assert verbs[0] == "application.started"
        assert verbs.count("draft.edited") == 7
        assert verbs[8] == "application.submitted"
        # The last move (scores and findings are events too, of no move) left it where it is.
        assert application.events.exclude(to_status="").last().to_status == application.status
    draft = Application.objects.get(status="draft")
    assert set(draft.responses.values_list("demonstration", flat=True)) == {"i", "ii", "iii"}
    denied = Application.objects.get(status="denied")
    assert [r["demonstration"] for r in denied.decision.reasons] == ["iii"]
    # The letter's reason is the reviewer's words; the scoring's (criteria, points) stay CBP's.
    assert "send them to CBP when asked" in denied.decision.reasons[0]["text"]
    assert denied.decision.reasons[0]["remedy"]
    notes = denied.recommendations.get().scoring_notes
    assert "Producing records on demand" in " ".join(note["text"] for note in notes)


def test_seed_demo_renders_the_decisions_letters_through_the_letter_task(
    settings, django_capture_on_commit_callbacks
):
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):  # as outside a test: on commit
        call_command("seed_demo")
    letters = Letter.objects.select_related("application").order_by("kind")
    assert [(letter.kind, letter.application.status, letter.status) for letter in letters] == [
        ("certification", "certified", "ready"),
        ("denial", "denied", "ready"),
    ]
    for letter in letters:
        assert letter.file.read().startswith(b"%PDF")
        assert letter.application.events.filter(verb="letter.ready").exists()


@override_settings(DEBUG=True)
def test_seed_demo_reviews_through_the_services_as_a_reviewer_would(client):
    call_command("seed_demo")
    reviewer = User.objects.get(email="reviewer@cbp.example.gov")
    supervisor = User.objects.get(email="supervisor@cbp.example.gov")
    reviewed = Application.objects.exclude(status__in=["draft", "submitted", "withdrawn"])
    for application in reviewed:
        assert application.assigned_reviewer == reviewer
        assert ConflictDeclaration.objects.filter(
            application=application, reviewer=reviewer, declared_by=reviewer
        ).exists(), application.status

    recommended = Application.objects.get(status="recommended")
    criteria = applicable_criteria(application=recommended)
    scored = CriterionScore.objects.filter(application=recommended, reviewer=reviewer)
    assert sorted(scored.values_list("criterion", flat=True)) == sorted(c.pk for c in criteria)
    finding = ComplianceFinding.objects.get(application=recommended)
    assert (finding.reviewer, finding.concern) == (reviewer, False)
    # Each recommendation and decision agrees with what the scores suggest, and says so.
    for application in reviewed.filter(status__in=["recommended", "certified", "denied"]):
        _, suggestion = suggestion_for(application=application)
        event = application.events.get(verb="review.recommended")
        assert event.actor == reviewer
        assert (event.data["suggestion"], event.data["differs_reason"]) == (
            suggestion.outcome,
            "",
        )
    for application in reviewed.filter(status__in=["certified", "denied"]):
        assert application.decision.decided_by == supervisor
    asked = Application.objects.get(status="info_requested")
    assert suggestion_for(application=asked)[1].outcome == "request_information"
    assert asked.information_requests.get().items.get().demonstration == "iii"
    # A review under way: some demonstrations scored, not all.
    in_review = Application.objects.get(status="in_review")
    assert 0 < in_review.criterion_scores.count() < len(applicable_criteria(application=in_review))

    # The demo reviewer opens the recommended application's workspace with no declaration to make.
    client.force_login(reviewer)
    page = client.get(reverse("reviews:workspace", args=[recommended.pk]))
    assert page.status_code == 200
    assert f"Review of {recommended.reference}" in page.text
    assert "I have no conflict of interest" not in page.text
    assert "The scoring suggests: Certify" in page.text


def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG only"):
        call_command("seed_demo")
    assert not User.objects.exists()
