"""The supervisor previews the letter a sign-off would issue: a PDF marked as not issued, made with
the letter's own functions from the recommendation, saved nowhere, and for nobody else."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from certification.letters import content as letters
from certification.models import Event, Letter, LetterTemplate
from recordkeepers.models import StaffRole
from tests.pdfs import flat, pdf_text
from tests.reviews.test_letter_reasons import FOUND, MEET, recommended_denial

pytestmark = pytest.mark.django_db


def url(application) -> str:
    return reverse("reviews:sign-off-preview", args=[application.pk])


@pytest.fixture
def recommended(owner_a, reviewer):
    return recommended_denial(owner=owner_a, reviewer=reviewer)


def test_the_supervisor_previews_the_denial_as_a_pdf_with_the_reviewers_words_and_no_scores(
    as_staff, recommended, supervisor, tmp_path
):
    client = as_staff(supervisor)
    page = client.get(reverse("reviews:sign-off", args=[recommended.pk]))
    assert url(recommended) in page.text and "Preview the letter" in page.text
    events, templates = Event.objects.count(), LetterTemplate.objects.count()

    response = client.get(url(recommended))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    path = Path(tmp_path / "preview.pdf")
    path.write_bytes(response.content)
    text = flat(pdf_text(path))
    assert flat("Preview — not issued") in text
    for expected in (
        FOUND,
        MEET,
        "19 CFR 163.13(b)(1)(i)",
        recommended.reference,
        # Today's date, and the appeal deadline the decision would be given today.
        letters._date(timezone.localdate()),
        letters._date(
            letters.decision_facts_on(
                application=recommended, outcome="denied", reasons=[], issued=timezone.localdate()
            ).appeal_deadline
        ),
    ):
        assert flat(expected) in text
    assert "%" not in text and "weightedpoints" not in text
    # Nothing was saved: no letter, no template version, no event; the application still waits.
    assert not Letter.objects.exists()
    assert (Event.objects.count(), LetterTemplate.objects.count()) == (events, templates)
    recommended.refresh_from_db()
    assert recommended.status == "recommended"


def test_the_preview_is_only_looked_at(as_staff, recommended, supervisor):
    assert as_staff(supervisor).post(url(recommended)).status_code == 405


def test_the_recommending_reviewer_and_another_reviewer_get_no_preview(
    as_staff, recommended, reviewer, other_reviewer
):
    assert as_staff(reviewer).get(url(recommended)).status_code == 404
    assert as_staff(other_reviewer).get(url(recommended)).status_code == 404


def test_a_supervisor_who_recommended_it_gets_no_preview_nor_the_link(
    as_staff, recommended, reviewer
):
    # The reviewer is made a supervisor too: four eyes still keep the decision from them.
    reviewer.groups.add(Group.objects.get_or_create(name=StaffRole.SUPERVISOR.value)[0])
    client = as_staff(reviewer)
    assert client.get(url(recommended)).status_code == 404
    page = client.get(reverse("reviews:sign-off", args=[recommended.pk]))
    assert url(recommended) not in page.text


def test_the_applicant_gets_no_preview(client, recommended, owner_a):
    client.force_login(owner_a)
    assert client.get(url(recommended)).status_code == 404


def test_nothing_waiting_for_sign_off_has_no_preview(as_staff, recommended, supervisor):
    client = as_staff(supervisor)
    client.post(reverse("reviews:sign-off", args=[recommended.pk]), {"decision": "denied"})
    assert client.get(url(recommended)).status_code == 404
