"""Letters hold to what they claim, PDF/A-3a and PDF/UA-1, as far as a structural check can tell
(certification/letters/conformance.py): one real letter passes untouched and, broken with pikepdf
in one way at a time, gets that one problem; every kind of letter the service renders passes; and a
letter whose PDF does not hold is not issued but fails, with the problems, for staff to retry.

Each expected problem is written out here, not taken from the module."""

import re
from collections.abc import Callable
from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pikepdf
import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from django.utils import timezone

from certification import workflow
from certification.admin.letters import pdf_preview_response
from certification.letters import content as letters
from certification.letters import lifecycle as letter_lifecycle
from certification.letters import pdf as letter_pdf
from certification.letters.conformance import conformance_problems
from certification.letters.defaults import DEFAULT_TEMPLATES
from certification.letters.previews import decision_letter_preview
from certification.letters.versions import letter_template_text
from certification.models import Application, Letter, LetterKind, LetterStatus
from certification.tasks import render_letter
from certification.workflow import Question
from participants import services
from participants.models import Participant
from recordkeepers.models import Membership
from tests.factories import (
    DENIAL_REASONS,
    MembershipFactory,
    OrganisationFactory,
    decide,
    draft_application,
    start_review,
)

Name, Dictionary, Array, String = pikepdf.Name, pikepdf.Dictionary, pikepdf.Array, pikepdf.String


@pytest.fixture(scope="module")
def letter() -> bytes:
    """A denial from the shipped template, through the real rendering, rendered once: it has a
    heading, lists, two weights of the office's font and the appeal paragraphs."""
    subject, body = DEFAULT_TEMPLATES[LetterKind.DENIAL]
    context = {
        "legal_name": "Acme Imports LLC",
        "importer_numbers": "12-3456789AB",
        "importer_numbers_phrase": "importer number 12-3456789AB",
        "address": "100 Harbor Way, Long Beach, CA 90802",
        "reference": "RKCP-2026-000123",
        "letter_date": "March 2, 2026",
        "signatory_name": "Jane Q. Official",
        "signatory_title": "Director",
        "office_name": "Office of Trade",
        "office_address": "1331 Pennsylvania Avenue NW, Washington, DC 20229",
        "decision_date": "March 2, 2026",
        "effective_date": "March 2, 2026",
        "route": "general program",
        "alternative_terms": [],
        "reasons": [letters.reason_item(reason) for reason in DENIAL_REASONS],
        "appeal_deadline": "April 1, 2026",
        "appeal_addressee": "Appeals Office",
    }
    pdf, _sha256 = letter_pdf.render(subject=subject, body=body, context=context)
    return pdf


def changed(pdf: bytes, change: Callable[[pikepdf.Pdf], object], **save) -> bytes:
    """`pdf` opened with pikepdf, changed, and saved again (with its XMP metadata as it is: by
    default pikepdf's saving parses and rewrites it, repairing what a test breaks)."""
    with pikepdf.open(BytesIO(pdf)) as document:
        change(document)
        out = BytesIO()
        document.save(out, fix_metadata_version=False, **save)
    return out.getvalue()


def _xmp(replace: bytes, by: bytes) -> Callable[[pikepdf.Pdf], None]:
    def change(document: pikepdf.Pdf) -> None:
        metadata = document.Root.Metadata
        data = metadata.read_bytes()
        assert replace in data
        metadata.write(data.replace(replace, by))

    return change


def _first_cid_font(document: pikepdf.Pdf) -> pikepdf.Dictionary:
    fonts = document.pages[0].Resources.Font
    font = fonts[next(iter(fonts.keys()))]
    assert font.Subtype == Name.Type0
    return font


def _unembed_font(document: pikepdf.Pdf) -> None:
    descendant = _first_cid_font(document).DescendantFonts[0]
    del descendant.FontDescriptor["/FontFile2"]


def _font_without_descendants(document: pikepdf.Pdf) -> None:
    del _first_cid_font(document)["/DescendantFonts"]


def _standard_font_on_the_page(document: pikepdf.Pdf) -> None:
    document.pages[0].Resources.Font.Helv = Dictionary(
        Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica
    )


