"""The federal statements in a browser: each page that collects shows its notice and passes axe."""

import re

import pytest
from playwright.sync_api import expect

from certification.wizard import steps
from tests.browser import axe_check
from tests.factories import PASSWORD, draft_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_owner_meets_the_statements_from_the_dashboard_to_the_attestation(
    page, live_server, owner_a, handbook_in_force, settings
):
    settings.OMB_CONTROL_NUMBER = "1651-0999"
    application = draft_application(owner=owner_a, attested=False)
    page.goto("/accounts/login/")
    axe_check(page)
    page.get_by_label("Email").fill(owner_a.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("form").get_by_role("button", name=re.compile("sign in", re.I)).click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    axe_check(page)

    for slug in (steps.PROFILE, steps.INDIVIDUALS):
        page.goto(f"/applications/{application.pk}/{slug}/")
        expect(page.get_by_label("Privacy Act notice")).to_be_visible()
        expect(page.get_by_label("Paperwork Reduction Act statement")).to_contain_text("1651-0999")
        axe_check(page)

    page.goto(f"/applications/{application.pk}/{steps.SUBMIT}/")
    expect(page.get_by_role("region", name="False statements are a crime")).to_contain_text(
        "18 U.S.C. 1001"
    )
    axe_check(page)

    page.goto("/organization/members/")
    expect(page.get_by_label("Privacy Act notice")).to_contain_text(
        "your colleague's email address"
    )
    axe_check(page)
