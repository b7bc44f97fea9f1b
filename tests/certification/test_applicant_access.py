"""Who reaches the applicant's pages: another organisation's people and CBP staff looking at a draft
find nothing there (404, so they cannot even learn it exists), and a visitor is asked to sign in.
Nothing they post changes the application."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certification import urls as applicant_urls
from certification.evidence.services import evidence_add
from certification.models import Application, Attestation, DemonstrationResponse, Evidence
from certification.wizard import steps as wizard
from tests.certification.test_wizard_views import (  # private_storage: autouse, files in tmp_path
    PDF,
    info_requested,
    private_storage,  # noqa: F401
)
from tests.factories import draft_application

pytestmark = pytest.mark.django_db

# (URL name, method, arguments from (application, evidence)) for every page of one application.
PAGES = [
    ("application-detail", "get", lambda a, e: [a.pk]),
    ("application-continue", "get", lambda a, e: [a.pk]),
    *[
        ("wizard-step", method, lambda a, e, slug=step.slug: [a.pk, slug])
        for step in wizard.STEPS
        for method in ("get", "post")
    ],
    ("application-withdraw", "get", lambda a, e: [a.pk]),
    ("application-withdraw", "post", lambda a, e: [a.pk]),
    ("information-request-answer", "get", lambda a, e: [a.pk]),
    ("information-request-answer", "post", lambda a, e: [a.pk]),
    ("evidence-download", "get", lambda a, e: [e.pk]),
    ("evidence-replace", "get", lambda a, e: [a.pk, e.pk]),
    ("evidence-replace", "post", lambda a, e: [a.pk, e.pk]),
]


def page_id(page) -> str:
    name, method, arguments = page
    slug = arguments(Application(pk=1), Evidence(pk=1))[-1] if name == "wizard-step" else ""
    return f"{method.upper()} {name}{' ' + slug if slug else ''}"


def visit(client, page, application, evidence):
    """Request the page, posting what a hijacker would like to save."""
    name, method, arguments = page
    url = reverse(f"certification:{name}", args=arguments(application, evidence))
    if method == "get":
        return client.get(url)
    return client.post(
        url,
        {
            "version": application.version,
            "action": "send",
            "legal_name": "Hijacked LLC",
            "route": "general",
            "storage": "Hijacked.",
            "narrative": "Hijacked.",
            "signer_name": "Mallory",
            "signer_title": "Owner",
            "confirm": "on",
            "reason": "Hijacked.",
            "evidence": SimpleUploadedFile("planted.pdf", PDF),
            "file": SimpleUploadedFile("planted.pdf", PDF),
        },
    )


@pytest.fixture
def draft(owner_a):
    application = draft_application(owner=owner_a, complete=False, attested=False)
    evidence = evidence_add(
        application=application,
        actor=owner_a,
        demonstration="iii",
        upload=SimpleUploadedFile("SOP-08.pdf", PDF),
        expected_version=application.version,
    )
    # The upload was an edit: sign again, so that a change of any kind would show.
    Attestation.objects.create(
        application=application,
        signed_by=owner_a,
        signer_name="Olivia Owner",
        signer_title="CFO",
        text="…",
        application_version=application.version,
    )
    return application, evidence


def snapshot(application: Application) -> tuple:
    """What a request must not change."""
    application.refresh_from_db()
    application.organisation.refresh_from_db()
    return (
        application.status,
        application.version,
        application.organisation.legal_name,
        list(DemonstrationResponse.objects.values_list("demonstration", "narrative", "answers")),
        list(Evidence.objects.values_list("pk", "original_name")),
        Attestation.objects.filter(application=application).exists(),
    )


def test_the_matrix_covers_every_applicant_page():
    names = {pattern.name for pattern in applicant_urls.urlpatterns}
    # A draft has no letters: who may download one is tested with a decided application, in
    # tests/certification/test_letter_views.py.
    assert names - {"application-start", "letter-download"} == {name for name, _, _ in PAGES}


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_another_organisations_member_finds_nothing(client, owner_b, draft, page):
    application, evidence = draft
    before = snapshot(application)
    client.force_login(owner_b)
    assert visit(client, page, application, evidence).status_code == 404
    assert snapshot(application) == before


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_a_visitor_is_asked_to_sign_in(client, draft, page):
    application, evidence = draft
    before = snapshot(application)
    response = visit(client, page, application, evidence)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login") + "?next=")
    assert snapshot(application) == before


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_cbp_staff_do_not_see_a_draft(client, reviewer, enrol_totp, draft, page):
    application, evidence = draft
    before = snapshot(application)
    enrol_totp(reviewer)
    client.force_login(reviewer)
    assert visit(client, page, application, evidence).status_code == 404
    assert snapshot(application) == before


@pytest.mark.parametrize("persona", ["owner_a", "member_a"])
def test_the_organisations_own_people_do_reach_the_draft(client, request, persona, draft):
    """The other side of the matrix, so that its 404s mean something."""
    application, evidence = draft
    client.force_login(request.getfixturevalue(persona))
    assert (
        client.get(reverse("certification:application-detail", args=[application.pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("certification:evidence-download", args=[evidence.pk])).status_code
        == 200
    )
    for step in wizard.steps_for(application):
        url = reverse("certification:wizard-step", args=[application.pk, step.slug])
        assert client.get(url).status_code == 200


def test_another_organisation_cannot_answer_cbps_questions(client, owner_a, owner_b, reviewer):
    application, info_request = info_requested(owner_a, reviewer, questions=["Send the SOP."])
    (item,) = info_request.items.all()
    url = reverse("certification:information-request-answer", args=[application.pk])
    client.force_login(owner_b)
    assert client.get(url).status_code == 404
    response = client.post(url, {f"answer_{item.pk}": "Planted.", "action": "send"})
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.answer == ""
    application.refresh_from_db()
    assert application.status == "info_requested"


def test_staff_see_a_submitted_application_but_cannot_answer_or_withdraw_it(
    client, owner_a, reviewer, enrol_totp
):
    application, info_request = info_requested(owner_a, reviewer, questions=["Send the SOP."])
    (item,) = info_request.items.all()
    enrol_totp(reviewer)
    client.force_login(reviewer)
    assert (
        client.get(reverse("certification:application-detail", args=[application.pk])).status_code
        == 200
    )
    answer = reverse("certification:information-request-answer", args=[application.pk])
    assert client.post(answer, {f"answer_{item.pk}": "Staff.", "action": "send"}).status_code == 403
    withdraw = reverse("certification:application-withdraw", args=[application.pk])
    assert client.post(withdraw, {"version": application.version}).status_code == 403
    item.refresh_from_db()
    application.refresh_from_db()
    assert (item.answer, application.status) == ("", "info_requested")
