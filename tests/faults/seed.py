"""Data for a fault test, written into the database DATABASE_URL names, by the service's own code.

Run in a process of its own (`python -m tests.faults.seed wizard|decision`), pointed at the tests'
private PostgreSQL; prints what the test needs as JSON: the records' keys and the session cookies of
the people who act, signed in as Django's test client signs people in.
"""

import json
import os
import secrets
import sys


def _signed_in(user) -> str:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _owner(suffix: str):
    from recordkeepers.models import Membership
    from tests.factories import MembershipFactory

    return MembershipFactory(
        role=Membership.Role.OWNER,
        user__email=f"owner-{suffix}@importer.example",
        organisation__legal_name=f"Faults {suffix} Imports LLC",
    ).user


def wizard() -> dict:
    from certification.models import DemonstrationResponse
    from tests.factories import draft_application

    owner = _owner(secrets.token_hex(4))
    application = draft_application(owner=owner)  # signed: a save removes the signature
    records = DemonstrationResponse.objects.get(application=application, demonstration="iii")
    return {
        "application": application.pk,
        "key": application.url_key,
        "answers": records.answers,
        "narrative": records.narrative,
        "session": _signed_in(owner),
    }


def decision() -> dict:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from certification import workflow
    from recordkeepers.models import StaffRole
    from reviews.models import Recommendation
    from tests.factories import draft_application, staff_user, start_review

    suffix = secrets.token_hex(4)
    owner = _owner(suffix)
    reviewer = staff_user(StaffRole.REVIEWER, email=f"reviewer-{suffix}@cbp.example.gov")
    supervisor = staff_user(StaffRole.SUPERVISOR, email=f"supervisor-{suffix}@cbp.example.gov")
    TOTP.activate(supervisor, generate_totp_secret())  # staff pages open only with a second factor
    application = draft_application(owner=owner)
    workflow.application_submit(application=application, actor=owner)
    start_review(application=application, reviewer=reviewer)
    workflow.application_recommend(application=application, actor=reviewer, outcome="certified")
    # What reviews' recommend service writes beside the event, and the sign-off reads.
    Recommendation.objects.create(application=application, reviewer=reviewer, outcome="certified")
    return {
        "application": application.pk,
        "owner": owner.pk,
        "session": _signed_in(supervisor),
    }


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    print(json.dumps({"wizard": wizard, "decision": decision}[sys.argv[1]]()))
