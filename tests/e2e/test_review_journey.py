"""CBP's side in a browser: a reviewer takes an application from the queue, scores every
criterion and asks a question; the applicant answers; the reviewer recommends denial with
reasons; a supervisor issues the decision. Every page is axe-checked."""

import re
from datetime import timedelta
from io import BytesIO
from pathlib import Path
from urllib.parse import urljoin

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from certification import workflow
from certification.models import ApplicationStatus
from recordkeepers.models import Membership
from reviews.models import CriterionScore
from reviews.selectors import applicable_criteria
from reviews.services import review_claim
from tests.browser import axe_check, key_choose
from tests.factories import PASSWORD, MembershipFactory, draft_application
from tests.pdfs import plain_pdf
from tests.totp import fresh_totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


PDF = plain_pdf()  # evidence checks read it: a real one-page PDF

# The reviewer's reason for (iii), in the words the letter prints.
FOUND_III = "You did not show how you would find and send records CBP asks for."
MEET_III = "A written procedure naming who answers a CBP request for records and how soon."


def sign_in(page, user, *, secret: str | None = None) -> None:
    page.goto("/accounts/login/")
    axe_check(page)
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("form").get_by_role("button", name=re.compile("sign in", re.I)).click()
    if secret:
        page.get_by_label(re.compile("code", re.I)).fill(fresh_totp_code(secret))
        axe_check(page)
        page.locator("form").get_by_role("button").first.click()
    page.wait_for_load_state("load")
    axe_check(page)


