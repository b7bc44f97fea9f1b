import pytest
from allauth.mfa.models import Authenticator
from django.core.management import CommandError, call_command

from certification.demo import DEMO_ACCOUNTS, DEMO_ORGANISATIONS, DEMO_PASSWORD
from certification.models import Application, ApplicationStatus
from recordkeepers.models import Membership, SizeClass, User
from recordkeepers.rules import is_cbp_staff

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
        assert application.events.last().to_status == application.status
    draft = Application.objects.get(status="draft")
    assert set(draft.responses.values_list("demonstration", flat=True)) == {"i", "ii", "iii"}
    denied = Application.objects.get(status="denied")
    assert denied.decision.reasons[0]["demonstration"] == "iii"


def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG only"):
        call_command("seed_demo")
    assert not User.objects.exists()
