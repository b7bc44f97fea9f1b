import pytest
from allauth.mfa.models import Authenticator
from django.core.management import CommandError, call_command

from certification.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from recordkeepers.models import Membership, User
from recordkeepers.rules import is_cbp_staff

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_one_account_per_role_and_can_run_again(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    assert User.objects.count() == len(DEMO_ACCOUNTS)
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(email=account.email)
        assert user.check_password(DEMO_PASSWORD)
        if account.totp_secret:
            assert is_cbp_staff(user)
            assert Authenticator.objects.filter(user=user, type="totp").count() == 1
        else:
            assert user.membership.role == account.role
    assert Membership.objects.values("organisation").distinct().count() == 1


def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG only"):
        call_command("seed_demo")
    assert not User.objects.exists()