def _drop(key: str) -> Callable[[pikepdf.Pdf], None]:
    def change(document: pikepdf.Pdf) -> None:
        del document.Root[key]

    return change


def _javascript() -> pikepdf.Dictionary:
    return Dictionary(Type=Name.Action, S=Name.JavaScript, JS=String("app.alert('hello')"))


def _open_javascript(document: pikepdf.Pdf) -> None:
    document.Root.OpenAction = document.make_indirect(_javascript())


def _javascript_name_tree(document: pikepdf.Pdf) -> None:
    tree = Dictionary(Names=Array([String("init"), document.make_indirect(_javascript())]))
    document.Root.Names = Dictionary(JavaScript=document.make_indirect(tree))


def _page_additional_actions(document: pikepdf.Pdf) -> None:
    document.pages[0].obj.AA = Dictionary(O=_javascript())


def _embedded_file(document: pikepdf.Pdf) -> None:
    """In the embedded files name tree, built by hand (pikepdf's `attachments` adds /AF too)."""
    data = document.make_stream(b"MZ\x90\x00", Type=Name.EmbeddedFile)
    spec = Dictionary(Type=Name.Filespec, F=String("invoice.exe"), EF=Dictionary(F=data))
    tree = Dictionary(Names=Array([String("invoice.exe"), document.make_indirect(spec)]))
    document.Root.Names = Dictionary(EmbeddedFiles=document.make_indirect(tree))


def _submit_form_link(document: pikepdf.Pdf) -> None:
    action = Dictionary(S=Name.SubmitForm, F=String("https://example.com/collect"))
    link = Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array([0, 0, 9, 9]), A=action)
    document.pages[0].Annots = Array([document.make_indirect(link)])


