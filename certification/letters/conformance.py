"""Whether a letter's PDF holds to what it claims to be: PDF/A-3a and PDF/UA-1.

A letter says in its XMP metadata that it is an archival, tagged PDF (PDF/A-3a) and an accessible
one (PDF/UA-1). WeasyPrint is asked for that variant and `letters.pdf.declare_pdfua` adds the UA
identification, but nothing else would notice a WeasyPrint upgrade, a template or stylesheet
change, or a finisher that quietly drops part of what the claims stand on: the applicant would
get a letter that says it is something it is not, and the archive would keep it.

This is a structural check with pikepdf, not a validation (veraPDF checks hundreds of rules this
does not): it looks for the parts each claim cannot stand without, and finds what a letter must
never carry. Held to:

- identification: XMP metadata with pdfaid:part 3 and conformance A, pdfuaid:part 1, a dc:title;
- for readers: the catalog's /Lang, and /ViewerPreferences /DisplayDocTitle true (PDF/UA shows
  the title, not the file name);
- colour: an output intent of subtype GTS_PDFA1 carrying an embedded ICC profile;
- fonts: every font in the file embedded (a Type 0 font through its descendant fonts); every one
  is looked at, not only those a page names, since a font can also be used from a form XObject, an
  annotation's appearance or a Type 3 glyph, and a letter holds no font it does not use;
- tagging: a structure tree (/StructTreeRoot with elements and a /ParentTree) and /MarkInfo
  /Marked true;
- nothing active and nothing attached: no JavaScript (actions, /JS, the /JavaScript name tree),
  no additional actions (/AA), no action on opening but a go-to, no launch or form submission, no
  XFA, no embedded files (/EmbeddedFiles, /EF, file attachment annotations) or associated files
  (/AF). Every object in the file is looked at, with the dictionaries and arrays inside it,
  whether or not the document reaches it, and compressed object streams are read: nothing hides
  where a reader, or a later tool, could still find it. The signs are those the evidence uploads
  are refused for (`certification.evidence.pdf_content`), plus /AF, which PDF/A-3 allows and
  letters never use; that walk is not imported because evidence depends on the workflow, which
  depends on letters, and import-linter keeps the app's packages acyclic;
- not encrypted (PDF/A forbids it).

`conformance_problems` is pure: bytes in, plain-English problems out, none when the PDF holds.
"""

from collections.abc import Iterator
from io import BytesIO

import pikepdf

# What a letter claims, as its XMP metadata must say it: (property, value, what it means).
CLAIMS = (
    ("pdfaid:part", "3", "PDF/A part 3"),
    ("pdfaid:conformance", "A", "PDF/A conformance level A (tagged)"),
    ("pdfuaid:part", "1", "PDF/UA part 1"),
)

# Where a font descriptor holds the embedded font program (Type 1, TrueType, CFF/OpenType).
FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")

# What a letter never carries, in the order reported; each completes "It contains …".
JAVASCRIPT = "JavaScript"
ON_OPENING = "an action that runs as soon as it is opened"
ADDITIONAL_ACTIONS = "actions that run by themselves when a page or a form field is used"
LAUNCH = "an action that starts another program"
FORM_SUBMISSION = "a form that sends or loads data"
EMBEDDED_FILE = "a file embedded in it"
XFA = "an XFA form"
ASSOCIATED_FILES = "associated files (/AF)"
NEVER_CARRIED = (
    JAVASCRIPT,
    ON_OPENING,
    ADDITIONAL_ACTIONS,
    LAUNCH,
    FORM_SUBMISSION,
    EMBEDDED_FILE,
    XFA,
    ASSOCIATED_FILES,
)
# A key that is itself the sign, wherever it appears.
_KEYS = {
    "/JS": JAVASCRIPT,
    "/JavaScript": JAVASCRIPT,  # the document's JavaScript name tree
    "/AA": ADDITIONAL_ACTIONS,
    "/EmbeddedFiles": EMBEDDED_FILE,  # the embedded files name tree
    "/EF": EMBEDDED_FILE,  # a file specification that carries the file
    "/XFA": XFA,
    "/AF": ASSOCIATED_FILES,
}
# An action (/S), or a dictionary's /Type or /Subtype, that is the sign.
_ACTIONS = {
    "/JavaScript": JAVASCRIPT,
    "/Launch": LAUNCH,
    "/SubmitForm": FORM_SUBMISSION,
    "/ImportData": FORM_SUBMISSION,
}
_TYPES = {"/EmbeddedFile": EMBEDDED_FILE}
_SUBTYPES = {"/FileAttachment": EMBEDDED_FILE}
# A dictionary with none of these keys is neither a sign nor a font (its children are still seen).
_INTERESTING = frozenset({*_KEYS, "/S", "/Type", "/Subtype", "/OpenAction"})


