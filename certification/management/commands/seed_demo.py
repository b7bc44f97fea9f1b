import datetime
from decimal import Decimal

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from certification import workflow
from certification.demo import (
    DEMO_ACCOUNTS,
    DEMO_ORGANISATION,
    DEMO_ORGANISATIONS,
    DEMO_PASSWORD,
    DemoOrganisation,
    demo_profile,
    fill_application,
)
from certification.models import Application
from certification.services import application_attest, application_start
from recordkeepers.models import Membership, Organisation, SizeClass, StaffRole, User
from recordkeepers.sizing import size_class

# The moves that bring a new draft to each state, in order.
PATHS = {
    "draft": [],
    "submitted": ["submit"],
    "in_review": ["submit", "start_review"],
    "info_requested": ["submit", "start_review", "request_information"],
    "recommended": ["submit", "start_review", "recommend"],
    "certified": ["submit", "start_review", "recommend", "decide"],
    "denied": ["submit", "start_review", "recommend_denial", "decide_denial"],
    "withdrawn": ["submit", "withdraw"],
}
# Schedule D ports, enough for the largest importer: Los Angeles, Long Beach, New York, Houston...
PORTS = ["2704", "2709", "1001", "5301", "3901", "1601", "5201", "3001", "2809", "1303"]
PORT_COUNT = {SizeClass.MICRO: 1, SizeClass.SMALL: 2, SizeClass.MEDIUM: 4, SizeClass.LARGE: 10}
DENIAL_REASONS = [
    {
        "ground": "163.13(b)(1)(i)",
        "demonstration": "iii",
        "text": "No procedure for producing records to CBP on demand was shown.",
    }
]


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
            if not Application.objects.exists():
                staff = {a.role: User.objects.get(email=a.email) for a in DEMO_ACCOUNTS}
                for index, demo in enumerate(DEMO_ORGANISATIONS):
                    self._application(index, demo, staff["reviewer"], staff["supervisor"])
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

    def _application(
        self, index: int, demo: DemoOrganisation, reviewer: User, supervisor: User
    ) -> None:
        organisation, _ = Organisation.objects.get_or_create(legal_name=demo.legal_name)
        owner = self._user(demo.owner_email, f"Owner of {demo.legal_name}")
        Membership.objects.update_or_create(
            user=owner, defaults={"organisation": organisation, "role": Membership.Role.OWNER}
        )
        application = application_start(organisation=organisation, actor=owner)
        size = size_class(
            entries_per_year=demo.entries_per_year, import_value=Decimal(demo.import_value)
        )
        profile = {
            "legal_name": demo.legal_name,
            **demo_profile(
                importer_number=f"27-{1000001 + index:07d}00", ports=list(PORTS[: PORT_COUNT[size]])
            ),
            "entries_per_year": demo.entries_per_year,
            "import_value": Decimal(demo.import_value),
            "duties_paid": Decimal(demo.duties_paid),
            "risk_flags": list(demo.risk_flags),
        }
        # The demo draft is half done, to show a draft being resumed; the others are complete.
        fill_application(
            application=application,
            actor=owner,
            profile=profile,
            demonstrations="i ii iii" if demo.application_state == "draft" else "i ii iii iv v vi",
        )
        if demo.application_state != "draft":
            application_attest(
                application=application,
                actor=owner,
                signer_name=owner.full_name,
                signer_title="Compliance manager",
                expected_version=application.version,
            )
        steps = {
            "submit": lambda: workflow.application_submit(application=application, actor=owner),
            "withdraw": lambda: workflow.application_withdraw(
                application=application, actor=owner, reason="We will apply after our ERP upgrade."
            ),
            "start_review": lambda: (
                workflow.application_assign(
                    application=application, actor=reviewer, reviewer=reviewer
                ),
                workflow.application_start_review(application=application, actor=reviewer),
            ),
            "request_information": lambda: workflow.application_request_information(
                application=application,
                actor=reviewer,
                questions=["Send your retrieval procedure for CBP Form 28 requests."],
                due=datetime.date.today() + datetime.timedelta(days=30),
            ),
            "recommend": lambda: workflow.application_recommend(
                application=application, actor=reviewer, outcome="certified"
            ),
            "recommend_denial": lambda: workflow.application_recommend(
                application=application, actor=reviewer, outcome="denied", reasons=DENIAL_REASONS
            ),
            "decide": lambda: workflow.application_decide(
                application=application, actor=supervisor, outcome="certified"
            ),
            "decide_denial": lambda: workflow.application_decide(
                application=application, actor=supervisor, outcome="denied", reasons=DENIAL_REASONS
            ),
        }
        for step in PATHS[demo.application_state]:
            steps[step]()
