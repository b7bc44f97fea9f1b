"""One rule for who may see an application, checked against an oracle over the demo's data.

The oracle below is written from the program's rule, not from `reviews.access`: an applicant's
members see their applications; CBP admins see every one, supervisors every submitted one; a reviewer sees
a submitted application assigned to them, or one nobody has that waits for CBP, but never one they
stepped aside from nor one whose organisation they are linked to. For every persona and every
application of every state, the application's page, each of its evidence files and letters, and the
review queue must all agree with it.
"""

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from certification.models import Application, Evidence, Letter
from recordkeepers.models import Membership, StaffRole, User
from reviews import services
from reviews.selectors import queue_visible_to
from tests.factories import staff_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

WAITING_FOR_CBP = {"submitted", "in_review", "info_requested", "recommended"}


def oracle(user: User | None, application: Application) -> bool:
    if user is None:
        return False
    membership = Membership.objects.filter(user=user).first()
    if membership is not None:
        return membership.organisation_id == application.organisation_id
    groups = set(user.groups.values_list("name", flat=True))
    if "admin" in groups:  # as in the Django admin, which lists every application
        return True
    if application.status == "draft" or not groups:
        return False
    if "supervisor" in groups:
        return True
    if application.recusals.filter(reviewer=user).exists():
        return False
    member_emails = [m.user.email for m in application.organisation.memberships.all()]
    domain = user.email.split("@")[1]
    linked = user.email in member_emails or any(e.endswith("@" + domain) for e in member_emails)
    if application.assigned_reviewer_id == user.pk:
        return not linked
    return (
        application.assigned_reviewer_id is None
        and application.status in WAITING_FOR_CBP
        and not linked
    )


@pytest.fixture
def demo(settings, django_capture_on_commit_callbacks):
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):  # the letters are rendered on commit
        call_command("seed_demo")
    applications = list(Application.objects.select_related("organisation").order_by("pk"))
    for application in applications:  # a file on each, to download
        Evidence.objects.create(
            application=application,
            demonstration="iii",
            file=ContentFile(b"records procedure\n", name="procedure.txt"),
            original_name="procedure.txt",
            content_type="text/plain",
            size=18,
            sha256="0" * 64,
            uploaded_by=application.created_by,
        )
    waiting = next(
        a for a in applications if a.status == "submitted" and a.assigned_reviewer_id is None
    )
    owner_domain = waiting.organisation.memberships.first().user.email.split("@")[1]
    recused = staff_user(StaffRole.REVIEWER, email="recused@cbp.example.gov")
    services.review_recuse(application=waiting, actor=recused, reason="My brother works there.")
    owner_a = User.objects.get(email="owner@acme-imports.example")
    other_owner = next(
        m.user
        for m in Membership.objects.select_related("user")
        if m.organisation_id != owner_a.membership.organisation_id
    )
    return {
        "applications": applications,
        "personas": {
            "anonymous": None,
            "owner of A": owner_a,
            "member of A": User.objects.get(email="member@acme-imports.example"),
            "owner of B": other_owner,
            "assigned reviewer": User.objects.get(email="reviewer@cbp.example.gov"),
            "unassigned reviewer": staff_user(StaffRole.REVIEWER, email="new@cbp.example.gov"),
            "conflicted reviewer": staff_user(StaffRole.REVIEWER, email=f"audit@{owner_domain}"),
            "recused reviewer": recused,
            "supervisor": User.objects.get(email="supervisor@cbp.example.gov"),
            "admin": User.objects.get(email="admin@cbp.example.gov"),
        },
    }


def test_the_demo_covers_every_state_and_a_case_of_each_kind(demo):
    states = {a.status for a in demo["applications"]}
    assert states == {
        "draft",
        "submitted",
        "in_review",
        "info_requested",
        "recommended",
        "certified",
        "denied",
        "withdrawn",
    }
    reviewer = demo["personas"]["assigned reviewer"]
    assert any(a.assigned_reviewer_id == reviewer.pk for a in demo["applications"])
    assert Letter.objects.filter(status="ready").exists()


@pytest.mark.parametrize(
    "persona",
    [
        "anonymous",
        "owner of A",
        "member of A",
        "owner of B",
        "assigned reviewer",
        "unassigned reviewer",
        "conflicted reviewer",
        "recused reviewer",
        "supervisor",
        "admin",
    ],
)
def test_pages_downloads_and_queue_agree_with_the_oracle(demo, persona, enrol_totp):
    user = demo["personas"][persona]
    client = Client()
    if user is not None:
        if user.groups.exists() and not user.authenticator_set.exists():
            enrol_totp(user)
        client.force_login(user)
    has_queue = (
        user is not None and user.groups.filter(name__in=["reviewer", "supervisor"]).exists()
    )
    in_queue = set(queue_visible_to(user=user).values_list("pk", flat=True)) if has_queue else set()
    seen = 0
    for application in demo["applications"]:
        expected = oracle(user, application)
        seen += expected
        allowed = 200 if expected else (302 if user is None else 404)
        where = f"{persona} on {application} ({application.status})"
        page = client.get(reverse("certification:application-detail", args=[application.pk]))
        assert page.status_code == allowed, where
        for evidence in application.evidence.all():
            url = reverse("certification:evidence-download", args=[evidence.pk])
            assert client.get(url).status_code == allowed, f"evidence: {where}"
        for letter in application.letters.filter(status="ready"):
            url = reverse("certification:letter-download", args=[letter.pk])
            assert client.get(url).status_code == allowed, f"letter: {where}"
        # The queue lists what waits for CBP among what the person may see, and nothing else; CBP's
        # record of the application follows the same rule.
        if has_queue:
            record = client.get(reverse("reviews:record", args=[application.pk]))
            assert record.status_code == (200 if expected else 404), f"record: {where}"
            listed = expected and application.status in WAITING_FOR_CBP
            assert (application.pk in in_queue) == listed, f"queue: {where}"
            if application.reference:
                found = client.get(reverse("reviews:queue"), {"search": application.reference})
                rows = found.text.partition("<tbody>")[2].partition("</tbody>")[0]
                assert (application.reference in rows) == listed, f"queue page: {where}"
    # Everyone but the anonymous and the two kept away by a conflict sees something: the check above
    # is not passing by seeing nothing. (The application those two cannot see is the one the
    # unassigned reviewer may take.)
    if persona not in {"anonymous", "conflicted reviewer", "recused reviewer"}:
        assert seen > 0
