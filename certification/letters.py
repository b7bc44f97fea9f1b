"""Decision letters: what they say, and how they become PDFs.

A letter is an admin-kept template (`LetterTemplate`: Markdown with `{{ placeholder }}`s) filled with
values fixed when the letter was asked for (`Letter.context`), laid out by `letters/letter.html`
(letterhead, reference, date, page numbers, the office's fonts) and rendered by WeasyPrint.

The order of the steps is what keeps hostile text harmless. The template's Markdown is rendered to
HTML with each placeholder standing in as an inert token, and that HTML is sanitised with nh3 down to
a few text tags (no links, images, styles or attributes). Only then are the values put in, escaped:
an organisation named `<img src="file:///etc/passwd">` is printed as those characters, and no value
can add markup. WeasyPrint fetches only our own static files (`StaticFilesFetcher`), so even markup
that slipped through could reach nothing else.

The PDF is PDF/A-3a: archival (fonts embedded, colour profile, XMP metadata) and, at level A, tagged
for accessibility, with the document's language and title. WeasyPrint writes one variant at a time;
the PDF/UA-1 identification is added to the same XMP metadata (`declare_pdfua`), so readers see
both.
docs/architecture.md says what each standard asks and which parts this meets.
"""

import hashlib
import html
import os
import re
import ssl
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

import markdown
import nh3
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from certification.models import Application, Decision, InformationRequest, LetterKind


@dataclass(frozen=True)
class Placeholder:
    name: str
    description: str
    block: bool = False  # a list or paragraphs: must stand on a line of its own


COMMON = [
    Placeholder("legal_name", "The applicant's legal name, as submitted."),
    Placeholder("importer_numbers", "The importer numbers covered, separated by commas."),
    Placeholder("address", "The applicant's address, on one line."),
    Placeholder("reference", "The application's reference, e.g. RKCP-2026-000123."),
    Placeholder("letter_date", "The date the letter bears."),
    Placeholder("signatory_name", "Who signs (setting RKCP_LETTER_SIGNATORY_NAME)."),
    Placeholder("signatory_title", "The signatory's title (setting RKCP_LETTER_SIGNATORY_TITLE)."),
    Placeholder("office_name", "The issuing office (setting RKCP_LETTER_OFFICE_NAME)."),
    Placeholder(
        "office_address", "The office's address, on one line (RKCP_LETTER_OFFICE_ADDRESS)."
    ),
]
DECISION = [
    Placeholder("decision_date", "The day the supervisor issued the decision."),
    Placeholder("effective_date", "The day the decision takes effect."),
]
CERTIFIED = [Placeholder("route", "The program: general, or negotiated alternative.")]
ALTERNATIVE = [
    Placeholder("alternative_terms", "The negotiated alternative program's terms.", block=True)
]
DENIED = [
    Placeholder(
        "reasons",
        "Each reason for the denial with its 163.13(b)(1) ground and demonstration.",
        block=True,
    ),
    Placeholder("appeal_deadline", "The last day to appeal (setting RKCP_APPEAL_DAYS after)."),
    Placeholder("appeal_addressee", "To whom an appeal is sent (setting RKCP_APPEAL_ADDRESSEE)."),
]
INFORMATION = [
    Placeholder("questions", "CBP's questions, numbered, each with its demonstration.", block=True),
    Placeholder("response_due", "The date the answers are due."),
]

# The fixed set of placeholders each kind of letter may use.
PLACEHOLDERS: dict[str, list[Placeholder]] = {
    LetterKind.CERTIFICATION: COMMON + DECISION + CERTIFIED,
    LetterKind.CERTIFICATION_ALTERNATIVE: COMMON + DECISION + CERTIFIED + ALTERNATIVE,
    LetterKind.DENIAL: COMMON + DECISION + DENIED,
    LetterKind.INFORMATION_REQUEST: COMMON + INFORMATION,
}

