"""Checking an evidence file before it is stored: what it is, what to call it, how big it may be.

Pure functions over a Django `File` (usually an `UploadedFile`): no database and no storage. A file's
type is decided from its bytes, never from the browser's Content-Type, and its name must agree with
what the bytes are, so that a reviewer who opens "report.pdf" gets a PDF and nothing else.
"""

import codecs
import hashlib
import math
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File

from certification.evidence import pdf_content
from common.text import BIDI_CONTROLS

MB = 1024 * 1024  # as Django's filesizeformat and most desktops count a megabyte
_KB = 1024


@dataclass(frozen=True)
class Kind:
    """A type of file we accept. `noun` completes "is not …" and "its content is …"."""

    content_type: str
    noun: str
    extensions: tuple[str, ...]  # the first is the one a stored file is given

    @property
    def extension(self) -> str:
        return self.extensions[0]


PDF = Kind("application/pdf", "a PDF", (".pdf",))
PNG = Kind("image/png", "a PNG image", (".png",))
JPEG = Kind("image/jpeg", "a JPEG image", (".jpg", ".jpeg"))
DOCX = Kind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "a Word document (.docx)",
    (".docx",),
)
XLSX = Kind(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "an Excel workbook (.xlsx)",
    (".xlsx",),
)
CSV = Kind("text/csv", "a CSV file", (".csv",))
TXT = Kind("text/plain", "a plain-text file", (".txt",))
# Content alone cannot tell CSV from other text, so text takes its kind from the name.
TEXT_KINDS = (TXT, CSV)
KINDS = (PDF, PNG, JPEG, DOCX, XLSX, CSV, TXT)
KIND_BY_EXTENSION = {extension: kind for kind in KINDS for extension in kind.extensions}
KIND_BY_CONTENT_TYPE = {kind.content_type: kind for kind in KINDS}

ACCEPTED_DESCRIPTION = "a PDF, PNG, JPEG, Word (.docx), Excel (.xlsx), CSV or plain-text file"

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_ZIP_SIGNATURE = b"PK\x03\x04"
# Text may hold tab, LF, FF and CR, but no other C0 control (nor DEL): those mark a binary file, and
# NUL in particular truncates strings in the tools reviewers open CSVs with. In UTF-8 a byte below
# 0x80 is always the ASCII character itself, so the raw bytes can be searched without decoding.
_TEXT_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")

# An Office file is a ZIP. We never extract one, but reviewers' Word and Excel will: refuse archives
# whose directory claims more than a real document holds (a "zip bomb"). The directory is read from
# the archive's end without decompressing anything. Real documents compress XML about 5-20 times.
_ZIP_MAX_ENTRIES = 10_000
_ZIP_MAX_TOTAL_BYTES = 500 * MB
_ZIP_MAX_RATIO = 200
_ZIP_RATIO_APPLIES_ABOVE = MB

# Characters that change how a name reads without being seen: directional overrides, embeddings and
# isolates, and the invisible direction marks. "invoice\u202efdp.exe" shows as "invoiceexe.pdf".
_INVISIBLE_DIRECTION = BIDI_CONTROLS
_MAX_NAME_LENGTH = 150
_MAX_EXTENSION_LENGTH = 10
_FALLBACK_STEM = "evidence"


@dataclass(frozen=True)
class CheckedUpload:
    """What validate_upload found: the name to show, the sniffed type, and the size in bytes."""

    name: str
    content_type: str
    size: int

    @property
    def extension(self) -> str:
        """The extension a stored copy gets: the canonical one of its sniffed type."""
        return KIND_BY_CONTENT_TYPE[self.content_type].extension


# --- Names --------------------------------------------------------------------------------------
def sanitise_filename(name: str) -> str:
    """A name that is safe to show and to send back in Content-Disposition.

    Keeps only the last path component (browsers on Windows may send a full path), in NFC, without
    control or direction characters, whitespace collapsed, no leading dots, at most 150 characters
    with the extension kept. Never empty. It is only ever displayed: files are stored under random
    names.
    """
    name = re.split(r"[\\/]", name or "")[-1]
    name = unicodedata.normalize("NFC", name)
    kept = []
    for character in name:
        if character.isspace():
            kept.append(" ")
        elif unicodedata.category(character) != "Cc" and character not in _INVISIBLE_DIRECTION:
            kept.append(character)
    name = " ".join("".join(kept).split())
    # Trailing dots and spaces are dropped by Windows, so "x.exe." would open as x.exe there.
    name = name.rstrip(". ")
    stem, extension = _split_extension(name)
    stem = stem.lstrip(". ").rstrip(" ")
    stem = stem[: _MAX_NAME_LENGTH - len(extension)].rstrip(" ")
    return f"{stem or _FALLBACK_STEM}{extension}"


