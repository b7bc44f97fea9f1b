from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from certification.demo import DEMO_ACCOUNTS, DEMO_ORGANISATION, DEMO_PASSWORD
from recordkeepers.models import Membership, Organisation, StaffRole, User


class Command(BaseCommand):
    help = "Create the demo accounts (one per role) and a recordkeeper organisation. DEBUG only."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo creates accounts with published passwords: DEBUG only.")
        with transaction.atomic():
            organisation, _ = Organisation.objects.get_or_create(legal_name=DEMO_ORGANISATION)
            for account in DEMO_ACCOUNTS:
                user = self._user(account.email, account.full_name)
                if account.role in Membership.Role.values:
                    Membership.objects.update_or_create(
                        user=user, defaults={"organisation": organisation, "role": account.role}
                    )
                else:
                    user.groups.set([Group.objects.get(name=StaffRole(account.role).value)])
                    user.is_staff = account.role == StaffRole.ADMIN
                    user.is_superuser = account.role == StaffRole.ADMIN
                    user.save(update_fields=["is_staff", "is_superuser"])
                    self._enrol_totp(user, account.totp_secret)
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"{account.role:<11} {account.email:<32} {DEMO_PASSWORD}")

    def _user(self, email: str, full_name: str) -> User:
        user, _ = User.objects.get_or_create(email=email, defaults={"full_name": full_name})
        user.set_password(DEMO_PASSWORD)
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"primary": True, "verified": True}
        )
        return user

    def _enrol_totp(self, user: User, secret: str | None) -> None:
        assert secret, "every staff demo account has a TOTP secret"
        Authenticator.objects.filter(user=user).delete()
        TOTP.activate(user, secret)
        RecoveryCodes.activate(user)
