"""The recordkeeper's application, from the service's start page to submission and back, with the
keyboard only: save and exit, resume on another device, change an answer from check your answers.

Every control is reached with Tab and used with keys (see the helpers in tests/browser.py); no
element is clicked. Every page the browser loads is checked by axe; the journey prints how many.
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from certification import workflow
from certification.models import Application, ApplicationStatus, Evidence, InformationRequest
from recordkeepers.models import Membership
from tests.browser import (
    axe_check,
    key_check,
    key_choose,
    key_press_button,
    key_select,
    key_type,
    key_upload,
)
from tests.factories import PASSWORD, MembershipFactory, draft_application, start_review
from tests.pdfs import plain_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = plain_pdf()  # evidence checks read it: a real one-page PDF


def sign_in(page, email: str, *, from_start_page: bool = False) -> None:
    if from_start_page:
        page.goto("/")
        axe_check(page)
        start = page.locator("#main-content").get_by_role("link", name="Sign in")
        key_press_button(page, start)
        page.wait_for_url(re.compile(r"/accounts/login/"))
    else:
        page.goto("/accounts/login/")
    axe_check(page)
    key_type(page, page.get_by_label("Email"), email)
    key_type(page, page.get_by_label("Password"), PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/dashboard/$"))
    axe_check(page)


def save_and_continue(page) -> None:
    key_press_button(page, page.get_by_role("button", name="Save and continue"))
    axe_check(page)


def test_owner_completes_the_wizard_with_the_keyboard_across_two_sessions(
    new_page, handbook_in_force, tmp_path, settings
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    owner = MembershipFactory(role=Membership.Role.OWNER, user__full_name="Olivia Owner").user
    policy = tmp_path / "records-policy.pdf"
    policy.write_bytes(PDF)

    page = new_page()
    sign_in(page, owner.email, from_start_page=True)
    key_press_button(page, page.get_by_role("button", name="Start a new application"))
    expect(page.get_by_role("heading", name=re.compile("Your organization"))).to_be_visible()
    axe_check(page)

    # Step 1: the organisation, its importer number typed as people write it.
    key_choose(page, page.get_by_label("Corporation"))
    key_type(page, page.get_by_label("Street address", exact=True), "100 Harbor Boulevard")
    key_type(page, page.get_by_label("City"), "Long Beach")
    key_select(page, page.get_by_label("State or territory"), "California")
    key_type(page, page.get_by_label("ZIP code"), "90802")
    key_type(page, page.get_by_label("Importer numbers"), "27-1000001-00")
    save_and_continue(page)

    # Step 2: its business and imports. A penalty's description is asked only after a Yes.
    expect(
        page.get_by_role("heading", name=re.compile("Your business and imports"))
    ).to_be_visible()
    expect(page.get_by_label("Describe each penalty")).to_be_hidden()
    key_type(page, page.get_by_label("Ports of entry"), "2704\n2709")
    key_type(page, page.get_by_label("Customs brokers"), "Pacific Customs Brokers Inc.")
    key_check(page, page.get_by_label("Free trade agreement or special program claims"))
    key_choose(page, page.locator('input[name="has_prior_penalties"][value="True"]'))
    expect(page.get_by_label("Describe each penalty")).to_be_visible()
    key_choose(page, page.locator('input[name="has_prior_penalties"][value="False"]'))
    expect(page.get_by_label("Describe each penalty")).to_be_hidden()
    key_choose(page, page.locator('input[name="has_open_cases"][value="False"]'))
    save_and_continue(page)

    # (i): with a file chosen from the keyboard.
    expect(page.get_by_role("heading", name=re.compile("Understanding"))).to_be_visible()
    key_check(page, page.get_by_label("Commercial invoices"))
    key_check(page, page.get_by_label("Packing lists"))
    key_type(page, page.get_by_label("Your retention schedule"), "Five years from entry.")
    key_type(page, page.get_by_label("Your written recordkeeping policy"), "Policy IR-1, 2026")
    key_upload(page, page.locator('input[name="evidence"]'), policy)
    save_and_continue(page)

    # (ii), then "Save and exit" midway.
    expect(
        page.get_by_role("heading", name=re.compile("Explaining the requirements"))
    ).to_be_visible()
    key_type(page, page.get_by_label("Who is trained"), "Import coordinators and accounts payable.")
    key_select(page, page.get_by_label("How often training is given"), "Once a year")
    key_type(page, page.get_by_label("Date of the last training session"), "09/15/2026")
    key_press_button(page, page.get_by_role("button", name="Save and exit"))
    expect(page.get_by_text("Your answers are saved")).to_be_visible()
    axe_check(page)
    application = Application.objects.get(organisation=owner.membership.organisation)
    assert application.responses.get(demonstration="ii").answers["last_training"] == "2026-09-15"
    assert Evidence.objects.get(application=application).original_name == "records-policy.pdf"

    first_device = page
    # Another device: a fresh browser, signed in again, goes straight to the first step still
    # needing answers.
    page = new_page()
    sign_in(page, owner.email)
    key_press_button(page, page.get_by_role("link", name=re.compile("Continue the application")))
    expect(
        page.get_by_role("heading", name=re.compile("Preparing, keeping and producing"))
    ).to_be_visible()
    axe_check(page)

    key_type(page, page.get_by_label("Your written procedures"), "SOP-07 and SOP-08")
    key_type(page, page.get_by_label("How your records are linked"), "Entry number on the PO.")
    key_type(page, page.get_by_label("Where records are stored"), "Document system.")
    key_type(page, page.get_by_label("Days you need to produce records when CBP asks"), "10")
    save_and_continue(page)

    # (iv): one primary designated individual.
    key_type(page, page.get_by_label("Full name"), "Jordan Ellis")
    key_type(page, page.get_by_label("Job title"), "Trade Compliance Manager")
    key_type(page, page.get_by_label("Email address"), "jordan.ellis@example.com")
    key_type(page, page.get_by_label("Phone number"), "202-555-0143")
    key_type(page, page.get_by_label("Their recordkeeping duties"), "Owns the records policy.")
    key_type(
        page, page.get_by_label("How they keep current with CBP's requirements"), "CSMS messages."
    )
    save_and_continue(page)

    # (v) and (vi).
    key_choose(page, page.get_by_label("We keep the original records in electronic form"))
    save_and_continue(page)
    key_type(page, page.get_by_label("How you find variances and violations"), "Monthly checks.")
    key_type(page, page.get_by_label("How they are escalated inside your organization"), "To me.")
    key_type(page, page.get_by_label("Who tells CBP, and how fast"), "I do, within 10 days.")
    key_type(
        page,
        page.get_by_label("How you take corrective action when CBP notifies you"),
        "Logged and followed up.",
    )
    save_and_continue(page)

    # Check your answers; change one and come straight back; then sign and submit.
    expect(page.get_by_text("Every question that needs an answer has one")).to_be_visible()
    expect(page.get_by_role("link", name="records-policy.pdf")).to_be_visible()
    key_press_button(
        page,
        page.get_by_role("link", name="Change Preparing, keeping and producing records"),
    )
    axe_check(page)
    storage = page.get_by_label("Where records are stored")
    storage.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("Document system and a locked records room.")
    key_press_button(page, page.get_by_role("button", name="Save and return to check your answers"))
    expect(page.get_by_role("heading", name=re.compile("Check your answers"))).to_be_visible()
    expect(page.get_by_text("Document system and a locked records room.")).to_be_visible()
    axe_check(page)
    key_press_button(page, page.get_by_role("link", name="Continue to sign and submit"))
    axe_check(page)
    key_type(page, page.get_by_label("Your title"), "Compliance manager")
    key_check(page, page.get_by_label("I make this attestation"))
    key_press_button(page, page.get_by_role("button", name="Sign and submit the application"))
    expect(
        page.get_by_role("heading", name=re.compile(r"Application RKCP-\d{4}-\d{6}"))
    ).to_be_visible()
    expect(page.get_by_text("Submitted", exact=True)).to_be_visible()
    timeline = page.get_by_role("region", name="History")
    expect(timeline.get_by_text("Application submitted")).to_be_visible()
    axe_check(page)
    key_press_button(page, page.get_by_role("link", name="Back to your dashboard"))
    axe_check(page)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.attestation.signer_title == "Compliance manager"
    assert application.responses.get(demonstration="iii").answers["storage"] == (
        "Document system and a locked records room."
    )
    visited = len(first_device.a11y.loaded) + len(page.a11y.loaded)
    print(f"\nApplication journey: {visited} pages loaded, every one checked by axe")
    # Pinned: a page more means a person has one more page to go through (docs/accessibility.md).
    assert visited == 20


def test_owner_answers_cbp_questions_with_text_and_a_file(
    new_page, handbook_in_force, tmp_path, settings, reviewer
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    owner = MembershipFactory(role=Membership.Role.OWNER).user
    application = draft_application(owner=owner)
    workflow.application_submit(application=application, actor=owner)
    start_review(application=application, reviewer=reviewer)
    workflow.application_request_information(
        application=application,
        actor=reviewer,
        questions=["Send your retrieval procedure.", "Who is the backup for Jordan Ellis?"],
        due=datetime.date.today() + datetime.timedelta(days=30),
    )
    procedure = tmp_path / "retrieval-procedure.pdf"
    procedure.write_bytes(PDF)

    page = new_page()
    sign_in(page, owner.email)
    key_press_button(page, page.get_by_role("link", name=application.reference, exact=True))
    axe_check(page)
    key_press_button(page, page.get_by_role("link", name="Answer CBP's questions"))
    axe_check(page)

    # Sending with a question unanswered keeps what was written and says what is missing.
    key_type(page, page.get_by_label("Your answer to question 1"), "Attached: SOP-08.")
    key_upload(page, page.locator("input[type=file]").first, procedure)
    key_press_button(page, page.get_by_role("button", name="Send answers to CBP"))
    axe_check(page)
    expect(page.get_by_text("Answer question 2.").first).to_be_visible()
    expect(page.get_by_label("Your answer to question 1")).to_have_value("Attached: SOP-08.")

    key_type(page, page.get_by_label("Your answer to question 2"), "Priya Nair.")
    key_press_button(page, page.get_by_role("button", name="Send answers to CBP"))
    expect(page.get_by_text("Your answers were sent to CBP.")).to_be_visible()
    expect(
        page.get_by_role("region", name="History").get_by_text("More information sent to CBP")
    ).to_be_visible()
    axe_check(page)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW
    request = InformationRequest.objects.get(application=application)
    assert request.answered_by == owner
    assert [item.answer for item in request.items.all()] == ["Attached: SOP-08.", "Priya Nair."]
    assert request.items.get(position=0).evidence.get().original_name == "retrieval-procedure.pdf"


def test_a_step_left_open_is_saved_before_the_session_ends(new_page, handbook_in_force, settings):
    # A session of 68 s: the warning shows at once, the page saves itself after 8 s.
    settings.SESSION_COOKIE_AGE = 68
    owner = MembershipFactory(role=Membership.Role.OWNER).user
    application = draft_application(owner=owner, attested=False)

    page = new_page()
    sign_in(page, owner.email)
    page.goto(f"/applications/{application.pk}/understanding/")
    expect(page.get_by_role("heading", name="Your session is about to end")).to_be_visible()
    expect(page.get_by_text("We will save your answers on this page")).to_be_visible()
    axe_check(page)
    key_type(page, page.get_by_label("Your retention schedule"), "Typed, then left for lunch.")

    with page.expect_navigation(timeout=20_000):
        pass  # nothing pressed: the page saves itself
    expect(
        page.get_by_text("We saved your answers because you had not done anything")
    ).to_be_visible()
    axe_check(page)
    response = application.responses.get(demonstration="i")
    assert response.answers["retention_schedule"] == "Typed, then left for lunch."
