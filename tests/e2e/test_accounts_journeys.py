"""Whole journeys in a browser: a recordkeeper signs up; a reviewer enrols a second factor."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from recordkeepers.models import StaffRole, User
from tests.browser import axe_check
from tests.factories import PASSWORD, staff_user
from tests.totp import fresh_totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_recordkeeper_signs_up_verifies_email_and_reaches_the_dashboard(page, live_server):
    page.goto("/")
    axe_check(page)
    page.get_by_role("link", name="Apply", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Create your account")
    axe_check(page)

    # The sign-up page says why CBP asks, with the full Privacy Act statement a link away, and the
    # footer links the Paperwork Reduction Act statement.
    expect(page.get_by_label("Privacy Act notice")).to_contain_text("19 U.S.C. 1508, 1509 and 1510")
    page.get_by_role("link", name="Read the full Privacy Act statement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy Act statement")
    axe_check(page)
    footer = page.get_by_role("navigation", name="Important links")
    footer.get_by_role("link", name="Paperwork Reduction Act statement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Paperwork Reduction Act statement")
    axe_check(page)
    page.goto("/accounts/signup/")

    # Bad input first: every problem is named beside its field and in the summary.
    page.get_by_label("Your full name").fill("Olivia Owner")
    page.get_by_label("Email address").fill("not-an-email")
    page.get_by_label("Organization's legal name").fill("Acme Imports LLC")
    page.locator("#id_password1").fill("short")
    page.get_by_label("Password (again)").fill("short")
    page.locator("form").get_by_role("button", name=re.compile("sign up|create", re.I)).click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    axe_check(page)
    assert page.get_by_label("Your full name").input_value() == "Olivia Owner"
    assert not User.objects.exists()

    page.get_by_label("Email address").fill("olivia@acme.example")
    page.locator("#id_password1").fill("Correct-Horse-Battery-9")
    page.get_by_label("Password (again)").fill("Correct-Horse-Battery-9")
    page.locator("form").get_by_role("button", name=re.compile("sign up|create", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile("verify", re.I))
    axe_check(page)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Recordkeeping Compliance Program: Confirm your email address"
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[0].body).group(0)
    page.goto(link)
    axe_check(page)
    page.get_by_role("button", name=re.compile("confirm", re.I)).click()

    # Confirming in the browser that signed up signs the person in: no sign-in page in between.
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Acme Imports LLC")
    axe_check(page)


def test_reviewer_must_enrol_an_authenticator_before_the_staff_dashboard(page, live_server):
    staff_user(StaffRole.REVIEWER, email="riley@cbp.example.gov")

    page.goto("/accounts/login/")
    axe_check(page)
    page.get_by_label("Email").fill("riley@cbp.example.gov")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("form").get_by_role("button", name=re.compile("sign in", re.I)).click()

    # Without a second factor, the staff dashboard sends the reviewer to enrol one.
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/"))
    axe_check(page)
    page.goto("/staff/")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/"))
    axe_check(page)

    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label(re.compile("code", re.I)).fill(fresh_totp_code(secret))
    page.get_by_role("button", name=re.compile("activate", re.I)).click()
    expect(page).not_to_have_url(re.compile(r"/totp/activate/"))
    axe_check(page)

    page.goto("/staff/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Staff dashboard")
    axe_check(page)