class LetterNotConforming(Exception):
    """A rendered letter's PDF does not hold to PDF/A-3a and PDF/UA-1; it is not issued."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(
            "The letter's PDF does not hold to PDF/A-3a and PDF/UA-1: " + " ".join(problems)
        )


def conformance_problems(pdf: bytes) -> list[str]:
    """What keeps `pdf` from holding to PDF/A-3a and PDF/UA-1, each in a sentence; [] if nothing.

    A file that cannot be read, or only with a password, gets that one problem."""
    try:
        with pikepdf.open(BytesIO(pdf)) as document:
            problems = [
                *_encryption(document),
                *_identification(document),
                *_catalog(document),
                *_output_intent(document),
                *_structure(document),
                *_contents(document),
            ]
    except pikepdf.PasswordError:
        return ["It is encrypted with a password: PDF/A forbids encryption."]
    except (pikepdf.PdfError, ValueError, RecursionError):
        return ["It cannot be read as a PDF."]
    return problems


def _encryption(document: pikepdf.Pdf) -> Iterator[str]:
    # pikepdf opens a file encrypted with an empty user password without asking for one.
    if document.is_encrypted or "/Encrypt" in document.trailer:
        yield "It is encrypted: PDF/A forbids encryption."


def _identification(document: pikepdf.Pdf) -> Iterator[str]:
    """The claims themselves, and the title PDF/UA asks for, in the XMP metadata."""
    if "/Metadata" not in document.Root:
        yield "It has no XMP metadata, so it does not identify itself as PDF/A or PDF/UA."
        return
    try:
        metadata = document.open_metadata(
            set_pikepdf_as_editor=False, update_docinfo=False, strict=True
        )
        values = {name: metadata.get(name) for name, _value, _meaning in CLAIMS}
        title = metadata.get("dc:title")
    except Exception:  # lxml's and pikepdf's errors alike: the metadata is not XMP we can read
        yield "Its XMP metadata cannot be read."
        return
    for name, value, meaning in CLAIMS:
        if values[name] != value:
            found = f"{values[name]!r}" if values[name] is not None else "missing"
            yield f"Its XMP metadata does not declare {meaning}: {name} is {found}."
    if not (isinstance(title, str) and title.strip()):
        yield "Its XMP metadata has no title (dc:title), which PDF/UA requires."


def _catalog(document: pikepdf.Pdf) -> Iterator[str]:
    """What a screen reader and a PDF reader's title bar read from the document catalog."""
    root = document.Root
    language = root.get("/Lang")
    if not (isinstance(language, pikepdf.String) and str(language).strip()):
        yield "It does not say its language (/Lang in the document catalog)."
    preferences = root.get("/ViewerPreferences")
    if not (
        isinstance(preferences, pikepdf.Dictionary) and preferences.get("/DisplayDocTitle") is True
    ):
        yield (
            "It does not ask readers to show its title (/ViewerPreferences /DisplayDocTitle "
            "true), which PDF/UA requires."
        )


def _output_intent(document: pikepdf.Pdf) -> Iterator[str]:
    """PDF/A's colour: an output intent naming the colour space, with the ICC profile inside."""
    intents = document.Root.get("/OutputIntents")
    pdfa_intents = [
        intent
        for intent in (intents if isinstance(intents, pikepdf.Array) else [])
        if isinstance(intent, pikepdf.Dictionary) and intent.get("/S") == "/GTS_PDFA1"
    ]
    if not pdfa_intents:
        yield "It has no PDF/A output intent (an /OutputIntents entry with /S /GTS_PDFA1)."
        return
    for intent in pdfa_intents:
        profile = intent.get("/DestOutputProfile")
        if not isinstance(profile, pikepdf.Stream):
            yield "Its PDF/A output intent has no embedded ICC profile (/DestOutputProfile)."
        elif not _is_icc_profile(profile):
            yield "Its PDF/A output intent's /DestOutputProfile is not an ICC profile."


def _is_icc_profile(stream: pikepdf.Stream) -> bool:
    # Every ICC profile has its signature, "acsp", at bytes 36 to 39 of its 128-byte header.
    try:
        data = stream.read_bytes()
    except pikepdf.PdfError:
        return False
    return len(data) >= 128 and data[36:40] == b"acsp"


