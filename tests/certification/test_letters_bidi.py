"""A right-to-left override already stored in a value (forms refuse them now; older rows may hold
one) reverses only that value in a letter, never the letter's own words around it. Checked on real
PDFs rendered by WeasyPrint, read back with pdftotext."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from certification import workflow
from certification.letters import content as letters
from certification.letters import lifecycle as letter_lifecycle
from certification.letters import pdf as letter_pdf
from certification.letters.versions import letter_template_in_use
from certification.models import Decision, Letter
from tests.factories import decide, draft_application, start_review
from tests.pdfs import flat, pdf_text

pytestmark = pytest.mark.django_db

RLO = "\u202e"


def _text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    return flat(pdf_text(path))


def test_a_stored_override_in_the_legal_name_reverses_only_the_name(owner_a, reviewer, supervisor):
    decision = decide(owner=owner_a, reviewer=reviewer, supervisor=supervisor, outcome="denied")
    # The letter's values as stored when it was asked for, written straight to the table as a row
    # from before the forms refused such characters.
    pending = Letter.objects.get(decision=decision)
    Letter.objects.filter(pk=pending.pk).update(
        context={**pending.context, "legal_name": f"Acme {RLO}Imports"}
    )
    letter = letter_lifecycle.letter_render(letter_id=pending.pk)
    assert letter.status == "ready", letter.last_error

    text = flat(pdf_text(Path(letter.file.path)))
    # The name reads "Acme stropmI" (the override reverses what follows it, within the name), and
    # the colon after it stays after it.
    assert "DearAcmestropmI:" in text
    assert ":stropmI" not in text


def test_a_stored_override_in_a_question_leaves_the_demonstration_in_order(
    owner_a, reviewer, tmp_path
):
    application = draft_application(owner=owner_a)
    workflow.application_submit(application=application, actor=owner_a)
    start_review(application=application, reviewer=reviewer)
    request = workflow.application_request_information(
        application=application,
        actor=reviewer,
        questions=[workflow.Question("Send the index", demonstration="iii")],
        due=timezone.localdate() + timedelta(days=30),
    )
    request.items.update(question=f"Send the {RLO}index")

    context = letters.information_request_context(request, date(2026, 11, 27))
    template = letter_template_in_use(kind="information_request")
    pdf, _ = letter_pdf.render(subject=template.subject, body=template.body, context=context)
    text = _text(pdf, tmp_path)

    assert "Sendthexedni(demonstration(iii))" in text
    assert "noitartsnomed" not in text


def test_a_stored_override_in_a_reason_leaves_the_letters_words_in_order(
    owner_a, reviewer, supervisor, tmp_path
):
    decision = decide(owner=owner_a, reviewer=reviewer, supervisor=supervisor, outcome="denied")
    reason = {
        "ground": "163.13(b)(1)(i)",
        "demonstration": "iii",
        "text": f"No {RLO}index",
        "remedy": f"An {RLO}index of records",
    }
    Decision.objects.filter(pk=decision.pk).update(reasons=[reason])
    decision.refresh_from_db()

    context = letters.decision_context(decision, date(2026, 11, 27))
    template = letter_template_in_use(kind="denial")
    pdf, _ = letter_pdf.render(subject=template.subject, body=template.body, context=context)
    text = _text(pdf, tmp_path)

    assert "Whatwefound:Noxedni" in text
    assert "Whatwouldmeettherequirement:Ansdrocerfoxedni" in text
    assert "Groundfordenial:19CFR163.13(b)(1)(i)" in text


# --- The HTML a value becomes --------------------------------------------------------------------
def test_each_value_is_put_in_isolated_and_escaped():
    html = letters.fill("Dear {{ name }}:", {"name": "<b>Acme</b>"}, markdown_text=True)
    assert html == "<p>Dear <bdi>&lt;b&gt;Acme&lt;/b&gt;</bdi>:</p>"


def test_a_persons_words_inside_a_composed_value_get_their_own_isolation():
    statement = letters.violation_statement(f"Acme {RLO}Co")
    html = letters.fill("{{ s }}", {"s": statement}, markdown_text=True)
    assert html.startswith(f"<p><bdi><bdi>Acme {RLO}Co</bdi> violated the recordkeeping")


def test_isolate_marks_an_older_row_holds_cannot_unbalance_the_markup():
    stray = "a\u2069b\u2068c"
    html = letters.fill("{{ s }}", {"s": stray}, markdown_text=False)
    assert html == "<bdi>ab<bdi>c</bdi></bdi>"
    assert html.count("<bdi>") == html.count("</bdi>")
