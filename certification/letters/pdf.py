"""Letters as PDFs: the filled template laid out by `letters/letter.html` and rendered by WeasyPrint.

Imported only where letters are rendered (the worker's task, the previews), never at a web
process's start: WeasyPrint takes some 0.7 s and 40 MB to import.

The PDF is PDF/A-3a: archival (fonts embedded, colour profile, XMP metadata) and, at level A, tagged
for accessibility, with the document's language and title. WeasyPrint writes one variant at a time;
the PDF/UA-1 identification is added to the same XMP metadata (`declare_pdfua`), so readers see
both. docs/architecture.md says what each standard asks and which parts this meets.
"""

import hashlib
import html
import os
import ssl
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from certification.letters.content import fill


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


# The elements a paragraph can be nested in: a closing paragraph inside one is not split off.
CONTAINERS = ("ol", "ul", "li", "blockquote")


def split_closing(body_html: str) -> tuple[str, str]:
    """The letter's body and its closing paragraph, apart, so that the layout can keep the closing
    paragraph on the page of the signature: a page holding only "Sincerely" and a name reads as a
    letter's end torn off. The filled Markdown puts each top-level block on lines of its own, so
    the closing paragraph is the last line that starts a `<p>`, when the body ends with it."""
    body = body_html.rstrip()
    if not body.endswith("</p>"):
        return body_html, ""
    start = body.rfind("\n<p>") + 1  # 0 when the body is one paragraph
    if not body.startswith("<p>", start):
        return body_html, ""
    before, closing = body[:start], body[start:]
    nested = any(
        before.count(f"<{tag}") != before.count(f"</{tag}>") or f"</{tag}>" in closing
        for tag in CONTAINERS
    )
    if nested:
        return body_html, ""
    return before, closing


PREVIEW_MARK = "Preview — not issued"


def letter_html(
    *, subject: str, body_html: str, context: dict, title: str, preview: bool = False
) -> str:
    """The whole letter as an HTML document for WeasyPrint; a `preview` is marked as not issued
    on every page and in its title."""
    body, closing = split_closing(body_html)
    return render_to_string(
        "letters/letter.html",
        {
            "subject": subject,
            "body": body,
            "closing": closing,
            "title": f"{PREVIEW_MARK}: {title}" if preview else title,
            "preview_mark": PREVIEW_MARK if preview else "",
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


def render(*, subject: str, body: str, context: dict, preview: bool = False) -> tuple[bytes, str]:
    """A letter's PDF and its SHA-256, from its template's text and its context; a `preview` is
    marked "Preview — not issued" on every page."""
    filled_subject = fill(subject, context, markdown_text=False)
    document = letter_html(
        subject=filled_subject,
        body_html=fill(body, context, markdown_text=True),
        context=context,
        title=f"{html.unescape(filled_subject)}: {context.get('reference', '')}",
        preview=preview,
    )
    pdf = render_pdf(document)
    return pdf, hashlib.sha256(pdf).hexdigest()