def _split_extension(name: str) -> tuple[str, str]:
    """(stem, extension) where the extension is a short run of letters or digits after the last dot."""
    stem, dot, suffix = name.rpartition(".")
    if dot and suffix.isalnum() and len(suffix) <= _MAX_EXTENSION_LENGTH:
        return stem, f".{suffix}"
    return name, ""


def extension_of(name: str) -> str:
    """The lower-case extension of a (sanitised) name, with its dot, or ""."""
    return _split_extension(name)[1].lower()


# --- Sizes --------------------------------------------------------------------------------------
def format_size(size: int, *, round_up: bool = False) -> str:
    """'12.4 MB', '900 KB', '12 bytes'. A size over a limit is rounded up, so it never reads as equal."""
    for unit, factor in (("MB", MB), ("KB", _KB)):
        if size >= factor:
            tenths = size * 10 / factor
            tenths = math.ceil(tenths) if round_up else math.floor(tenths)
            return f"{tenths / 10:.1f}".removesuffix(".0") + f" {unit}"
    return "1 byte" if size == 1 else f"{size} bytes"


# --- Content ------------------------------------------------------------------------------------
_TEXT = "text"  # valid UTF-8 text, CSV or TXT according to the name
_LEGACY_TEXT = "legacy text"  # looks like text, but not UTF-8 (Windows-1252, say)
_DAMAGED_ZIP = "damaged zip"
_ZIP_BOMB = "zip bomb"
_MACROS = "macros"


def _content(file: File) -> Kind | str | None:
    """What the bytes are: an accepted Kind, one of the markers above, or None when unknown."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(_PNG_SIGNATURE):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(_ZIP_SIGNATURE):
        return _office_document(file)
    return _text(file)


def _office_document(file: File) -> Kind | str | None:
    """DOCX or XLSX judged from the ZIP's directory alone; nothing is decompressed."""
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError):
        return _DAMAGED_ZIP
    finally:
        file.seek(0)
    if len(entries) > _ZIP_MAX_ENTRIES or sum(e.file_size for e in entries) > _ZIP_MAX_TOTAL_BYTES:
        return _ZIP_BOMB
    for entry in entries:
        ratio_limit = _ZIP_MAX_RATIO * max(entry.compress_size, 1)
        if entry.file_size > max(_ZIP_RATIO_APPLIES_ABOVE, ratio_limit):
            return _ZIP_BOMB
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names:
        return None
    # A macro-enabled .docm or .xlsm renamed to .docx or .xlsx still carries its VBA project.
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return _MACROS
    is_word, is_excel = "word/document.xml" in names, "xl/workbook.xml" in names
    if is_word != is_excel:
        return DOCX if is_word else XLSX
    return None