PLACEHOLDER_RE = re.compile(r"\{\{\s*([A-Za-z0-9_]+)\s*\}\}")
# Anything that looks like a placeholder but is not well formed: "{{ name" or "{{name}".
LOOSE_BRACES_RE = re.compile(r"\{\{|\}\}")


def check_template(*, kind: str, subject: str, body: str) -> None:
    """Refuse a template that uses a placeholder its kind does not have, writes one malformed, or
    puts a block placeholder inside a paragraph. Errors are keyed by field for the admin form."""
    allowed = {p.name: p for p in PLACEHOLDERS[kind]}
    errors: dict[str, list[str]] = {}
    for field, text in (("subject", subject), ("body", body)):
        unknown = sorted({n for n in PLACEHOLDER_RE.findall(text) if n not in allowed})
        if unknown:
            errors.setdefault(field, []).append(
                f"Unknown placeholder{'s' if len(unknown) > 1 else ''}: "
                f"{', '.join('{{ ' + n + ' }}' for n in unknown)}. "
                f"This kind of letter may use: {', '.join(sorted(allowed))}."
            )
        if LOOSE_BRACES_RE.search(PLACEHOLDER_RE.sub("", text)):
            errors.setdefault(field, []).append(
                "Write placeholders as {{ name }}, with two braces on each side."
            )
    blocks = [p.name for p in allowed.values() if p.block]
    in_subject = set(PLACEHOLDER_RE.findall(subject))
    for name in blocks:
        if name in in_subject:
            errors.setdefault("subject", []).append(f"{{{{ {name} }}}} cannot be in the subject.")
    for line in body.splitlines():
        used = PLACEHOLDER_RE.findall(line)
        if any(n in blocks for n in used) and not PLACEHOLDER_RE.fullmatch(line.strip()):
            errors.setdefault("body", []).append(
                f"Put {{{{ {next(n for n in used if n in blocks)} }}}} on a line of its own: "
                "it is a list, not words in a sentence."
            )
    if errors:
        raise ValidationError(errors)


# The tags a letter's text may use once rendered from Markdown: text structure, nothing that links,
# loads or styles.
ALLOWED_TAGS = {"p", "h2", "h3", "ul", "ol", "li", "strong", "em", "br", "blockquote", "hr"}


def _token(index: int) -> str:
    # Letters and digits only, so Markdown leaves it alone wherever it stands.
    return f"RKCPPLACEHOLDER{index}X"


def fill(text: str, context: dict[str, str | list], *, markdown_text: bool) -> str:
    """The template text as safe HTML: Markdown rendered and sanitised first, then each placeholder
    replaced by its value, escaped (a list value as a list)."""
    names: list[str] = []

    def stand_in(match: re.Match) -> str:
        names.append(match.group(1))
        return _token(len(names) - 1)

    tokenised = PLACEHOLDER_RE.sub(stand_in, text)
    if markdown_text:
        rendered = markdown.markdown(tokenised, extensions=["sane_lists"], output_format="html")
        safe = nh3.clean(rendered, tags=ALLOWED_TAGS, attributes={}, link_rel=None)
    else:
        safe = html.escape(tokenised)
    for index, name in enumerate(names):
        value = context.get(name, "")
        if isinstance(value, list):
            items = "".join(f"<li>{html.escape(str(item))}</li>" for item in value)
            block = f'<ol class="letter-list">{items}</ol>' if value else ""
            safe = safe.replace(f"<p>{_token(index)}</p>", block)
            value = "; ".join(str(item) for item in value)
        safe = safe.replace(_token(index), html.escape(str(value)))
    return safe


def _date(value: date) -> str:
    return f"{value:%B} {value.day}, {value.year}"


