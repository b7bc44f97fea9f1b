"""The demo: an account per role, and applications in every state, each moved there as people would
move it. Applicants go through certification's services; CBP's side through the review's own
services (claiming or being assigned and declaring no conflict, scoring each criterion, the
compliance finding, the recommendation, the supervisor's sign-off), so the staff pages show real
reviews. It lives in `reviews` because that is the app that may import both sides."""

from decimal import Decimal

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from certification import deadlines, workflow
from certification.demo import (
    DEMO_ACCOUNTS,
    DEMO_ORGANISATION,
    DEMO_ORGANISATIONS,
    DEMO_PASSWORD,
    DemoOrganisation,
    demo_profile,
    fill_application,
)
from certification.models import Application, Decision, WorkloadSettings
from certification.services.drafts import application_attest, application_start
from recordkeepers.models import ImporterType, Membership, Organisation, SizeClass, StaffRole, User
from recordkeepers.sizing import size_class
from reviews import selectors, services

# The moves that bring a new draft to each state, in order. "claim" is the reviewer taking it from
# the queue; "assign" is a supervisor giving it to them, after which they declare no conflict.
PATHS = {
    "draft": [],
    "submitted": ["submit"],
    "in_review": ["submit", "claim", "score_some"],
    "info_requested": ["submit", "assign", "score", "find", "request_information"],
    "recommended": ["submit", "claim", "score", "find", "recommend"],
    "certified": ["submit", "claim", "score", "find", "recommend", "sign_off"],
    "denied": ["submit", "claim", "score", "find", "recommend", "sign_off"],
    "withdrawn": ["submit", "withdraw"],
}
# Schedule D ports, enough for the largest importer: Los Angeles, Long Beach, New York, Houston...
PORTS = ["2704", "2709", "1001", "5301", "3901", "1601", "5201", "3001", "2809", "1303"]
PORT_COUNT = {SizeClass.MICRO: 1, SizeClass.SMALL: 2, SizeClass.MEDIUM: 4, SizeClass.LARGE: 10}

# The reviewer scores a must-pass criterion strong and any other adequate, which certifies an
# importer of any size, except where the state needs (iii), record keeping and production, lower:
# partly shown for the information request, and not shown for the denial, which is its reason.
LOW_SCORES = {
    "info_requested": {
        "iii.3": (
            1,
            "SOP-08 is named, but not how a CBP request is answered within the time allowed.",
        ),
    },
    "denied": {
        "iii.1": (1, "SOP-07 covers the entry packet only, not the other records on the list."),
        "iii.2": (1, "Entries are matched to payments by hand in a spreadsheet, with gaps."),
        "iii.3": (0, "No procedure for producing records to CBP on demand was shown."),
        "iii.4": (1, "The broker's monthly entry list is received but not reconciled."),
    },
}
# The denied demonstration's reason, in the reviewer's words, as its letter prints it.
DENIAL_REASON = {
    "ground": "163.13(b)(1)(i)",
    "demonstration": "iii",
    "text": "Your procedures cover the entry packet only. You did not show how you would find "
    "the other records on the list and send them to CBP when asked.",
    "remedy": "A written procedure for every kind of record you keep, saying where it is kept, "
    "how it is linked to its entry, and who sends it to CBP and how soon after a request.",
}
NO_CONCERN = (
    "No prior recordkeeping penalties and no open cases declared; none found in CBP's records."
)
QUESTION = workflow.Question(
    text="Send your retrieval procedure (SOP-08) for answering a CBP Form 28 request.",
    demonstration="iii",
)


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
        if demo.social_security_number:
            profile["importer_type"] = ImporterType.SOLE_PROPRIETORSHIP
            profile["importer_numbers"] = [
                *profile["importer_numbers"],
                demo.social_security_number,
            ]
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
        state = demo.application_state
        # Certified and recommended applications are recommended for certification.
        outcome = Decision.Outcome.DENIED if state == "denied" else Decision.Outcome.CERTIFIED
        steps = {
            "submit": lambda: workflow.application_submit(application=application, actor=owner),
            "withdraw": lambda: workflow.application_withdraw(
                application=application, actor=owner, reason="We will apply after our ERP upgrade."
            ),
            "claim": lambda: services.review_claim(
                application=application, actor=reviewer, no_conflict=True
            ),
            "assign": lambda: (
                services.review_assign(
                    application=application, actor=supervisor, reviewer=reviewer
                ),
                services.review_declare_no_conflict(application=application, actor=reviewer),
            ),
            # A review under way: the first three demonstrations scored, the rest still to do.
            "score_some": lambda: self._score(application, reviewer, state, "i ii iii"),
            "score": lambda: self._score(application, reviewer, state, "i ii iii iv v vi"),
            "find": lambda: services.review_record_compliance_finding(
                application=application, actor=reviewer, concern=False, notes=NO_CONCERN
            ),
            # Due when the request form would suggest.
            "request_information": lambda: services.review_request_information(
                application=application,
                actor=reviewer,
                questions=[QUESTION],
                due=deadlines.information_response_due(
                    requested=timezone.localdate(),
                    window_days=WorkloadSettings.current().information_request_days,
                ),
            ),
            "recommend": lambda: services.review_recommend(
                application=application,
                actor=reviewer,
                outcome=outcome,
                reasons=[DENIAL_REASON] if outcome == Decision.Outcome.DENIED else [],
            ),
            "sign_off": lambda: services.review_sign_off(
                application=application, actor=supervisor, decision=outcome
            ),
        }
        for step in PATHS[state]:
            steps[step]()

    def _score(
        self, application: Application, reviewer: User, state: str, demonstrations: str
    ) -> None:
        """Score each applicable criterion of the demonstrations, one demonstration at a time, as
        the workspace saves them."""
        low = LOW_SCORES.get(state, {})
        criteria = selectors.applicable_criteria(application=application)
        for demonstration in demonstrations.split():
            scores = {}
            for criterion in criteria:
                if criterion.demonstration == demonstration:
                    score, notes = low.get(criterion.code, (3 if criterion.must_pass else 2, ""))
                    scores[criterion.pk] = {"score": score, "not_applicable": False, "notes": notes}
            services.review_save_scores(application=application, actor=reviewer, scores=scores)