def _structure(document: pikepdf.Pdf) -> Iterator[str]:
    """PDF/A level A and PDF/UA are tagged: a structure tree, with the map from content to it."""
    root = document.Root
    tree = root.get("/StructTreeRoot")
    if not isinstance(tree, pikepdf.Dictionary):
        yield "It is not tagged: it has no structure tree (/StructTreeRoot)."
    else:
        if "/K" not in tree:
            yield "Its structure tree has no elements (/K in /StructTreeRoot)."
        if not isinstance(tree.get("/ParentTree"), pikepdf.Dictionary):
            yield "Its structure tree has no /ParentTree linking the content to it."
    mark_info = root.get("/MarkInfo")
    if not (isinstance(mark_info, pikepdf.Dictionary) and mark_info.get("/Marked") is True):
        yield "It does not say it is tagged (/MarkInfo /Marked true)."


def _contents(document: pikepdf.Pdf) -> list[str]:
    """Fonts not embedded, and whatever a letter never carries, found in one walk of the file."""
    fonts: dict[str, None] = {}  # ordered, and a font found twice is reported once
    carried: set[str] = set()
    for dictionary in _dictionaries(document):
        keys = set(dictionary.keys())
        if not keys & _INTERESTING:
            continue
        carried.update(_KEYS[key] for key in keys & _KEYS.keys())
        for key, signs in (("/S", _ACTIONS), ("/Type", _TYPES), ("/Subtype", _SUBTYPES)):
            value = dictionary.get(key) if key in keys else None
            if isinstance(value, pikepdf.Name) and str(value) in signs:
                carried.add(signs[str(value)])
        if "/OpenAction" in keys:
            # Opening at a page (a destination, or a go-to action) is how ordinary PDFs say where
            # to start; any other action on opening runs without the reader's asking.
            opening = dictionary.get("/OpenAction")
            if isinstance(opening, pikepdf.Dictionary) and opening.get("/S") != "/GoTo":
                carried.add(ON_OPENING)
        if "/Type" in keys and dictionary.get("/Type") == "/Font":
            fonts.update(dict.fromkeys(_font_problems(dictionary)))
    return [
        *fonts,
        *(
            f"It contains {sign}, which a letter never carries."
            for sign in NEVER_CARRIED
            if sign in carried
        ),
    ]


def _font_problems(font: pikepdf.Object) -> Iterator[str]:
    """A Type 0 font is embedded when its descendant is; a Type 3 font's glyphs are drawn by
    content streams in the file. Any other font needs its font program in its descriptor."""
    subtype = font.get("/Subtype")
    if subtype == "/Type3":
        return
    if subtype != "/Type0":
        if not _embedded(font):
            yield f"The font {_font_name(font)} is not embedded."
        return
    descendants = font.get("/DescendantFonts")
    if not (isinstance(descendants, pikepdf.Array) and len(descendants)):
        yield f"The font {_font_name(font)} has no descendant font."
        return
    for descendant in descendants:
        if not _embedded(descendant):
            yield f"The font {_font_name(descendant)} is not embedded."


def _embedded(font: pikepdf.Object) -> bool:
    if not isinstance(font, pikepdf.Dictionary):
        return False
    descriptor = font.get("/FontDescriptor")
    return isinstance(descriptor, pikepdf.Dictionary) and any(
        isinstance(descriptor.get(key), pikepdf.Stream) for key in FONT_FILES
    )


def _font_name(font: pikepdf.Object) -> str:
    name = font.get("/BaseFont") if isinstance(font, pikepdf.Dictionary) else None
    return str(name).lstrip("/") if isinstance(name, pikepdf.Name) else "without a name"


_DICTIONARY, _ARRAY, _STREAM = (
    pikepdf.ObjectType.dictionary,
    pikepdf.ObjectType.array,
    pikepdf.ObjectType.stream,
)


def _dictionaries(document: pikepdf.Pdf) -> Iterator[pikepdf.Object]:
    """Every dictionary in the file (a stream's included), in every object, referenced or not, and
    the direct ones nested in it. Indirect objects are not followed, each being visited in its
    own turn, so a cycle cannot loop. (Type codes, not isinstance: this runs for every part.)"""
    for obj in document.objects:
        stack = [obj]
        while stack:
            current = stack.pop()
            kind = current._type_code
            if kind == _STREAM:
                current, kind = current.stream_dict, _DICTIONARY
            if kind == _DICTIONARY:
                yield current
                children = list(current.values())
            elif kind == _ARRAY:
                children = list(current)
            else:
                continue
            stack.extend(
                child
                for child in children
                if getattr(child, "_type_code", None) in (_DICTIONARY, _ARRAY)
                and not child.is_indirect
            )
