"""Evidence files: recognised by content, named safely, limited in size, stored privately under random
names, and downloaded only by those who may see the application."""

import hashlib
import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.urls import include, path, reverse

from certification.evidence import views as downloads
from certification.evidence.checks import MB, sanitise_filename, validate_upload
from certification.evidence.services import evidence_add, evidence_remove
from certification.models import Application, ApplicationStatus, Attestation, Evidence
from certification.workflow import StaleApplication
from tests.factories import draft_application
from tests.pdfs import plain_pdf

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

# The view is wired into the applicant URLs separately; this module is its own URLconf, the service's
# own URLs plus the download, so that these tests do not depend on where it is mounted.
urlpatterns = [
    path("evidence/<int:pk>/download", downloads.evidence_download, name="evidence-download"),
    path("", include("config.urls")),
]

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UNSUPPORTED = (
    "is not a file type we accept. Upload a PDF, PNG, JPEG, Word (.docx), Excel (.xlsx), CSV or "
    "plain-text file."
)


# --- Tiny real files --------------------------------------------------------------------------------
def pdf_bytes() -> bytes:
    return plain_pdf()  # evidence checks read it: a real one-page PDF


def png_bytes() -> bytes:
    """A 1×1 grey PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + chunk(b"IEND", b"")
    )


def jpeg_bytes() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\xff\xd9"


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


CONTENT_TYPES_XML = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


def docx_bytes(**extra: bytes) -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": CONTENT_TYPES_XML,
            "_rels/.rels": b"<Relationships/>",
            "word/document.xml": b"<w:document/>",
            **extra,
        }
    )


def xlsx_bytes() -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": CONTENT_TYPES_XML,
            "_rels/.rels": b"<Relationships/>",
            "xl/workbook.xml": b"<workbook/>",
        }
    )


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    # The browser's Content-Type is whatever the client says; the checks never look at it.
    return SimpleUploadedFile(name, content, content_type=content_type)


def refusal(name: str, content: bytes, *, already_stored_bytes: int = 0) -> str:
    with pytest.raises(ValidationError) as error:
        validate_upload(upload(name, content), already_stored_bytes=already_stored_bytes)
    (message,) = error.value.messages
    return message


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    root = tmp_path / "private-media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root, "base_url": None},
        },
    }
    return root


def stored_files(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def draft(owner_a):
    return draft_application(owner=owner_a, attested=True)


def add(application, actor, name="report.pdf", content=None, demonstration="iii", **kwargs):
    return evidence_add(
        application=application,
        actor=actor,
        demonstration=demonstration,
        upload=upload(name, pdf_bytes() if content is None else content),
        expected_version=kwargs.pop("expected_version", application.version),
        **kwargs,
    )


# --- Recognising types by content ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("procedures.pdf", pdf_bytes(), "application/pdf"),
        ("org chart.PNG", png_bytes(), "image/png"),
        ("scan.jpg", jpeg_bytes(), "image/jpeg"),
        ("scan.jpeg", jpeg_bytes(), "image/jpeg"),
        ("manual.docx", docx_bytes(), DOCX_TYPE),
        ("retention.xlsx", xlsx_bytes(), XLSX_TYPE),
        ("entries.csv", b"entry,date\n123-4567890-1,2026-01-05\r\n", "text/csv"),
        ("notes.txt", "Récords kept 5 years.\n\tIndented\x0c\n".encode(), "text/plain"),
        ("with bom.csv", b"\xef\xbb\xbfentry,date\n", "text/csv"),
    ],
)
def test_each_accepted_type_is_recognised_from_its_content(name, content, content_type):
    checked = validate_upload(upload(name, content), already_stored_bytes=0)
    assert checked.content_type == content_type
    assert checked.name == name
    assert checked.size == len(content)


def test_a_name_that_disagrees_with_the_content_is_refused():
    message = refusal("report.pdf", png_bytes())
    assert message == (
        "“report.pdf” is not a PDF: its content is a PNG image. Upload it with the right name, "
        "or choose another file."
    )


def test_text_named_as_a_pdf_is_refused():
    assert refusal("report.pdf", b"just text\n").startswith(
        "“report.pdf” is not a PDF: its content is plain text."
    )


def test_a_pdf_named_as_text_is_refused():
    assert refusal("notes.txt", pdf_bytes()).startswith(
        "“notes.txt” is not a plain-text file: its content is a PDF."
    )


def test_a_known_type_with_an_unknown_extension_is_asked_to_be_renamed():
    assert refusal("report.dat", pdf_bytes()) == (
        "“report.dat” is a PDF, but its name does not end in .pdf. Rename it to end in .pdf and "
        "upload it again."
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("x.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"),
        ("x.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"),
        ("page.html", b"<html>\x00</html>"),
        ("notes.txt", b"line one\x00line two"),
        ("notes.txt", b"escape \x1b[31m red"),
        ("archive.docx", zip_bytes({"readme.txt": b"hello"})),
        ("both.docx", docx_bytes(**{"xl/workbook.xml": b"<workbook/>"})),
    ],
)
def test_unknown_content_is_refused(name, content):
    assert refusal(name, content) == f"“{name}” {UNSUPPORTED}"


def test_text_in_another_encoding_is_asked_for_as_utf8():
    message = refusal("entries.csv", "café,1\n".encode("cp1252"))
    assert message.startswith("“entries.csv” is not saved as UTF-8 text")
    assert "CSV UTF-8" in message


def test_a_macro_enabled_document_renamed_docx_is_refused():
    content = docx_bytes(**{"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"})
    assert refusal("manual.docx", content).startswith("“manual.docx” contains macros")


def test_an_archive_that_expands_enormously_is_refused_without_extracting_it():
    content = docx_bytes(**{"word/media/padding.bin": bytes(2 * MB)})
    assert len(content) < 100_000  # two megabytes of zeros compress to a few kilobytes
    assert refusal("manual.docx", content).startswith(
        "“manual.docx” is compressed far more than a document normally is"
    )


def test_a_damaged_office_file_says_so():
    content = docx_bytes()[:-30]  # the archive's directory, at its end, is cut off
    assert refusal("manual.docx", content).startswith("“manual.docx” could not be read")


def test_the_check_leaves_the_upload_readable_from_the_start():
    file = upload("manual.docx", docx_bytes())
    validate_upload(file, already_stored_bytes=0)
    assert file.read() == docx_bytes()


# --- Names --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("given", "sanitised"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\ana\\Documents\\report.pdf", "report.pdf"),
        ("..\\..\\report.pdf", "report.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),
        ("\u2067report\u2069\u200e.pdf", "report.pdf"),
        ("re\x00po\x07rt\x7f\x85.pdf", "report.pdf"),
        ("line\nbreak\r\n.pdf", "line break.pdf"),
        ("  many   \t spaces .pdf  ", "many spaces.pdf"),
        (".hidden.pdf", "hidden.pdf"),
        ("...pdf", "evidence.pdf"),
        (".pdf", "evidence.pdf"),
        ("", "evidence"),
        ("\u202e", "evidence"),
        ("folder/", "evidence"),
        ("x.exe. . ", "x.exe"),
        ("Re\u0301sume\u0301.pdf", "Résumé.pdf"),
    ],
)
def test_names_are_sanitised(given, sanitised):
    assert sanitise_filename(given) == sanitised


def test_long_names_are_shortened_keeping_the_extension():
    name = sanitise_filename("a" * 300 + ".xlsx")
    assert len(name) == 150
    assert name.endswith("a.xlsx")


def test_messages_name_the_file_as_sanitised():
    message = refusal("../\u202eevil.pdf", png_bytes())
    assert message.startswith("“evil.pdf” is not a PDF")


# --- Sizes --------------------------------------------------------------------------------------
def test_an_empty_file_is_refused():
    assert refusal("blank.pdf", b"").startswith("“blank.pdf” is empty.")


def test_a_file_over_the_per_file_limit_is_refused():
    content = b"%PDF-" + bytes(int(12.4 * MB) - 5)
    message = refusal("big.pdf", content)
    assert message.startswith(
        "“big.pdf” is 12.4 MB; each file can be at most 10 MB. Make it smaller"
    )


def test_the_per_file_limit_follows_the_setting(settings):
    settings.EVIDENCE_MAX_FILE_BYTES = 100
    assert validate_upload(upload("ok.txt", b"x" * 100), already_stored_bytes=0)
    assert "each file can be at most 100 bytes" in refusal("big.txt", b"x" * 101)


def test_a_file_over_the_application_limit_is_refused(settings):
    settings.EVIDENCE_MAX_FILE_BYTES = 2048
    settings.EVIDENCE_MAX_APPLICATION_BYTES = 3 * 1024
    message = refusal("more.txt", b"x" * 2048, already_stored_bytes=1500)
    assert message == (
        "“more.txt” is 2 KB, and this application already has 1.5 KB of files; all its files "
        "together can be at most 3 KB. Remove files it no longer needs, or upload a smaller file."
    )


def test_the_application_limit_counts_what_is_already_stored(settings, draft, owner_a):
    settings.EVIDENCE_MAX_FILE_BYTES = 200
    settings.EVIDENCE_MAX_APPLICATION_BYTES = 300
    add(draft, owner_a, "one.txt", b"x" * 200)
    version = draft.version
    with pytest.raises(ValidationError, match="already has 200 bytes of files"):
        add(draft, owner_a, "two.txt", b"y" * 200)
    assert Evidence.objects.filter(application=draft).count() == 1
    assert Application.objects.get(pk=draft.pk).version == version == draft.version


# --- Adding -------------------------------------------------------------------------------------
def test_adding_a_file_stores_it_privately_under_a_random_name(draft, member_a, private_storage):
    content = pdf_bytes()
    evidence = add(draft, member_a, "..\\\u202eProcedures 2026.pdf", content)

    evidence.refresh_from_db()
    assert evidence.original_name == "Procedures 2026.pdf"
    assert evidence.content_type == "application/pdf"
    assert evidence.size == len(content)
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert evidence.uploaded_by == member_a
    assert evidence.demonstration == "iii"
    assert evidence.file.name.startswith("evidence/")
    assert "Procedures" not in evidence.file.name
    assert evidence.file.name.endswith(".pdf")
    (stored,) = stored_files(private_storage)
    assert stored.read_bytes() == content


def test_the_stored_extension_is_the_sniffed_types(draft, owner_a):
    assert add(draft, owner_a, "scan.JPEG", jpeg_bytes()).file.name.endswith(".jpg")


def test_adding_a_file_is_an_edit_it_bumps_the_version_and_clears_the_attestation(draft, owner_a):
    assert Attestation.objects.filter(application=draft).exists()
    before = draft.version
    add(draft, owner_a)
    assert Application.objects.get(pk=draft.pk).version == before + 1
    assert draft.version == before + 1
    assert not Attestation.objects.filter(application=draft).exists()


def test_a_stale_version_is_refused_and_nothing_is_stored(draft, owner_a, private_storage):
    stale = draft.version
    add(draft, owner_a)  # another tab uploaded first
    with pytest.raises(StaleApplication):
        add(draft, owner_a, "second.pdf", expected_version=stale)
    assert Evidence.objects.filter(application=draft).count() == 1
    assert len(stored_files(private_storage)) == 1


def test_a_refused_file_stores_nothing_and_keeps_the_version(draft, owner_a, private_storage):
    before = draft.version
    with pytest.raises(ValidationError, match="is not a PDF"):
        add(draft, owner_a, "report.pdf", png_bytes())
    assert draft.version == before  # so the next file in the same request can still be stored
    assert Application.objects.get(pk=draft.pk).version == before
    assert Attestation.objects.filter(application=draft).exists()
    assert not Evidence.objects.exists()
    assert stored_files(private_storage) == []
    add(draft, owner_a, "report.pdf")


def test_an_unknown_demonstration_is_refused(draft, owner_a):
    with pytest.raises(ValidationError):
        add(draft, owner_a, demonstration="vii")
    assert not Evidence.objects.exists()


def test_another_organisation_cannot_add_evidence(draft, owner_b, private_storage):
    with pytest.raises(PermissionDenied):
        add(draft, owner_b)
    assert stored_files(private_storage) == []


def test_a_failed_storage_write_leaves_no_row(draft, owner_a, monkeypatch):
    def broken(self, name, content):
        raise OSError("disk full")

    monkeypatch.setattr(FileSystemStorage, "_save", broken)
    before = draft.version
    with pytest.raises(OSError, match="disk full"):
        add(draft, owner_a)
    assert not Evidence.objects.exists()
    assert Application.objects.get(pk=draft.pk).version == before


def test_a_row_that_cannot_be_written_leaves_no_file(draft, owner_a, monkeypatch, private_storage):
    def broken(self, *args, **kwargs):
        raise DatabaseError("insert failed")

    monkeypatch.setattr(Evidence, "save", broken)
    with pytest.raises(DatabaseError):
        add(draft, owner_a)
    assert stored_files(private_storage) == []


# --- Removing -----------------------------------------------------------------------------------
def test_removing_deletes_the_row_and_the_file_only_after_commit(
    draft, owner_a, private_storage, django_capture_on_commit_callbacks
):
    evidence = add(draft, owner_a)
    before = draft.version
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        evidence_remove(evidence=evidence, actor=owner_a, expected_version=before)
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    assert Application.objects.get(pk=draft.pk).version == before + 1
    assert len(stored_files(private_storage)) == 1  # not yet committed
    for callback in callbacks:
        callback()
    assert stored_files(private_storage) == []


def test_a_stale_removal_removes_nothing(draft, owner_a, private_storage):
    evidence = add(draft, owner_a)
    stale = draft.version
    add(draft, owner_a, "second.pdf")
    with pytest.raises(StaleApplication):
        evidence_remove(evidence=evidence, actor=owner_a, expected_version=stale)
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    assert len(stored_files(private_storage)) == 2


# --- Downloading --------------------------------------------------------------------------------
def download(client, evidence):
    return client.get(reverse("evidence-download", args=[evidence.pk]))


@pytest.mark.parametrize("persona", ["owner_a", "member_a"])
def test_the_organisations_members_download_with_safe_headers(client, request, draft, persona):
    evidence = add(draft, request.getfixturevalue("owner_a"), "Procédures.pdf")
    client.force_login(request.getfixturevalue(persona))
    response = download(client, evidence)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    response.close()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''Proc%C3%A9dures.pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_another_organisation_gets_not_found(client, draft, owner_a, owner_b):
    evidence = add(draft, owner_a)
    client.force_login(owner_b)
    assert download(client, evidence).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(client, draft, owner_a):
    evidence = add(draft, owner_a)
    response = download(client, evidence)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_a_missing_file_id_is_not_found(client, owner_a):
    client.force_login(owner_a)
    assert client.get(reverse("evidence-download", args=[999_999])).status_code == 404


def test_downloads_are_get_only(client, draft, owner_a):
    evidence = add(draft, owner_a)
    client.force_login(owner_a)
    assert client.post(reverse("evidence-download", args=[evidence.pk])).status_code == 405


def test_staff_see_evidence_only_once_the_application_is_submitted(
    client, draft, owner_a, reviewer, enrol_totp
):
    evidence = add(draft, owner_a)
    enrol_totp(reviewer)
    client.force_login(reviewer)
    assert download(client, evidence).status_code == 404

    # Set-up writes the submitted state directly: submission's own rules are tested in test_workflow.
    Application.objects.filter(pk=draft.pk).update(
        status=ApplicationStatus.SUBMITTED, reference="RKCP-2026-900001"
    )
    response = download(client, evidence)
    assert response.status_code == 200
    response.close()
