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
    expect(
        staff.get_by_text("Corrective action asked for; the participant is told.")
    ).to_be_visible()
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


def test_a_notice_of_violation_is_issued_and_answered(
    new_page, handbook_in_force, reviewer, supervisor
):
    owner = MembershipFactory(role=Membership.Role.OWNER).user
    decision = decide(owner=owner, reviewer=reviewer, supervisor=supervisor)
    participant = Participant.objects.get(decision=decision)

    # A reviewer records the failure to produce; the service finds it eligible and issues the notice.
    staff = new_page()
    sign_in(staff, reviewer, secret=enrolled(reviewer))
    staff.goto(f"/staff/participants/{participant.pk}/")
    axe_check(staff)
    staff.get_by_role("link", name="Record a failure to produce a record").click()
    axe_check(staff)
    staff.get_by_label("Entry number").fill("123-4567890-3")
    staff.get_by_label("The record demanded and not produced").fill("The commercial invoice.")
    staff.get_by_label("The day CBP demanded it").fill(timezone.localdate().strftime("%m/%d/%Y"))
    staff.get_by_text("No", exact=True).click()
    staff.get_by_role("button", name="Record it and decide").click()
    expect(
        staff.get_by_role("heading", name="Notice of violation in lieu of a penalty")
    ).to_be_visible()
    expect(staff.get_by_role("rowheader", name="Not a repeated violation")).to_be_visible()
    axe_check(staff)

    # The participant reads it, and its letter once ready (Celery runs eagerly here), and answers.
    page = new_page()
    sign_in(page, owner)
    page.goto("/certification/")
    axe_check(page)
    page.get_by_role("link", name="123-4567890-3").click()
    expect(page.get_by_text("The commercial invoice.").first).to_be_visible()
    expect(page.get_by_role("link", name="Download the notice of violation")).to_be_visible()
    axe_check(page)
    page.get_by_label("The steps you have taken to prevent it happening again").fill(
        "We keep our own copy of every invoice now."
    )
    page.get_by_role("button", name="Send your answer to CBP").click()
    expect(page.get_by_text("Your answer was sent to CBP.")).to_be_visible()
    axe_check(page)
    notice = participant.notices.get()
    assert (notice.status, notice.response) == (
        "answered",
        "We keep our own copy of every invoice now.",
    )


def test_a_supervisor_removes_the_participant_appeals_and_an_appeals_official_reverses_it(
    new_page, handbook_in_force, reviewer, supervisor
):
    from recordkeepers.models import StaffRole
    from tests.factories import staff_user

    official = staff_user(StaffRole.APPEALS_OFFICIAL, email="appeals@cbp.example.gov")
    owner = MembershipFactory(role=Membership.Role.OWNER).user
    decision = decide(owner=owner, reviewer=reviewer, supervisor=supervisor)
    participant = Participant.objects.get(decision=decision)

    # The reviewer proposes removal on a ground of 163.13(c)(1).
    staff = new_page()
    sign_in(staff, reviewer, secret=enrolled(reviewer))
    staff.goto(f"/staff/participants/{participant.pk}/")
    axe_check(staff)
    staff.get_by_role("link", name="Propose removal").click()
    axe_check(staff)
    staff.get_by_text("(iii) Fails on a recurring basis to provide entry records").click()
    staff.get_by_label("CBP's reasons, in plain words").fill(
        "Records were not produced for three entries when demanded."
    )
    staff.get_by_role("button", name="Propose removal").click()
    expect(staff.get_by_text("Removal proposed; a supervisor decides it.")).to_be_visible()
    axe_check(staff)

    # A supervisor (not the proposer) removes: the notice goes out with the right to appeal.
    boss = new_page()
    sign_in(boss, supervisor, secret=enrolled(supervisor))
    boss.goto(staff.url)
    axe_check(boss)
    boss.get_by_text("Remove: issue the notice of removal").click()
    boss.get_by_role("button", name="Decide").click()
    expect(boss.get_by_text("Notice issued, not yet in effect")).to_be_visible()
    axe_check(boss)

    # The participant reads it and appeals.
    page = new_page()
    sign_in(page, owner)
    page.goto("/certification/")
    expect(page.get_by_role("heading", name="Removal of your certification")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Appeal the removal").click()
    axe_check(page)
    page.get_by_label("Why the decision should change").fill(
        "All three records were produced within the time CBP allowed."
    )
    page.get_by_role("button", name="Send the appeal to CBP").click()
    expect(page.get_by_text("CBP received your appeal.")).to_be_visible()
    axe_check(page)

    # The appeals official (not the supervisor who removed) reverses it.
    appeals = new_page()
    sign_in(appeals, official, secret=enrolled(official))
    appeals.get_by_role("link", name="Appeals").first.click()
    axe_check(appeals)
    appeals.get_by_role("link", name="Appeal of a removal").click()
    axe_check(appeals)
    appeals.get_by_text("Reverse the original decision").click()
    appeals.get_by_label("The reasons, for the letter").fill(
        "The port's log shows the three records were produced on time."
    )
    appeals.get_by_role("button", name="Decide").click()
    expect(appeals.get_by_text("The appeal is decided")).to_be_visible()
    axe_check(appeals)

    # The participant is active again, and reads the decision.
    page.goto("/certification/")
    expect(page.get_by_text("Reinstated").first).to_be_visible()
    history = page.get_by_role("region", name="History")
    expect(history.get_by_text("Certification reinstated")).to_be_visible()
    axe_check(page)
    participant.refresh_from_db()
    assert participant.status == "reinstated"