def enrolled(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def test_reviewer_to_supervisor_with_an_answered_question(
    new_page, handbook_in_force, reviewer, supervisor
):
    owner = MembershipFactory(role=Membership.Role.OWNER).user
    application = draft_application(owner=owner)
    workflow.application_submit(application=application, actor=owner)

    # The reviewer finds it in the queue and takes it.
    page = new_page()
    sign_in(page, reviewer, secret=enrolled(reviewer))
    page.get_by_role("link", name="Review queue").first.click()
    axe_check(page)
    row = page.get_by_role("row").filter(has_text=application.reference)
    row.get_by_role("link", name=re.compile("Take it")).click()
    axe_check(page)
    page.get_by_text("I have no conflict of interest").click()
    page.get_by_role("button", name=re.compile("Take the application")).click()
    expect(page.get_by_role("heading", name=f"Review of {application.reference}")).to_be_visible()
    axe_check(page)

    # Every criterion that applies, scored "2 – adequate" except (iii), scored "0 – absent" and
    # asked about: choices in all six panels, then one save from the last, and nothing is lost.
    criteria = applicable_criteria(application=application)
    for criterion in criteria:
        score = "2" if criterion.demonstration != "iii" else "0"
        page.locator(f'label[for="id_score_{criterion.pk}_{score}"]').click()
    page.locator("#demonstration-vi").get_by_role("button", name="Save all scores").click()
    expect(page.get_by_text("Your scores are saved, in every demonstration.")).to_be_visible()
    assert page.url.endswith("#demonstration-vi")
    axe_check(page)
    for criterion in criteria:
        score = "2" if criterion.demonstration != "iii" else "0"
        expect(page.locator(f"#id_score_{criterion.pk}_{score}")).to_be_checked()
    assert CriterionScore.objects.filter(application=application).count() == len(criteria)
    assert set(
        CriterionScore.objects.filter(application=application, demonstration="iii").values_list(
            "score", flat=True
        )
    ) == {0}

    page.get_by_role("link", name="Ask the applicant for information").click()
    axe_check(page)
    page.get_by_label("Question 1 is about").select_option("iii")
    page.locator("#id_question_1").fill("How do you produce records on demand?")
    page.get_by_role("button", name="Send the questions").click()
    axe_check(page)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.INFO_REQUESTED

    # The applicant answers.
    applicant = new_page()
    sign_in(applicant, owner)
    applicant.goto(f"/applications/{application.pk}/answer-questions")
    axe_check(applicant)
    applicant.get_by_label("Your answer to question 1").fill("We have no procedure yet.")
    applicant.locator('input[type="file"][name^="files_"]').set_input_files(
        files=[{"name": "draft-sop-08.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    applicant.get_by_role("button", name="Send answers to CBP").click()
    expect(applicant.get_by_text("Your answers were sent to CBP.")).to_be_visible()
    axe_check(applicant)

    # The queue flags the answers; the reviewer recommends denial, with the reason in their words.
    page.get_by_role("link", name="Review queue").first.click()
    expect(page.get_by_text("Answers arrived")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name=application.reference, exact=True).click()
    # Opening the workspace shows the question, the answer and its file, and leaves them unread
    # until the reviewer says so.
    answers = page.get_by_role("region", name="CBP's questions and the answers")
    expect(answers).to_contain_text("How do you produce records on demand?")
    expect(answers.get_by_text("We have no procedure yet.")).to_be_visible()
    answer_file = answers.get_by_role("link", name="draft-sop-08.pdf")
    expect(answer_file).to_be_visible()
    with page.expect_download() as download:
        answer_file.click()
    assert Path(download.value.path()).read_bytes() == PDF
    axe_check(page)
    page.get_by_role("button", name="Mark the answers as read").click()
    expect(page.get_by_text("The answers are marked as read.")).to_be_visible()
    expect(page.get_by_role("button", name="Mark the answers as read")).to_have_count(0)
    axe_check(page)
    expect(
        page.get_by_role("heading", name=re.compile("The scoring suggests: Deny"))
    ).to_be_visible()
    page.locator("label[for=id_outcome_1]").click()
    # Nothing is prefilled from the scoring: a denial without the reviewer's words is refused.
    page.get_by_role("button", name="Send the recommendation").click()
    expect(page.get_by_text("A denial sets out at least one reason").first).to_be_visible()
    axe_check(page)
    page.locator("label[for=id_outcome_1]").click()
    page.get_by_label(re.compile(r"^What we found: \(iii\)")).fill(FOUND_III)
    page.get_by_label(re.compile(r"^What would meet the requirement: \(iii\)")).fill(MEET_III)
    page.get_by_role("button", name="Send the recommendation").click()
    expect(page.get_by_text("Your recommendation went to a supervisor")).to_be_visible()
    axe_check(page)

    # The supervisor signs the denial off.
    boss = new_page()
    sign_in(boss, supervisor, secret=enrolled(supervisor))
    boss.goto("/staff/queue/")
    axe_check(boss)
    boss.get_by_role("row").filter(has_text=application.reference).get_by_role(
        "link", name=re.compile("Sign off")
    ).click()
    axe_check(boss)
    expect(boss.get_by_text(FOUND_III).first).to_be_visible()
    expect(
        boss.get_by_text(re.compile(r"Ground for denial: 19 CFR 163\.13\(b\)\(1\)\(i\)")).first
    ).to_be_visible()
    # Before signing, the supervisor opens the letter the decision would issue: a PDF, marked as
    # not issued, with the reviewer's words; opening it saves nothing.
    preview = boss.get_by_role("link", name=re.compile("Preview the letter"))
    expect(preview).to_be_visible()
    response = boss.request.get(urljoin(boss.url, preview.get_attribute("href")))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    preview_text = " ".join(PdfReader(BytesIO(response.body())).pages[0].extract_text().split())
    assert "Preview — not issued" in preview_text and FOUND_III in preview_text
    assert not application.letters.exists()
    boss.get_by_text("Deny, for the reasons given").click()
    boss.get_by_role("button", name="Sign off").click()
    expect(boss.get_by_text(f"Decision issued on {application.reference}")).to_be_visible()
    # The decision asked for its letter; staff see its state on the application's page (Celery
    # runs eagerly here, so it is rendered by the time the page shows).
    letters = boss.get_by_role("region", name="Letters from CBP")
    expect(letters.get_by_role("row").filter(has_text="Denial")).to_contain_text("Ready")
    axe_check(boss)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.DENIED
    assert {r["demonstration"] for r in application.decision.reasons} == {"iii"}
    verbs = list(application.events.values_list("verb", flat=True))
    for verb in [
        "application.submitted",
        "review.assigned",
        "review.started",
        "review.information_requested",
        "application.information_provided",
        "review.recommended",
        "application.decided",
    ]:
        assert verb in verbs
    # The applicant's timeline shows the decision; staff-only steps stay staff-only.
    applicant.goto(f"/applications/{application.pk}/")
    timeline = applicant.get_by_role("region", name="History")
    expect(timeline.get_by_text("Decision issued")).to_be_visible()
    expect(timeline.get_by_text("Reviewer made a recommendation")).to_have_count(0)
    expect(timeline.get_by_text("Letter ready to download")).to_be_visible()
    axe_check(applicant)
    # ...and downloads the letter, which says why and how to appeal.
    letter = application.letters.get()
    with applicant.expect_download() as download:
        applicant.get_by_role("region", name="Letters from CBP").get_by_role(
            "link", name=re.compile("Download the letter")
        ).click()
    assert download.value.suggested_filename == f"{application.reference}-denial-{letter.pk}.pdf"
    text = PdfReader(download.value.path()).pages[0].extract_text()
    assert application.reference in text
    assert "denied" in text and "appeal" in text
    assert "weighted points" not in text and "%" not in text
    assert application.information_requests.get().due > timezone.localdate() - timedelta(days=1)


def test_choosing_a_score_updates_the_total_before_saving(
    new_page, handbook_in_force, owner_a, reviewer
):
    application = draft_application(owner=owner_a)
    workflow.application_submit(application=application, actor=owner_a)
    review_claim(application=application, actor=reviewer, no_conflict=True)
    first, second, third = [
        c for c in applicable_criteria(application=application) if c.demonstration == "i"
    ]

    page = new_page()
    sign_in(page, reviewer, secret=enrolled(reviewer))
    page.goto(f"/staff/applications/{application.pk}/")
    axe_check(page)
    totals = page.locator("#totals-i")
    expect(totals).to_contain_text("Scoring incomplete: 0 of 24 weighted points")

    # From the keyboard: into the first criterion's scores, then down to "3 – strong".
    key_choose(page, page.locator(f"#id_score_{first.pk}_3"))
    expect(totals).to_contain_text("Scoring incomplete: 9 of 24 weighted points")
    page.locator(f'label[for="id_score_{second.pk}_1"]').click()
    page.locator(f'label[for="id_score_{third.pk}_4"]').click()  # N/A
    expect(totals).to_contain_text("Needs information: 12 of 18 weighted points (66.7%)")
    expect(totals).to_contain_text("Must-pass criteria scored absent or partial: i.2.")
    expect(totals).to_contain_text("They are not saved yet.")
    expect(page.locator("#explanation-i")).to_contain_text("i.3 Written recordkeeping policy")
    axe_check(page)
    assert not CriterionScore.objects.filter(application=application).exists()

    # Leaving with choices not saved: the browser asks first, and staying keeps them.
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.get_by_role("link", name="Review queue").first.click()
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    expect(page.locator(f"#id_score_{second.pk}_1")).to_be_checked()

    # Saving is still the button's job, and the saved page shows the same total.
    page.locator("#demonstration-i").get_by_role("button", name="Save all scores").click()
    expect(page.get_by_text("Your scores are saved, in every demonstration.")).to_be_visible()
    expect(totals).to_contain_text("Needs information: 12 of 18 weighted points (66.7%)")
    axe_check(page)
    assert CriterionScore.objects.filter(application=application).count() == 3
