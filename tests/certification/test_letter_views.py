"""Who sees a letter, and how: the applicant's "being prepared" and download, staff's state and
retry, and the download's permission check and headers, through the test client."""

import pytest
from django.urls import reverse

from certification.letters import lifecycle as letter_lifecycle
from certification.models import Letter, LetterStatus
from tests.factories import decide

pytestmark = pytest.mark.django_db


@pytest.fixture
def decision(owner_a, reviewer, supervisor):
    return decide(owner=owner_a, reviewer=reviewer, supervisor=supervisor, outcome="denied")


@pytest.fixture
def letter(decision):
    return Letter.objects.get(decision=decision)


def test_the_applicant_sees_the_letter_being_prepared_then_downloads_it(client, owner_a, letter):
    client.force_login(owner_a)
    page = client.get(reverse("certification:application-detail", args=[letter.application_id]))
    assert "Your decision letter is being prepared" in page.text
    download_url = reverse("certification:letter-download", args=[letter.pk])
    assert download_url not in page.text
    assert client.get(download_url).status_code == 404  # nothing to download yet

    letter = letter_lifecycle.letter_render(letter_id=letter.pk)
    page = client.get(reverse("certification:application-detail", args=[letter.application_id]))
    assert "Your decision letter is being prepared" not in page.text
    assert download_url in page.text
    assert "Letter ready to download" in page.text  # on the timeline
    response = client.get(download_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{letter.application.reference}-denial-{letter.pk}.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == letter.file.open("rb").read()


def test_another_organisation_cannot_download_or_see_the_letter(client, owner_b, letter):
    letter_lifecycle.letter_render(letter_id=letter.pk)
    client.force_login(owner_b)
    assert client.get(reverse("certification:letter-download", args=[letter.pk])).status_code == 404
    detail = reverse("certification:application-detail", args=[letter.application_id])
    assert client.get(detail).status_code == 404


def test_signed_out_people_are_sent_to_sign_in(client, letter):
    letter_lifecycle.letter_render(letter_id=letter.pk)
    response = client.get(reverse("certification:letter-download", args=[letter.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_staff_see_the_state_and_retry_a_failed_letter(
    as_staff, reviewer, letter, django_capture_on_commit_callbacks
):
    Letter.objects.filter(pk=letter.pk).update(
        status=LetterStatus.FAILED, attempts=5, last_error="OSError: disk full"
    )
    client = as_staff(reviewer)
    # Staff follow a letter on CBP's record of the application.
    detail = reverse("reviews:record", args=[letter.application_id])
    page = client.get(detail)
    assert "Failed" in page.text and "OSError: disk full" in page.text
    assert "5 attempts" in page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reviews:letter-retry", args=[letter.pk]))
    assert response.status_code == 302 and response["Location"] == detail
    letter.refresh_from_db()
    assert letter.status == LetterStatus.READY
    page = client.get(detail)
    assert "The letter was sent to be rendered again." in page.text
    assert reverse("certification:letter-download", args=[letter.pk]) in page.text

    refused = client.post(reverse("reviews:letter-retry", args=[letter.pk]), follow=True)
    assert "Only a failed letter can be retried." in refused.text


def test_recordkeepers_cannot_retry_letters(client, owner_a, letter):
    Letter.objects.filter(pk=letter.pk).update(status=LetterStatus.FAILED)
    client.force_login(owner_a)
    assert client.post(reverse("reviews:letter-retry", args=[letter.pk])).status_code == 404
    letter.refresh_from_db()
    assert letter.status == LetterStatus.FAILED


def test_signing_off_leads_to_the_application_and_its_letter(
    as_staff, owner_a, reviewer, supervisor
):
    from certification import workflow
    from reviews.models import Recommendation
    from tests.factories import draft_application, start_review

    application = draft_application(owner=owner_a)
    workflow.application_submit(application=application, actor=owner_a)
    start_review(application=application, reviewer=reviewer)
    workflow.application_recommend(application=application, actor=reviewer, outcome="certified")
    # What reviews' recommend service writes beside the event, and the sign-off reads.
    Recommendation.objects.create(application=application, reviewer=reviewer, outcome="certified")
    client = as_staff(supervisor)
    response = client.post(
        reverse("reviews:sign-off", args=[application.pk]), {"decision": "certified"}, follow=True
    )
    # Staff land on CBP's record of the application, not on the applicant's page.
    assert response.redirect_chain[-1][0] == reverse("reviews:record", args=[application.pk])
    assert "Its letter is being prepared" in response.text
    assert "Waiting for a worker" in response.text  # pending: its render is sent on commit
    assert application.letters.get().kind == "certification"


def test_a_reviewer_may_send_the_questions_as_a_letter(as_staff, owner_a, reviewer):
    from certification import workflow
    from reviews.services import review_claim
    from tests.factories import draft_application

    application = draft_application(owner=owner_a)
    workflow.application_submit(application=application, actor=owner_a)
    review_claim(application=application, actor=reviewer, no_conflict=True)
    client = as_staff(reviewer)
    url = reverse("reviews:request-information", args=[application.pk])
    form = client.get(url)
    assert "Also send the questions as a letter" in form.text
    response = client.post(
        url,
        {"due": "01/15/2099", "question_1": "Send the SOP.", "demonstration_1": "iii"},
    )
    assert response.status_code == 302
    assert not application.letters.exists()  # not asked for: no letter

    other = draft_application(owner=owner_a)
    workflow.application_submit(application=other, actor=owner_a)
    review_claim(application=other, actor=reviewer, no_conflict=True)
    response = client.post(
        reverse("reviews:request-information", args=[other.pk]),
        {"due": "01/15/2099", "question_1": "Send the SOP.", "with_letter": "on"},
    )
    assert response.status_code == 302
    letter = other.letters.get()
    assert (letter.kind, letter.information_request) == (
        "information_request",
        other.information_requests.get(),
    )
    assert letter.context["questions"] == ["\u2068Send the SOP.\u2069"]  # isolated: common.text