def _common(application: Application, dated: date) -> dict[str, str | list]:
    snapshot = application.profile_snapshot or {}
    address = ", ".join(
        part
        for part in (
            snapshot.get("address_line1", ""),
            snapshot.get("address_line2", ""),
            snapshot.get("city", ""),
            " ".join(p for p in (snapshot.get("state", ""), snapshot.get("postal_code", "")) if p),
        )
        if part
    )
    return {
        "legal_name": snapshot.get("legal_name") or application.organisation.legal_name,
        "importer_numbers": ", ".join(snapshot.get("importer_numbers") or []),
        "address": address,
        "reference": application.reference or "",
        "letter_date": _date(dated),
        "signatory_name": settings.LETTER_SIGNATORY_NAME,
        "signatory_title": settings.LETTER_SIGNATORY_TITLE,
        "office_name": settings.LETTER_OFFICE_NAME,
        "office_address": ", ".join(settings.LETTER_OFFICE_ADDRESS),
    }


def decision_letter_kind(decision: Decision) -> str:
    if decision.outcome == Decision.Outcome.DENIED:
        return LetterKind.DENIAL
    if decision.application.route == "alternative":
        return LetterKind.CERTIFICATION_ALTERNATIVE
    return LetterKind.CERTIFICATION


def decision_context(decision: Decision, dated: date) -> dict[str, str | list]:
    """The placeholders' values for a decision letter, as of `dated`."""
    application = decision.application
    context = _common(application, dated) | {
        "decision_date": _date(timezone.localdate(decision.decided_at)),
        "effective_date": _date(decision.effective_date),
        "route": (
            "negotiated alternative program"
            if application.route == "alternative"
            else "general program"
        ),
        "alternative_terms": [
            line.strip() for line in application.proposed_terms.splitlines() if line.strip()
        ],
    }
    if decision.outcome == Decision.Outcome.DENIED:
        context |= {
            "reasons": [
                f"{reason['text']} (19 CFR {reason['ground']}; demonstration "
                f"({reason['demonstration']}))"
                for reason in decision.reasons
            ],
            "appeal_deadline": _date(decision.appeal_deadline) if decision.appeal_deadline else "",
            "appeal_addressee": settings.APPEAL_ADDRESSEE,
        }
    return context


def information_request_context(request: InformationRequest, dated: date) -> dict[str, str | list]:
    items = request.items.order_by("position", "pk")
    return _common(request.application, dated) | {
        "questions": [
            f"{item.question}"
            + (f" (demonstration ({item.demonstration}))" if item.demonstration else "")
            for item in items
        ],
        "response_due": _date(request.due),
    }


def appeal_deadline(decided: date) -> date:
    return decided + timedelta(days=settings.APPEAL_DAYS)


class StaticFilesFetcher(URLFetcher):
    """Lets WeasyPrint read only our own static files: `file:` URLs of files inside a static
    directory, after symlinks are resolved. Anything else (http, https, data, ftp, `file:` outside
    static) is refused; WeasyPrint then leaves the resource out and goes on."""

    def __init__(self, **kwargs):
        # An SSL context that loads no certificates: this fetcher refuses https, and the default
        # one WeasyPrint would build loads the system's store, a fifth of a letter's render time.
        kwargs.setdefault("ssl_context", ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT))
        super().__init__(allowed_protocols={"file"}, allow_redirects=False, **kwargs)
        self.roots = [Path(os.path.realpath(root)) for root in static_roots()]

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise ValueError(f"Letters load only the service's own static files, not {url!r}")
        path = Path(os.path.realpath(unquote(parts.path)))
        if not any(path.is_relative_to(root) for root in self.roots) or not path.is_file():
            raise ValueError(f"Letters load only the service's own static files, not {url!r}")
        return super().fetch(path.as_uri(), headers)


def static_roots() -> list[str]:
    """The directories static files come from: the finders' locations, and STATIC_ROOT."""
    roots = [str(settings.STATIC_ROOT)] if settings.STATIC_ROOT else []
    for finder in finders.get_finders():
        roots += [root for _prefix, root in getattr(finder, "locations", [])]
        roots += [storage.location for storage in getattr(finder, "storages", {}).values()]
    return roots