def _text(file: File) -> str | None:
    """_TEXT for UTF-8 text (a BOM allowed) with no control characters but tab, LF, FF and CR."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    try:
        for chunk in file.chunks():
            if _TEXT_CONTROL_BYTES.search(chunk):
                return None
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False  # go on looking for control bytes: binary, or text in another code
        if utf8:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8 = False
    finally:
        file.seek(0)
    return _TEXT if utf8 else _LEGACY_TEXT


def sniff(file: File, *, name: str) -> str:
    """The content type of `file`, read from its content and agreeing with its (sanitised) name.

    Raises ValidationError, naming the file and saying what to do, when the content is not a type we
    accept or the name claims another type.
    """
    extension = extension_of(name)
    claimed = KIND_BY_EXTENSION.get(extension)
    found = _content(file)

    if found == _TEXT:
        if claimed in TEXT_KINDS:
            return claimed.content_type
        if claimed is not None:
            raise _mismatch(name, claimed, "plain text")
        raise ValidationError(
            f"“{name}” is plain text, but its name does not end in .txt or .csv. Rename it to end "
            "in .txt (or .csv for comma-separated values) and upload it again.",
            code="wrong_extension",
        )
    if isinstance(found, Kind):
        if claimed is found:
            return found.content_type
        if claimed is not None:
            raise _mismatch(name, claimed, found.noun)
        raise ValidationError(
            f"“{name}” is {found.noun}, but its name does not end in {found.extension}. Rename it "
            f"to end in {found.extension} and upload it again.",
            code="wrong_extension",
        )
    if found == _LEGACY_TEXT and claimed in TEXT_KINDS:
        raise ValidationError(
            f"“{name}” is not saved as UTF-8 text, which we need to read it reliably. Save it "
            "again as UTF-8 (in Excel, choose Save As and “CSV UTF-8”) and upload it again.",
            code="not_utf8",
        )
    if found == _MACROS:
        raise ValidationError(
            f"“{name}” contains macros, which we do not accept. Save a copy without macros (as "
            ".docx or .xlsx) and upload that.",
            code="macros",
        )
    if found == _ZIP_BOMB:
        raise ValidationError(
            f"“{name}” is compressed far more than a document normally is, so we cannot accept "
            "it. Open it, save it again, and upload the new copy, or choose another file.",
            code="suspicious_archive",
        )
    if found == _DAMAGED_ZIP and claimed in (DOCX, XLSX):
        raise ValidationError(
            f"“{name}” could not be read; it may be damaged or incomplete. Open it, save it "
            "again, and upload the new copy, or choose another file.",
            code="damaged",
        )
    raise ValidationError(
        f"“{name}” is not a file type we accept. Upload {ACCEPTED_DESCRIPTION}.",
        code="unsupported_type",
    )


def _mismatch(name: str, claimed: Kind, content: str) -> ValidationError:
    return ValidationError(
        f"“{name}” is not {claimed.noun}: its content is {content}. Upload it with the right "
        "name, or choose another file.",
        code="type_mismatch",
    )


# --- The whole check ----------------------------------------------------------------------------
def validate_upload(upload: File, *, already_stored_bytes: int) -> CheckedUpload:
    """Check an upload against the size limits and its type; return its sanitised name and type.

    `already_stored_bytes` is what the application's evidence already takes up. Raises
    ValidationError (one message, naming the file) on the first problem found. Leaves the file at
    its start.
    """
    name = sanitise_filename(upload.name or "")
    size = upload.size or 0
    max_file = settings.EVIDENCE_MAX_FILE_BYTES
    max_application = settings.EVIDENCE_MAX_APPLICATION_BYTES
    if size == 0:
        raise ValidationError(
            f"“{name}” is empty. Check that you chose the right file, and upload it again.",
            code="empty",
        )
    if size > max_file:
        raise ValidationError(
            f"“{name}” is {format_size(size, round_up=True)}; each file can be at most "
            f"{format_size(max_file)}. Make it smaller (for example, scan at a lower resolution, "
            "or split it into parts) and upload it again.",
            code="file_too_large",
        )
    if already_stored_bytes + size > max_application:
        raise ValidationError(
            f"“{name}” is {format_size(size, round_up=True)}, and this application already has "
            f"{format_size(already_stored_bytes, round_up=True)} of files; all its files together "
            f"can be at most {format_size(max_application)}. Remove files it no longer needs, or "
            "upload a smaller file.",
            code="application_too_large",
        )
    content_type = sniff(upload, name=name)
    if content_type == PDF.content_type:
        check_pdf(upload, name=name)
    return CheckedUpload(name=name, content_type=content_type, size=size)


def check_pdf(file: File, *, name: str) -> None:
    """Refuse a PDF that cannot be read or that holds active content (see pdf_content), naming
    what it holds and saying how to make a plain copy."""
    try:
        found = pdf_content.find_active_content(file)
    except pdf_content.PasswordProtectedPdf:
        raise ValidationError(
            f"“{name}” is protected with a password, so we cannot check it and reviewers could "
            "not open it. Save a copy without the password and upload that.",
            code="pdf_password",
        ) from None
    except pdf_content.TooComplexPdf:
        raise ValidationError(
            f"“{name}” is built from more parts than we can check. Save it again with Print to "
            "PDF, which makes a simpler copy, or split it into smaller files, and upload those.",
            code="pdf_too_complex",
        ) from None
    except pdf_content.UnreadablePdf:
        raise ValidationError(
            f"“{name}” could not be read as a PDF; it may be damaged or incomplete. Open it, save "
            "it again (for example with Print to PDF), and upload the new copy.",
            code="pdf_damaged",
        ) from None
    if found:
        held = [kind.value for kind in found]
        listed = held[0] if len(held) == 1 else ", ".join(held[:-1]) + " and " + held[-1]
        raise ValidationError(
            f"“{name}” contains {listed}, which could run on a reviewer's computer. Save it as "
            "a plain PDF, for example with Print to PDF, and upload it again.",
            code="pdf_active_content",
        )


def sha256_of(file: File) -> str:
    """The file's SHA-256 in hex, read in chunks; leaves the file at its start."""
    digest = hashlib.sha256()
    try:
        for chunk in file.chunks():
            digest.update(chunk)
    finally:
        file.seek(0)
    return digest.hexdigest()
