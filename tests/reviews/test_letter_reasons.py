"""A denial's letter says why in the reviewer's words, each reason with its demonstration and
ground; the scoring's points and percentages stay in CBP's record."""

import pytest

from certification import workflow
from certification.letters import lifecycle as letter_lifecycle
from certification.models import Letter
from reviews.selectors import applicable_criteria
from reviews.services import review_claim, review_recommend, review_save_scores, review_sign_off
from tests.factories import draft_application
from tests.pdfs import flat, pdf_text

pytestmark = pytest.mark.django_db

FOUND = "You did not show how you would find and send records CBP asks for."
MEET = "A written procedure naming who answers a CBP request for records and how soon."


def recommended_denial(*, owner, reviewer):
    """An application scored 0 throughout and recommended for denial with one reason of the
    reviewer's, as the workspace would."""
    application = draft_application(owner=owner)
    workflow.application_submit(application=application, actor=owner)
    review_claim(application=application, actor=reviewer, no_conflict=True)
    review_save_scores(
        application=application,
        actor=reviewer,
        scores={
            criterion.pk: {"score": 0, "not_applicable": False, "notes": ""}
            for criterion in applicable_criteria(application=application)
        },
    )
    review_recommend(
        application=application,
        actor=reviewer,
        outcome="denied",
        reasons=[
            {"ground": "163.13(b)(1)(i)", "demonstration": "iii", "text": FOUND, "remedy": MEET}
        ],
    )
    application.refresh_from_db()
    return application


def test_a_rendered_denial_gives_the_reviewers_words_and_the_ground_and_no_scores(
    owner_a, reviewer, supervisor, tmp_path
):
    application = recommended_denial(owner=owner_a, reviewer=reviewer)
    # The scoring's jargon is kept on the recommendation, for CBP.
    notes = " ".join(n["text"] for n in application.recommendations.get().scoring_notes)
    assert "weighted points" in notes and "%" in notes

    review_sign_off(application=application, actor=supervisor, decision="denied")
    letter = letter_lifecycle.letter_render(
        letter_id=Letter.objects.get(application=application).pk
    )
    path = tmp_path / "denial.pdf"
    path.write_bytes(letter.file.read())
    text = flat(pdf_text(path))
    for expected in (
        "Procedures to prepare, maintain and produce records",
        FOUND,
        MEET,
        "19 CFR 163.13(b)(1)(i)",
    ):
        assert flat(expected) in text
    assert "%" not in text
    assert "weightedpoints" not in text
    assert "Must-pass" not in text
