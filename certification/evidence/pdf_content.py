"""Active content in a PDF: whatever a desktop reader would run, open or send by itself.

Evidence is opened by CBP's reviewers in their own PDF readers. A PDF can carry JavaScript, an
action that runs as soon as it is opened, actions that run when a page or a field is shown, an
action that starts another program, a form that sends data away, files of any kind inside it, or an
XFA form (a second document that the reader builds and scripts). None of these is needed to show
records, and any of them can run on a reviewer's computer.

Such a PDF is refused, not cleaned: evidence must stay exactly what the applicant sent, byte for
byte, with the SHA-256 we record (docs/adr/0006-active-pdf-content.md). The applicant saves a plain
copy ("Print to PDF") and uploads that.

The file is parsed with pikepdf (qpdf), which reads compressed object streams and cross-reference
streams and repairs what a reader would repair, and every object in it is looked at, with every
dictionary and array inside it, whether or not the document's tree reaches it: JavaScript hidden in
an object stream, in the JavaScript name tree or in an orphan object is found the same way.
"""

import enum
from collections.abc import Iterator
from typing import BinaryIO, cast

import pikepdf
from django.core.files import File


class Active(enum.Enum):
    """A kind of active content; the value completes "This PDF contains …"."""

    JAVASCRIPT = "JavaScript"
    OPEN_ACTION = "an action that runs as soon as it is opened"
    ADDITIONAL_ACTIONS = "actions that run by themselves when a page or a form field is used"
    LAUNCH = "an action that starts another program"
    FORM_SUBMISSION = "a form that sends or loads data"
    EMBEDDED_FILE = "a file embedded in it"
    XFA = "an XFA form"


class UnreadablePdf(Exception):
    """The file starts like a PDF but cannot be read as one."""


class PasswordProtectedPdf(UnreadablePdf):
    """The file cannot be opened without a password, so it cannot be checked (or reviewed)."""


class TooComplexPdf(UnreadablePdf):
    """The file is built from more parts than we look through in one upload."""


# Looking at a part (a dictionary or an array) takes some 20 microseconds. Real documents of the
# sizes we accept have thousands to tens of thousands; a file of tiny objects packed in compressed
# object streams could have millions in 10 MB and hold a web process for minutes.
MAX_PARTS = 200_000


_ACTION_KINDS = {
    "/JavaScript": Active.JAVASCRIPT,
    "/Launch": Active.LAUNCH,
    "/SubmitForm": Active.FORM_SUBMISSION,
    "/ImportData": Active.FORM_SUBMISSION,
}
# A key that is itself the sign, wherever it appears.
_KEYS = {
    "/JS": Active.JAVASCRIPT,
    "/JavaScript": Active.JAVASCRIPT,  # the document's JavaScript name tree
    "/AA": Active.ADDITIONAL_ACTIONS,
    "/EmbeddedFiles": Active.EMBEDDED_FILE,  # the embedded files name tree
    "/EF": Active.EMBEDDED_FILE,  # a file specification that carries the file
    "/XFA": Active.XFA,
}
_TYPES = {"/EmbeddedFile": Active.EMBEDDED_FILE}
_SUBTYPES = {"/FileAttachment": Active.EMBEDDED_FILE}
# A dictionary with none of these keys holds nothing active itself (its children are still walked).
_INTERESTING = frozenset({*_KEYS, "/S", "/Type", "/Subtype", "/OpenAction"})


def find_active_content(file: File) -> list[Active]:
    """Each kind of active content in `file`, once, in the order of `Active`; [] for a plain PDF.

    Raises PasswordProtectedPdf, TooComplexPdf or UnreadablePdf. Leaves the file at its start.
    """
    file.seek(0)
    try:
        with pikepdf.open(cast(BinaryIO, file)) as pdf:
            # /Size bounds the object numbers; the walk counts the parts inside them too.
            if int(pdf.trailer.get("/Size", 0)) > MAX_PARTS:
                raise TooComplexPdf()
            found: set[Active] = set()
            budget = [MAX_PARTS]
            for obj in pdf.objects:
                found.update(_kinds_in(obj, budget))
    except pikepdf.PasswordError as error:
        raise PasswordProtectedPdf() from error
    except (pikepdf.PdfError, ValueError, RecursionError) as error:
        raise UnreadablePdf() from error
    finally:
        file.seek(0)
    return [kind for kind in Active if kind in found]


_DICTIONARY, _ARRAY, _STREAM = (
    pikepdf.ObjectType.dictionary,
    pikepdf.ObjectType.array,
    pikepdf.ObjectType.stream,
)
_CONTAINERS = (_DICTIONARY, _ARRAY)


def _kinds_in(obj: pikepdf.Object, budget: list[int]) -> Iterator[Active]:
    """The kinds found in one object and the direct objects inside it. Indirect objects are not
    followed: each is visited in its own turn, so a cycle of references cannot loop. (Type codes,
    not isinstance: this runs for every object of files with hundreds of thousands.)"""
    stack = [obj]
    while stack:
        budget[0] -= 1
        if budget[0] < 0:
            raise TooComplexPdf()
        current = stack.pop()
        kind = current._type_code
        if kind == _STREAM:
            current, kind = current.stream_dict, _DICTIONARY
        if kind == _DICTIONARY:
            keys = set(current.keys())
            if keys & _INTERESTING:
                yield from _kinds_of_dictionary(current, keys)
            children = current.values()
        elif kind == _ARRAY:
            children = current
        else:
            continue
        stack.extend(
            child
            for child in children
            # Numbers and booleans come back as Python's own, without a type code.
            if getattr(child, "_type_code", None) in _CONTAINERS and not child.is_indirect
        )


def _kinds_of_dictionary(dictionary: pikepdf.Object, keys: set[str]) -> Iterator[Active]:
    for key in keys & _KEYS.keys():
        yield _KEYS[key]
    for key, kinds in (("/S", _ACTION_KINDS), ("/Type", _TYPES), ("/Subtype", _SUBTYPES)):
        value = _name(dictionary, key) if key in keys else None
        if value is not None and value in kinds:
            yield kinds[value]
    if "/OpenAction" in keys:
        # Opening at a page (a destination, or a GoTo action) is how ordinary PDFs say where to
        # start; any other action on opening runs without the reader's asking.
        opening = dictionary.get("/OpenAction")
        if isinstance(opening, pikepdf.Dictionary) and _name(opening, "/S") != "/GoTo":
            yield Active.OPEN_ACTION


def _name(dictionary: pikepdf.Object, key: str) -> str | None:
    value = dictionary.get(key)
    return str(value) if isinstance(value, pikepdf.Name) else None
