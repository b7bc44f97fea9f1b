"""The load test's people, made in its throwaway database after the demo and the bulk applications:
one account for each simulated user, so that no two share a session, a draft or a TOTP code (allauth
accepts a code once per account).

- applicants: an organisation each, with a draft half answered as the demo's is (the profile and
  demonstrations i-iii), so that every step they open has something to save;
- reviewers: CBP reviewers with their own TOTP secret, each having taken two of the bulk
  applications (claimed, no conflict declared, so their workspace opens on the rubric);
- supervisors: CBP supervisors with their own TOTP secret, and for each one `SIGN_OFFS` + 1
  applications recommended for certification through the review's services: `SIGN_OFFS` to sign
  off during the run, one to read.

Run inside Django (`manage.py shell -c "from bench.load.personas import make; make(...)"`); writes
the personas as JSON for the locustfile. `work` reads, after the run, what the worker was given.
"""

import base64
import json
import secrets
from pathlib import Path

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Count, Max

from certification.demo import DEMO_PASSWORD, demo_profile, fill_application
from certification.models import Application, ApplicationStatus, Decision, Letter, Notification
from certification.services.drafts import application_start
from recordkeepers.models import Membership, Organisation, StaffRole, User
from reviews import selectors, services

DOMAIN = "load.example"
STAFF_DOMAIN = "cbp.example.gov"
CLAIMED_PER_REVIEWER = 2
# Each supervisor signs off this many during a run. With one each, the five supervisors of a run
# of fifty made five decisions, and the p95 of five samples is the slowest of them; thirty have one.
SIGN_OFFS = 6
NO_CONCERN = "No penalties, liquidated damages or open cases in the last five years."


def _user(email: str, full_name: str, password_hash: str) -> User:
    user = User.objects.create(email=email, full_name=full_name, password=password_hash)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user


def _staff(email: str, full_name: str, role: StaffRole, password_hash: str) -> tuple[User, str]:
    user = _user(email, full_name, password_hash)
    user.groups.set([Group.objects.get(name=role.value)])
    secret = base64.b32encode(secrets.token_bytes(20)).decode()
    TOTP.activate(user, secret)
    return user, secret


def _applicant(number: int, password_hash: str) -> dict:
    email = f"applicant-{number:03d}@{DOMAIN}"
    owner = _user(email, f"Load Applicant {number:03d}", password_hash)
    organisation = Organisation.objects.create(legal_name=f"Load Test Imports {number:03d} LLC")
    Membership.objects.create(user=owner, organisation=organisation, role=Membership.Role.OWNER)
    application = application_start(organisation=organisation, actor=owner)
    profile = {
        "legal_name": organisation.legal_name,
        # A number no bulk application uses: they start 27-, 12-, 95-...; the demo's 27-1000001.
        **demo_profile(importer_number=f"39-{5000000 + number:07d}00", ports=["2704"]),
        "entries_per_year": 40,
        "import_value": 900_000,
        "duties_paid": 30_000,
        "risk_flags": [],
    }
    fill_application(
        application=application, actor=owner, profile=profile, demonstrations="i ii iii"
    )
    # Its pages are addressed by its reference, as the wizard's links and forms address them.
    return {"email": email, "application": application.reference or application.pk}


def _recommend(application: Application, reviewer: User) -> None:
    """Score every criterion that applies as met, record the finding and recommend certification,
    as a reviewer does in the workspace."""
    scores = {
        criterion.pk: {"score": 3, "not_applicable": False, "notes": ""}
        for criterion in selectors.applicable_criteria(application=application)
    }
    services.review_save_scores(application=application, actor=reviewer, scores=scores)
    services.review_record_compliance_finding(
        application=application, actor=reviewer, concern=False, notes=NO_CONCERN
    )
    services.review_recommend(
        application=application, actor=reviewer, outcome=Decision.Outcome.CERTIFIED
    )


def make(*, applicants: int, reviewers: int, supervisors: int, out: str) -> None:
    # One hash for every account: hashing is made slow on purpose, and these are throwaway.
    password_hash = make_password(DEMO_PASSWORD)
    # Bulk applications waiting for a reviewer, oldest first: the ones reviewers here take.
    waiting = Application.objects.filter(
        status=ApplicationStatus.SUBMITTED, assigned_reviewer__isnull=True
    ).order_by("submitted_at")
    needed = reviewers * CLAIMED_PER_REVIEWER + supervisors * (SIGN_OFFS + 1)
    pool = list(waiting[:needed])
    if len(pool) < needed:
        raise SystemExit(f"Only {len(pool)} unassigned applications; the load test needs {needed}.")
    personas: dict[str, list[dict]] = {"applicants": [], "reviewers": [], "supervisors": []}
    with transaction.atomic():
        for number in range(1, applicants + 1):
            personas["applicants"].append(_applicant(number, password_hash))
        for number in range(1, reviewers + 1):
            reviewer, secret = _staff(
                f"load-reviewer-{number:03d}@{STAFF_DOMAIN}",
                f"Load Reviewer {number:03d}",
                StaffRole.REVIEWER,
                password_hash,
            )
            claimed = []
            for _ in range(CLAIMED_PER_REVIEWER):
                application = pool.pop()
                services.review_claim(application=application, actor=reviewer, no_conflict=True)
                claimed.append(application.pk)
            personas["reviewers"].append(
                {"email": reviewer.email, "secret": secret, "applications": claimed}
            )
        # The recommendations are a reviewer's of their own: never one of the supervisors'.
        recommender, _ = _staff(
            f"load-recommender@{STAFF_DOMAIN}",
            "Load Recommender",
            StaffRole.REVIEWER,
            password_hash,
        )
        for number in range(1, supervisors + 1):
            supervisor, secret = _staff(
                f"load-supervisor-{number:03d}@{STAFF_DOMAIN}",
                f"Load Supervisor {number:03d}",
                StaffRole.SUPERVISOR,
                password_hash,
            )
            recommended = []
            for _ in range(SIGN_OFFS + 1):
                application = pool.pop()
                # An owner to tell of the decision, so that the worker has an email to send.
                owner = _user(f"owner-{application.pk}@{DOMAIN}", "Load Owner", password_hash)
                Membership.objects.create(
                    user=owner, organisation=application.organisation, role=Membership.Role.OWNER
                )
                services.review_claim(application=application, actor=recommender, no_conflict=True)
                application.refresh_from_db()
                _recommend(application, recommender)
                recommended.append(application.pk)
            personas["supervisors"].append(
                {"email": supervisor.email, "secret": secret, "sign": recommended[:-1],
                 "view": recommended[-1]}
            )  # fmt: skip
    Path(out).write_text(json.dumps(personas))


def work(*, letter: int, notification: int, out: str) -> None:
    """What the worker was given after the letter and notification numbered `letter` and
    `notification`: the letters by status and the emails asked for and sent; and the last ids."""
    asked = Notification.objects.filter(pk__gt=notification, send_email=True)
    letters = Letter.objects.filter(pk__gt=letter).values_list("status").annotate(n=Count("pk"))
    found = {
        "letters": dict(letters.order_by()),
        "emails_asked": asked.count(),
        "emails_sent": asked.filter(emailed_at__isnull=False).count(),
        "last_letter": Letter.objects.aggregate(last=Max("pk"))["last"] or 0,
        "last_notification": Notification.objects.aggregate(last=Max("pk"))["last"] or 0,
    }
    Path(out).write_text(json.dumps(found))
