"""What a PDF says and holds, read with poppler's tools and pypdf: the checks letters are held to."""

import subprocess
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject


def _poppler(*args: str | Path) -> str:
    return subprocess.run(
        [str(arg) for arg in args], capture_output=True, text=True, check=True, timeout=60
    ).stdout


def pdf_text(path: Path) -> str:
    return _poppler("pdftotext", "-enc", "UTF-8", path, "-")


def flat(text: str) -> str:
    """Text without whitespace: a line may break after a "/" or between words anywhere."""
    return "".join(text.split())


def plain_pdf() -> bytes:
    """A one-page PDF with nothing active in it: the smallest file the evidence checks accept."""
    import pikepdf

    document = pikepdf.new()
    document.add_blank_page(page_size=(612, 792))
    out = BytesIO()
    document.save(out, deterministic_id=True)
    return out.getvalue()


def pdf_fonts(path: Path) -> list[dict[str, str]]:
    """pdffonts' table, one dict a font. Its type may have spaces ("CID TrueType"), so the
    columns are read from the right."""
    fonts = []
    for line in _poppler("pdffonts", path).splitlines()[2:]:
        cells = line.split()
        fonts.append({"name": cells[0], "emb": cells[-5], "sub": cells[-4], "uni": cells[-3]})
    return fonts


def xmp_metadata(path: Path) -> str:
    return _poppler("pdfinfo", "-meta", path)


def page_sizes(path: Path) -> set[tuple[float, float]]:
    return {
        (float(page.mediabox.width), float(page.mediabox.height)) for page in PdfReader(path).pages
    }


def pdfdetach_list(path: Path) -> str:
    return _poppler("pdfdetach", "-list", path).strip()


def embedded_files(data: bytes) -> list[str]:
    """Every sign of a file carried inside the PDF: an /EmbeddedFiles name tree, and any object
    that is a file specification, an embedded file stream or a file-attachment annotation."""
    reader = PdfReader(BytesIO(data))
    found = []
    names = reader.trailer["/Root"].get("/Names")
    if names is not None and "/EmbeddedFiles" in names.get_object():
        found.append("/Names /EmbeddedFiles")
    for number in range(1, int(reader.trailer["/Size"])):
        obj = reader.get_object(IndirectObject(number, 0, reader))
        if isinstance(obj, DictionaryObject):
            kind = obj.get("/Type"), obj.get("/Subtype")
            if "/Filespec" in kind or "/EmbeddedFile" in kind or "/FileAttachment" in kind:
                found.append(f"object {number}: {kind}")
    return found