def static_file_url(path: str) -> str:
    """The `file:` URL of one of our static files, for the letter's stylesheet and fonts."""
    found = finders.find(path)
    if not found:
        raise LookupError(f"The static file {path} is missing: run `npm run build`.")
    return Path(found).resolve().as_uri()


PDFUA_DESCRIPTION = (
    b'<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" '
    b'pdfuaid:part="1" />'
)


def declare_pdfua(document, pdf) -> None:
    """A WeasyPrint finisher: adds the PDF/UA-1 identification to the PDF/A metadata it wrote, in
    the same `rdf:RDF` (XMP allows one), so the file declares both standards it is made to."""
    number = int(pdf.catalog["Metadata"].split()[0])  # a reference, b"12 0 R"
    metadata = pdf.objects[number]
    metadata.stream = [
        chunk.replace(b"</rdf:RDF>", PDFUA_DESCRIPTION + b"</rdf:RDF>", 1)
        for chunk in metadata.stream
    ]


def letter_html(*, subject: str, body_html: str, context: dict, title: str) -> str:
    """The whole letter as an HTML document for WeasyPrint."""
    return render_to_string(
        "letters/letter.html",
        {
            "subject": subject,
            "body": body_html,
            "title": title,
            "context": context,
            "office_address": settings.LETTER_OFFICE_ADDRESS,
            "stylesheet": static_file_url("letters/letter.css"),
            "fonts": {
                weight: static_file_url(f"vendor/uswds/fonts/public-sans/PublicSans-{name}.ttf")
                for weight, name in (("400", "Regular"), ("700", "Bold"), ("400i", "Italic"))
            },
        },
    )


def render_pdf(document_html: str) -> bytes:
    """HTML to a PDF/A-3a (tagged) on US Letter, fetching only our static files."""
    return HTML(string=document_html, url_fetcher=StaticFilesFetcher()).write_pdf(
        pdf_variant="pdf/a-3a", finisher=declare_pdfua
    )


def render(*, subject: str, body: str, context: dict) -> tuple[bytes, str]:
    """A letter's PDF and its SHA-256, from its template's text and its context."""
    filled_subject = fill(subject, context, markdown_text=False)
    document = letter_html(
        subject=filled_subject,
        body_html=fill(body, context, markdown_text=True),
        context=context,
        title=f"{html.unescape(filled_subject)}: {context.get('reference', '')}",
    )
    pdf = render_pdf(document)
    return pdf, hashlib.sha256(pdf).hexdigest()


def sample_context(kind: str) -> dict[str, str | list]:
    """Made-up values for an admin's preview of a template."""
    today = timezone.localdate()
    return {
        "legal_name": "Example Importing Company, Inc.",
        "importer_numbers": "12-3456789AB",
        "address": "100 Harbor Way, Long Beach, CA 90802",
        "reference": f"RKCP-{today.year}-SAMPLE",  # no application has such a reference
        "letter_date": _date(today),
        "signatory_name": settings.LETTER_SIGNATORY_NAME,
        "signatory_title": settings.LETTER_SIGNATORY_TITLE,
        "office_name": settings.LETTER_OFFICE_NAME,
        "office_address": ", ".join(settings.LETTER_OFFICE_ADDRESS),
        "decision_date": _date(today),
        "effective_date": _date(today),
        "route": (
            "negotiated alternative program"
            if kind == LetterKind.CERTIFICATION_ALTERNATIVE
            else "general program"
        ),
        "alternative_terms": [
            "Records are kept in the importer's document system, indexed by entry number.",
            "Originals are kept 120 days after release before destruction.",
        ],
        "reasons": [
            "No procedure for producing records to CBP on demand was shown (19 CFR "
            "163.13(b)(1)(i); demonstration (iii))",
        ],
        "appeal_deadline": _date(appeal_deadline(today)),
        "appeal_addressee": settings.APPEAL_ADDRESSEE,
        "questions": [
            "Send your retrieval procedure for CBP Form 28 requests (demonstration (iii))",
        ],
        "response_due": _date(today + timedelta(days=30)),
    }
