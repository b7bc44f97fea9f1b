"""Hostile text in a letter stays text: it is printed as written, makes WeasyPrint fetch nothing
(a listening socket on this machine would see it) and embeds nothing. In this process: the worker
runs the same code (tests/certification/test_letters_worker.py)."""

import socket
import threading
from datetime import date
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from weasyprint import HTML

from certification.letters import content as letters
from certification.letters import lifecycle as letter_lifecycle
from certification.letters import pdf as letter_pdf
from certification.letters.versions import letter_template_in_use
from certification.models import Letter, LetterTemplate
from tests.factories import decide
from tests.pdfs import embedded_files, flat, pdf_text, pdfdetach_list

pytestmark = pytest.mark.django_db


class Listener:
    """A TCP port on 127.0.0.1 that records every connection made to it."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.socket.settimeout(0.05)
        self.port = self.socket.getsockname()[1]
        self.connections: list[tuple] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, address = self.socket.accept()
            except TimeoutError:
                if self._stop.is_set():
                    return  # only after a last wait, so a connection just made is counted
                continue
            self.connections.append(address)
            connection.close()

    def close(self) -> list[tuple]:
        """Stop listening; the connections that were made."""
        self._stop.set()
        self._thread.join(timeout=5)
        self.socket.close()
        return self.connections


@pytest.fixture
def listener():
    listening = Listener()
    yield listening
    listening.close()


def letter_for(decision) -> Letter:
    letter = letter_lifecycle.letter_render(letter_id=Letter.objects.get(decision=decision).pk)
    assert letter.status == "ready", letter.last_error
    return letter


def assert_harmless(letter: Letter, listener: Listener) -> str:
    """The letter's PDF holds no file, shows nothing of /etc/passwd, and no request reached the
    listener. Returns its text."""
    path = Path(letter.file.path)
    text = pdf_text(path)
    assert embedded_files(path.read_bytes()) == []
    assert pdfdetach_list(path) == "0 embedded files"
    assert "root:" not in text
    assert listener.close() == []
    return text


HOSTILE_NAMES = [
    '<img src="file:///etc/passwd">',
    '<link rel="attachment" href="file:///etc/passwd">',
    '<img src="http://127.0.0.1:PORT/x.png"> <link rel=stylesheet href=http://127.0.0.1:PORT/x.css>',
]


@pytest.mark.parametrize("hostile", HOSTILE_NAMES)
def test_an_organisation_named_like_markup_gets_its_name_printed_and_nothing_fetched(
    hostile, listener, owner_a, reviewer, supervisor
):
    name = hostile.replace("PORT", str(listener.port))
    organisation = owner_a.membership.organisation
    organisation.legal_name = name
    organisation.save(update_fields=["legal_name"])
    decision = decide(owner=owner_a, reviewer=reviewer, supervisor=supervisor, outcome="denied")
    letter = letter_for(decision)
    assert letter.context["legal_name"] == name

    text = assert_harmless(letter, listener)
    # The recipient's address and the salutation, character for character (lines may break after
    # a "/", so whitespace is left out of the comparison).
    assert flat(text).count(flat(name)) == 2, text


def test_a_reviewers_reason_written_like_markup_is_printed_and_fetches_nothing(
    listener, owner_a, reviewer, supervisor, tmp_path
):
    hostile = (
        f'<img src="http://127.0.0.1:{listener.port}/r.png"> '
        '<link rel="attachment" href="file:///etc/passwd">'
    )
    decision = decide(owner=owner_a, reviewer=reviewer, supervisor=supervisor, outcome="denied")
    decision.reasons = [{"ground": "163.13(b)(1)(i)", "demonstration": "iii", "text": hostile}]
    context = letters.decision_context(decision, date(2026, 11, 27))
    template = letter_template_in_use(kind="denial")
    pdf, _sha256 = letter_pdf.render(subject=template.subject, body=template.body, context=context)
    assert embedded_files(pdf) == []
    assert listener.close() == []
    (tmp_path / "letter.pdf").write_bytes(pdf)
    assert flat(hostile) in flat(pdf_text(tmp_path / "letter.pdf"))


def test_an_admin_template_that_tries_to_load_or_attach_files_renders_without_either(
    listener, owner_a, reviewer, supervisor
):
    port = listener.port
    body = (
        "Dear {{ legal_name }}:\n\n"
        f"![x](http://127.0.0.1:{port}/a.png)\n\n"
        f'<img src="http://127.0.0.1:{port}/b.png">\n\n'
        "<link rel=attachment href=file:///etc/passwd>\n\n"
        '<a rel="attachment" href="file:///etc/passwd">the password file</a>\n\n'
        f"<style>@import url(http://127.0.0.1:{port}/);</style>\n\n"
        f'<object data="http://127.0.0.1:{port}/o"></object>\n\n'
        "You are **certified** from {{ effective_date }}.\n"
    )
    letters.check_template(kind="certification", subject="Certified", body=body)
    LetterTemplate.objects.create(kind="certification", version=99, subject="Certified", body=body)
    decision = decide(owner=owner_a, reviewer=reviewer, supervisor=supervisor)

    letter = letter_for(decision)
    assert letter.template.version == 99
    text = assert_harmless(letter, listener)
    assert "You are certified from" in " ".join(text.split())


# --- The fetcher, under the sanitiser: what WeasyPrint may read at all ------------------------------

RAW_HOSTILE_HTML = """<!DOCTYPE html><html lang="en"><head><title>t</title>
<link rel="stylesheet" href="http://127.0.0.1:PORT/x.css">
<link rel="attachment" href="file:///etc/passwd">
<style>@import url(http://127.0.0.1:PORT/i.css);
@font-face { font-family: X; src: url(http://127.0.0.1:PORT/f.ttf); }</style>
</head><body><p>Text <img src="http://127.0.0.1:PORT/x.png" alt="x"> <img src="file:///etc/passwd" alt="p">
<a rel="attachment" href="file:///etc/passwd">passwd</a></p>
<object data="http://127.0.0.1:PORT/o"></object></body></html>"""


def test_the_listener_and_the_checks_catch_what_an_unguarded_weasyprint_does(listener):
    """The trap works: WeasyPrint's own fetcher would call the port and attach the file."""
    pdf = HTML(string=RAW_HOSTILE_HTML.replace("PORT", str(listener.port))).write_pdf()
    assert embedded_files(pdf)
    assert listener.close()


def test_markup_that_reached_weasyprint_would_still_fetch_and_attach_nothing(listener):
    pdf = letter_pdf.render_pdf(RAW_HOSTILE_HTML.replace("PORT", str(listener.port)))
    assert embedded_files(pdf) == []
    assert listener.close() == []


@pytest.fixture
def letter_css() -> Path:
    return Path(finders.find("letters/letter.css")).resolve()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:PORT/letter.css",
        "https://127.0.0.1:PORT/letter.css",
        "ftp://127.0.0.1:PORT/letter.css",
        "data:text/css,body%7Bcolor:red%7D",
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "file://localhost/etc/passwd",
        "file://otherhost/LETTER_CSS",  # urllib would try FTP to "otherhost"
        "file://127.0.0.1:PORT/LETTER_CSS",
        "file://LETTER_CSS_DIR/../../../../../../../../etc/passwd",
        "file://LETTER_CSS_DIR/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "file://LETTER_CSS_DIR/",  # a static directory, not a file
    ],
)
def test_the_fetcher_refuses_anything_but_a_static_file(url, listener, letter_css):
    url = (
        url.replace("PORT", str(listener.port))
        .replace("/LETTER_CSS_DIR", str(letter_css.parent))
        .replace("/LETTER_CSS", str(letter_css))
    )
    with pytest.raises(ValueError, match="only the service's own static files"):
        letter_pdf.StaticFilesFetcher().fetch(url)
    assert listener.close() == []


@pytest.mark.parametrize("host", ["", "localhost"])
def test_the_fetcher_reads_the_letters_stylesheet(host, letter_css):
    response = letter_pdf.StaticFilesFetcher().fetch(f"file://{host}{letter_css}")
    try:
        assert b"@page" in response.read()
    finally:
        response.close()


def test_a_symlink_in_a_static_directory_cannot_lead_out_of_it(settings, tmp_path):
    static = tmp_path / "static"
    (static / "letters").mkdir(parents=True)
    (static / "letters" / "ours.css").write_text("p { color: black }")
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n")
    (static / "letters" / "secret.css").symlink_to(secret)
    (static / "passwd").symlink_to("/etc/passwd")
    (static / "etc").symlink_to("/etc", target_is_directory=True)
    settings.STATICFILES_DIRS = [static]
    settings.STATIC_ROOT = tmp_path / "static-root"
    assert str(static) in letter_pdf.static_roots()

    fetcher = letter_pdf.StaticFilesFetcher()
    response = fetcher.fetch((static / "letters" / "ours.css").as_uri())
    assert response.read() == b"p { color: black }"
    response.close()
    for inside_by_name in ("letters/secret.css", "passwd", "etc/passwd"):
        with pytest.raises(ValueError, match="only the service's own static files"):
            fetcher.fetch((static / inside_by_name).as_uri())
