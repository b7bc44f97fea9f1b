"""Letters rendered in the request, to be looked at and kept nowhere: an admin's template with
sample values, and the letter a supervisor's sign-off would issue.

Unlike letters, which a worker renders, a preview is an occasional check by one person, who would
only wait longer for a worker. WeasyPrint is imported when a preview is asked for, never when a web
process starts (tests/test_settings.py holds it to that)."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from certification.letters import content as letters
from certification.letters.versions import letter_template_text


def pdf_inline_response(pdf: bytes, *, filename: str) -> HttpResponse:
    """A PDF shown in the browser: never sniffed as another type, never in a shared cache."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response.headers["Content-Disposition"] = (
        content_disposition_header(False, filename) or "inline"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def decision_letter_preview(*, facts: letters.DecisionFacts) -> bytes:
    """The letter a decision with these facts would get, from the template in use, filled by the
    same functions as the real one and marked "Preview — not issued". Saves nothing: no letter, no
    template version, no event."""
    from certification.letters import pdf as letter_pdf  # WeasyPrint: loaded only when asked

    subject, body = letter_template_text(kind=letters.decision_letter_kind(facts))
    pdf, _sha256 = letter_pdf.render(
        subject=subject,
        body=body,
        context=letters.decision_context(facts, timezone.localdate()),
        preview=True,
    )
    return pdf