def _xfa_form(document: pikepdf.Pdf) -> None:
    xfa = document.make_stream(b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'/>")
    document.Root.AcroForm = Dictionary(Fields=Array([]), XFA=xfa)


def _attachment(document: pikepdf.Pdf) -> None:
    """As pikepdf attaches a file: in the name tree, and listed in the catalog's /AF."""
    document.attachments["invoice.exe"] = pikepdf.AttachedFileSpec(document, b"MZ\x90\x00")


def _file_attachment_annotation(document: pikepdf.Pdf) -> None:
    spec = Dictionary(Type=Name.Filespec, F=String("notes.txt"))
    annotation = Dictionary(
        Type=Name.Annot, Subtype=Name.FileAttachment, Rect=Array([0, 0, 10, 10]), FS=spec
    )
    document.pages[0].Annots = Array([document.make_indirect(annotation)])


def _associated_file(document: pikepdf.Pdf) -> None:
    document.Root.AF = Array([Dictionary(Type=Name.Filespec, F=String("data.xml"))])


def _set(path: tuple[str, ...], value: object) -> Callable[[pikepdf.Pdf], None]:
    def change(document: pikepdf.Pdf) -> None:
        target = document.Root
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _remove_from_intent(key: str) -> Callable[[pikepdf.Pdf], None]:
    def change(document: pikepdf.Pdf) -> None:
        del document.Root.OutputIntents[0][key]

    return change


def _not_an_icc_profile(document: pikepdf.Pdf) -> None:
    document.Root.OutputIntents[0].DestOutputProfile = document.make_stream(b"\0" * 600, N=3)


def _remove_from_struct_tree(key: str) -> Callable[[pikepdf.Pdf], None]:
    def change(document: pikepdf.Pdf) -> None:
        del document.Root.StructTreeRoot[key]

    return change


LANGUAGE = "It does not say its language (/Lang in the document catalog)."
NO_INTENT = "It has no PDF/A output intent (an /OutputIntents entry with /S /GTS_PDFA1)."
NOT_TAGGED = "It does not say it is tagged (/MarkInfo /Marked true)."
JAVASCRIPT = "It contains JavaScript, which a letter never carries."
ON_OPENING = (
    "It contains an action that runs as soon as it is opened, which a letter never carries."
)
EMBEDDED = "It contains a file embedded in it, which a letter never carries."
ASSOCIATED = "It contains associated files (/AF), which a letter never carries."

BROKEN = {
    "pdfaid-part-2": (
        _xmp(b'pdfaid:part="3"', b'pdfaid:part="2"'),
        ["Its XMP metadata does not declare PDF/A part 3: pdfaid:part is '2'."],
    ),
    "pdfaid-conformance-B": (
        _xmp(b'pdfaid:conformance="A"', b'pdfaid:conformance="B"'),
        [
            "Its XMP metadata does not declare PDF/A conformance level A (tagged): "
            "pdfaid:conformance is 'B'."
        ],
    ),
    "no-pdfuaid": (
        _xmp(b'pdfuaid:part="1"', b""),
        ["Its XMP metadata does not declare PDF/UA part 1: pdfuaid:part is missing."],
    ),
    "no-dc-title": (
        _xmp(b"dc:title>", b"dc:subject>"),
        ["Its XMP metadata has no title (dc:title), which PDF/UA requires."],
    ),
    "xmp-not-xml": (_xmp(b"</rdf:RDF>", b"</rdf:RDF"), ["Its XMP metadata cannot be read."]),
    "no-xmp": (
        _drop("/Metadata"),
        ["It has no XMP metadata, so it does not identify itself as PDF/A or PDF/UA."],
    ),
    "no-lang": (_drop("/Lang"), [LANGUAGE]),
    "empty-lang": (_set(("/Lang",), String("")), [LANGUAGE]),
    "display-doc-title-false": (
        _set(("/ViewerPreferences", "/DisplayDocTitle"), False),
        [
            "It does not ask readers to show its title (/ViewerPreferences /DisplayDocTitle "
            "true), which PDF/UA requires."
        ],
    ),
    "no-output-intent": (_drop("/OutputIntents"), [NO_INTENT]),
    "pdfx-output-intent-only": (
        _set(("/OutputIntents",), Array([Dictionary(Type=Name.OutputIntent, S=Name.GTS_PDFX)])),
        [NO_INTENT],
    ),
    "no-icc-profile": (
        _remove_from_intent("/DestOutputProfile"),
        ["Its PDF/A output intent has no embedded ICC profile (/DestOutputProfile)."],
    ),
    "profile-not-icc": (
        _not_an_icc_profile,
        ["Its PDF/A output intent's /DestOutputProfile is not an ICC profile."],
    ),
    "no-struct-tree": (
        _drop("/StructTreeRoot"),
        ["It is not tagged: it has no structure tree (/StructTreeRoot)."],
    ),
    "no-parent-tree": (
        _remove_from_struct_tree("/ParentTree"),
        ["Its structure tree has no /ParentTree linking the content to it."],
    ),
    "struct-tree-without-elements": (
        _remove_from_struct_tree("/K"),
        ["Its structure tree has no elements (/K in /StructTreeRoot)."],
    ),
    "marked-false": (_set(("/MarkInfo", "/Marked"), False), [NOT_TAGGED]),
    "no-mark-info": (_drop("/MarkInfo"), [NOT_TAGGED]),
    "standard-font-not-embedded": (
        _standard_font_on_the_page,
        ["The font Helvetica is not embedded."],
    ),
    "javascript-on-opening": (_open_javascript, [JAVASCRIPT, ON_OPENING]),
    "javascript-name-tree": (_javascript_name_tree, [JAVASCRIPT]),
    "page-additional-actions": (
        _page_additional_actions,
        [
            JAVASCRIPT,
            "It contains actions that run by themselves when a page or a form field is used, "
            "which a letter never carries.",
        ],
    ),
    "launch-on-opening": (
        _set(("/OpenAction",), Dictionary(S=Name.Launch, F=String("cmd.exe"))),
        [
            ON_OPENING,
            "It contains an action that starts another program, which a letter never carries.",
        ],
    ),
    "submit-form-link": (
        _submit_form_link,
        ["It contains a form that sends or loads data, which a letter never carries."],
    ),
    "xfa-form": (_xfa_form, ["It contains an XFA form, which a letter never carries."]),
    "embedded-files-name-tree": (_embedded_file, [EMBEDDED]),
    "pikepdf-attachment": (_attachment, [EMBEDDED, ASSOCIATED]),
    "file-attachment-annotation": (_file_attachment_annotation, [EMBEDDED]),
    "associated-files": (_associated_file, [ASSOCIATED]),
}


@pytest.mark.parametrize(("change", "problems"), BROKEN.values(), ids=BROKEN.keys())
def test_a_letter_broken_in_one_way_gets_that_problem(letter, change, problems):
    assert conformance_problems(changed(letter, change)) == problems


def test_the_letter_as_rendered_and_saved_again_unchanged_holds_to_its_claims(letter):
    assert conformance_problems(letter) == []
    assert conformance_problems(changed(letter, lambda document: None)) == []
    compressed = pikepdf.ObjectStreamMode.generate
    assert (
        conformance_problems(changed(letter, lambda d: None, object_stream_mode=compressed)) == []
    )


def test_opening_at_the_first_page_is_no_active_content(letter):
    def open_at_first_page(document: pikepdf.Pdf) -> None:
        first = document.pages[0].obj
        document.Root.OpenAction = Dictionary(S=Name.GoTo, D=Array([first, Name.Fit]))

    assert conformance_problems(changed(letter, open_at_first_page)) == []


def test_a_font_not_embedded_is_named(letter):
    with pikepdf.open(BytesIO(letter)) as document:
        name = str(_first_cid_font(document).DescendantFonts[0].BaseFont).lstrip("/")
        parent = str(_first_cid_font(document).BaseFont).lstrip("/")
    assert "Public-Sans" in name
    assert conformance_problems(changed(letter, _unembed_font)) == [
        f"The font {name} is not embedded."
    ]
    assert conformance_problems(changed(letter, _font_without_descendants)) == [
        f"The font {parent} has no descendant font."
    ]


def test_javascript_compressed_in_an_object_stream_under_a_private_key_is_found(letter):
    def hide(document: pikepdf.Pdf) -> None:
        document.Root.Info2 = Dictionary(Extra=Array([document.make_indirect(_javascript())]))

    data = changed(letter, hide, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    assert b"JavaScript" not in data and b"/JS" not in data  # not visible in the raw bytes
    assert conformance_problems(data) == [JAVASCRIPT]


def with_unreferenced_object(pdf: bytes, body: bytes) -> bytes:
    """`pdf` with an incremental update adding one object that nothing refers to: a reader never
    reaches it, pikepdf's saving would drop it, but it is in the file."""
    plain = changed(pdf, lambda document: None, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    with pikepdf.open(BytesIO(plain)) as document:
        number, root = int(document.trailer.Size), document.Root.objgen[0]
    previous = int(re.findall(rb"startxref\s+(\d+)", plain)[-1])
    added = f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref_at = len(plain) + len(added)
    update = (
        f"xref\n{number} 1\n{len(plain):010d} 00000 n \ntrailer\n"
        f"<< /Size {number + 1} /Root {root} 0 R /Prev {previous} >>\n"
        f"startxref\n{xref_at}\n%%EOF\n"
    ).encode()
    return plain + added + update


def test_what_hides_in_an_object_nothing_refers_to_is_found(letter):
    orphan = with_unreferenced_object(letter, b"<< /S /JavaScript /JS (app.alert(1)) >>")
    assert conformance_problems(orphan) == [JAVASCRIPT]
    attached = with_unreferenced_object(letter, b"<< /AF [ << /Type /Filespec /F (a.xml) >> ] >>")
    assert conformance_problems(attached) == [ASSOCIATED]
    harmless = with_unreferenced_object(letter, b"<< /Note (nothing active) >>")
    assert conformance_problems(harmless) == []


def test_an_encrypted_letter_is_refused_with_or_without_a_password(letter):
    open_to_all = pikepdf.Encryption(owner="cbp", user="")
    assert conformance_problems(changed(letter, lambda d: None, encryption=open_to_all)) == [
        "It is encrypted: PDF/A forbids encryption."
    ]
    locked = pikepdf.Encryption(owner="cbp", user="secret")
    assert conformance_problems(changed(letter, lambda d: None, encryption=locked)) == [
        "It is encrypted with a password: PDF/A forbids encryption."
    ]


@pytest.mark.parametrize("data", [b"", b"%PDF-1.7\nnot really", b"<html></html>"])
def test_what_is_not_a_pdf_gets_one_problem(data):
    assert conformance_problems(data) == ["It cannot be read as a PDF."]


# --- Every letter the service renders --------------------------------------------------------------


def another_owner(name: str, email: str):
    return MembershipFactory(
        organisation=OrganisationFactory(legal_name=name),
        role=Membership.Role.OWNER,
        user__email=email,
    ).user


@pytest.mark.django_db
def test_every_kind_of_letter_the_service_renders_holds_to_its_claims(
    owner_a, owner_b, reviewer, supervisor, appeals_official, handbook_in_force, letter_templates
):
    # Decisions: certified on the general program, on a negotiated alternative, and denied.
    certified = decide(owner=owner_a, reviewer=reviewer, supervisor=supervisor)
    owner_c = another_owner("Cordillera Freight Co.", "owner@cordillera.example")
    alternative = draft_application(owner=owner_c)
    Application.objects.filter(pk=alternative.pk).update(
        route="alternative", proposed_terms="Scans indexed by entry.\n\nOriginals kept 120 days."
    )
    alternative.refresh_from_db()
    decide(owner=owner_c, reviewer=reviewer, supervisor=supervisor, application=alternative)
    denied = decide(owner=owner_b, reviewer=reviewer, supervisor=supervisor, outcome="denied")

    # CBP's questions as a letter.
    owner_d = another_owner("Delta Customs Brokers", "owner@delta.example")
    asked = draft_application(owner=owner_d)
    workflow.application_submit(application=asked, actor=owner_d)
    start_review(application=asked, reviewer=reviewer)
    workflow.application_request_information(
        application=asked,
        actor=reviewer,
        questions=[Question(text="Send your retrieval SOP.", demonstration="iii")],
        due=timezone.localdate() + timedelta(days=20),
        with_letter=True,
    )

    # After certification: a notice of violation, a removal, its appeal upheld; a denial's appeal
    # delayed, then reversed; and a removal at once, for willfulness.
    participant = Participant.objects.get(decision=certified)
    services.notice_record_failure(
        participant=participant,
        actor=reviewer,
        entry_number="123-4567890-3",
        record_demanded="The commercial invoice for the entry.",
        demanded_on=participant.certified_on,
        willful=False,
    )
    removal = services.removal_propose(
        participant=participant, actor=reviewer, grounds=["c1iii"], reasons="Three failures."
    )
    services.removal_issue(removal=removal, actor=supervisor)
    removal_appeal = services.appeal_file(
        application=participant.application, actor=owner_a, statement="Please reconsider."
    )
    services.appeal_decide(
        appeal=removal_appeal, actor=appeals_official, outcome="upheld", reasons="Three failures."
    )
    denial_appeal = services.appeal_file(
        application=denied.application, actor=owner_b, statement="SOP-08 now exists."
    )
    services.appeal_delay(
        appeal=denial_appeal,
        actor=appeals_official,
        reasons="Waiting for the port's records.",
        expected=denial_appeal.decision_due + timedelta(days=20),
    )
    services.appeal_decide(
        appeal=denial_appeal, actor=appeals_official, outcome="reversed", reasons="SOP-08 meets."
    )
    willful = Participant.objects.get(decision=Application.objects.get(pk=alternative.pk).decision)
    services.removal_issue(
        removal=services.removal_propose(
            participant=willful,
            actor=reviewer,
            grounds=["c1iv"],
            reasons="Records destroyed.",
            immediate="willful",
        ),
        actor=supervisor,
    )

    asked_for = list(Letter.objects.order_by("pk"))
    assert len(asked_for) == 10
    rendered = {}
    for pending in asked_for:
        letter = letter_lifecycle.letter_render(letter_id=pending.pk)
        assert letter.status == LetterStatus.READY, (letter.kind, letter.last_error)
        pdf = letter.file.read()
        assert pdf.startswith(b"%PDF-")
        assert conformance_problems(pdf) == [], letter.kind
        rendered.setdefault(letter.kind, 0)
        rendered[letter.kind] += 1
    # A kind added to the service without a letter here fails this test.
    assert rendered == {
        LetterKind.CERTIFICATION: 1,
        LetterKind.CERTIFICATION_ALTERNATIVE: 1,
        LetterKind.DENIAL: 1,
        LetterKind.INFORMATION_REQUEST: 1,
        LetterKind.NOTICE_OF_VIOLATION: 1,
        LetterKind.REMOVAL: 2,
        LetterKind.APPEAL_DECISION: 2,
        LetterKind.APPEAL_DELAY: 1,
    }
    assert set(rendered) == set(LetterKind.values)

    # The previews the service renders in the request: an admin's template with sample values,
    # and the letter a supervisor's sign-off would issue, marked "Preview — not issued".
    for kind in LetterKind.values:
        subject, body = letter_template_text(kind=kind)
        response = pdf_preview_response(kind=kind, subject=subject, body=body, filename="p.pdf")
        assert conformance_problems(response.content) == [], kind
    for application, outcome, reasons in (
        (certified.application, "certified", []),
        (Application.objects.get(pk=alternative.pk), "certified", []),
        (denied.application, "denied", DENIAL_REASONS),
    ):
        facts = letters.decision_facts_on(
            application=application, outcome=outcome, reasons=reasons, issued=timezone.localdate()
        )
        preview = decision_letter_preview(facts=facts)
        assert conformance_problems(preview) == [], (outcome, application.route)


# --- A letter that does not hold is not issued -----------------------------------------------------


def layout_without_language(tmp_path: Path, engines: list[dict]) -> list[dict]:
    """The template settings with the letter's layout edited so that it no longer says its
    language (`<html lang="en">` lost), found before the shipped layout."""
    shipped = Path(django_settings.BASE_DIR, "templates", "letters", "letter.html").read_text()
    assert '<html lang="en">' in shipped
    (tmp_path / "templates" / "letters").mkdir(parents=True)
    (tmp_path / "templates" / "letters" / "letter.html").write_text(
        shipped.replace('<html lang="en">', "<html>")
    )
    django, *others = engines
    return [{**django, "DIRS": [tmp_path / "templates", *django["DIRS"]]}, *others]


@pytest.mark.django_db
def test_a_letter_that_does_not_hold_to_its_claims_fails_with_its_problems_and_is_not_issued(
    owner_a, reviewer, supervisor, settings, tmp_path, django_capture_on_commit_callbacks
):
    denied = decide(owner=owner_a, reviewer=reviewer, supervisor=supervisor, outcome="denied")
    letter = Letter.objects.get(decision=denied)
    shipped = settings.TEMPLATES
    settings.TEMPLATES = layout_without_language(tmp_path, shipped)

    render_letter.delay(letter_id=letter.pk)  # as a worker runs it; eagerly, it gives up at once

    letter.refresh_from_db()
    assert (letter.status, letter.attempts, letter.file.name, letter.sha256) == (
        "failed",
        1,
        "",
        "",
    )
    assert letter.last_error == (
        "LetterNotConforming: The letter's PDF does not hold to PDF/A-3a and PDF/UA-1: "
        "It does not say its language (/Lang in the document catalog)."
    )
    assert not default_storage.exists("letters")  # nothing stored
    assert not denied.application.events.filter(verb="letter.ready").exists()  # nobody told

    # The layout mended, staff retry the letter, and it is issued.
    settings.TEMPLATES = shipped
    with django_capture_on_commit_callbacks(execute=True):
        letter_lifecycle.letter_retry(letter=letter, actor=supervisor)
    letter.refresh_from_db()
    assert (letter.status, letter.attempts, letter.last_error) == ("ready", 2, "")
    assert conformance_problems(letter.file.read()) == []
