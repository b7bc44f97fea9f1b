"""After certification, in a browser: the participant reports a violation, CBP asks for corrective
action, the participant says what it did, CBP closes the report. Every page is axe-checked."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from participants.models import ComplianceReport, Participant
from recordkeepers.models import Membership
from tests.browser import axe_check
from tests.e2e.test_review_journey import enrolled, sign_in
from tests.factories import MembershipFactory, decide

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_violation_is_reported_corrected_and_closed(
    new_page, handbook_in_force, reviewer, supervisor
):
    owner = MembershipFactory(role=Membership.Role.OWNER).user
    decision = decide(owner=owner, reviewer=reviewer, supervisor=supervisor)
    participant = Participant.objects.get(decision=decision)

    # The participant reaches its certification from the dashboard and reports a violation.
    page = new_page()
    sign_in(page, owner)
    page.get_by_role("link", name=re.compile("Your certification")).click()
    expect(page.get_by_role("heading", name="Your certification", level=1)).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Report a variance or violation").click()
    axe_check(page)
    # A wrong check digit is refused beside the field, and nothing typed is lost.
    page.get_by_text("Yes: this is a violation").click()
    page.get_by_label("What happened").fill("The broker kept the only copy of an invoice.")
    page.get_by_label("The day you found it").fill(timezone.localdate().strftime("%m/%d/%Y"))
    page.get_by_label("The records concerned").fill("One commercial invoice.")
    page.get_by_label(re.compile("Entry numbers concerned")).fill("123-4567890-4")
    page.get_by_label("What you have done about it").fill("We now keep our own copies.")
    page.get_by_role("button", name="Send the report to CBP").click()
    expect(
        page.get_by_text("The check digit of 123-4567890-4 does not match").first
    ).to_be_visible()
    expect(page.get_by_label("What happened")).to_have_value(
        "The broker kept the only copy of an invoice."
    )
    axe_check(page)
    page.get_by_label(re.compile("Entry numbers concerned")).fill("123-4567890-3")
    page.get_by_role("button", name="Send the report to CBP").click()
    expect(page.get_by_role("heading", name=re.compile(r"Violation report \d+"))).to_be_visible()
    expect(page.get_by_text("Why this is a violation")).to_be_visible()
    axe_check(page)
    report = ComplianceReport.objects.get(participant=participant)
    assert report.entry_numbers == ["123-4567890-3"]

    # A supervisor finds it in the register and asks for corrective action.
    staff = new_page()
    sign_in(staff, supervisor, secret=enrolled(supervisor))
    staff.get_by_role("link", name="Participants").first.click()
    axe_check(staff)
    staff.get_by_role("link", name=re.compile(f"Violation report {report.pk}")).click()
    axe_check(staff)
    staff.get_by_role("button", name="Acknowledge the report").click()
    expect(staff.get_by_text("The report is acknowledged")).to_be_visible()
    axe_check(staff)
    due = timezone.localdate() + timedelta(days=30)
    staff.get_by_label("What the participant should do").fill("Send us the amended SOP-08.")
    staff.get_by_label("Due by").fill(due.strftime("%m/%d/%Y"))
    staff.get_by_role("button", name="Ask for corrective action").click()
    expect(staff.get_by_text("Corrective action asked for")).to_be_visible()
    axe_check(staff)

    # The participant reads what is asked, by when, and says what it did.
    page.reload()
    expect(page.get_by_text("Send us the amended SOP-08.")).to_be_visible()
    expect(page.get_by_text(re.compile(f"due {due:%B} {due.day}, {due.year}"))).to_be_visible()
    axe_check(page)
    page.get_by_label("What you did").fill("SOP-08 amended on the 3rd and sent to CBP.")
    page.get_by_role("button", name="Tell CBP what you did").click()
    expect(page.get_by_text("What you did was sent to CBP.").first).to_be_visible()
    axe_check(page)

    # CBP closes the report; the participant's history shows every step.
    staff.reload()
    staff.get_by_label(re.compile("A note for the record")).fill("Satisfied with the amended SOP.")
    staff.get_by_role("button", name="Close the report").click()
    expect(staff.get_by_text("The report is closed")).to_be_visible()
    axe_check(staff)
    page.goto("/certification/")
    history = page.get_by_role("region", name="History")
    for step in [
        "Variance or violation reported to CBP",
        "CBP acknowledged a report",
        "CBP asked for corrective action",
        "Corrective action reported to CBP",
        "CBP closed a report",
    ]:
        expect(history.get_by_text(step)).to_be_visible()
    axe_check(page)
    report.refresh_from_db()
    assert report.status == "closed"
