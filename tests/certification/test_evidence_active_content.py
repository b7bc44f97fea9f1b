"""PDFs with active content (JavaScript, actions that run by themselves, launches, form submissions,
embedded files, XFA) are refused as evidence, with the reason beside the field; a plain PDF passes.

Every PDF here is built in the test with pikepdf, the way the hostile ones are made in the wild.
"""

import io

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from certification.evidence.checks import check_pdf, validate_upload
from certification.models import ApplicationStatus, Evidence
from certification.wizard import steps as wizard
from participants.services import appeals as appeal_services
from tests.certification.test_wizard_views import (
    answer_url,
    answers,
    field_error,
    form_fields,
    info_requested,
    step_url,
    stored_files,
)
from tests.factories import draft_application

ADVICE = "Save it as a plain PDF, for example with Print to PDF, and upload it again."
Name, Dictionary, Array, String = pikepdf.Name, pikepdf.Dictionary, pikepdf.Array, pikepdf.String


def _pdf(build=None, *, object_streams: bool = False) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(612, 792))
    if build is not None:
        build(pdf)
    out = io.BytesIO()
    mode = pikepdf.ObjectStreamMode.generate if object_streams else pikepdf.ObjectStreamMode.disable
    pdf.save(out, object_stream_mode=mode)
    return out.getvalue()


def _javascript(code="app.alert('hello')"):
    return Dictionary(Type=Name.Action, S=Name.JavaScript, JS=String(code))


def _link(pdf, action):
    annotation = pdf.make_indirect(
        Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array([0, 0, 100, 100]), A=action)
    )
    pdf.pages[0].Annots = Array([annotation])


def _open_javascript(pdf):
    pdf.Root.OpenAction = pdf.make_indirect(_javascript())


def _open_uri(pdf):
    pdf.Root.OpenAction = Dictionary(S=Name.URI, URI=String("https://example.com/collect"))


def _open_launch(pdf):
    pdf.Root.OpenAction = Dictionary(S=Name.Launch, F=String("cmd.exe"))


def _page_additional_actions(pdf):
    pdf.pages[0].obj.AA = Dictionary(O=Dictionary(S=Name.URI, URI=String("https://example.com")))


def _link_javascript(pdf):
    _link(pdf, _javascript())


def _link_launch(pdf):
    _link(pdf, Dictionary(S=Name.Launch, F=String("report.exe")))


def _submit_form(pdf):
    _link(pdf, Dictionary(S=Name.SubmitForm, F=String("https://example.com/collect")))


def _embedded_file(pdf):
    pdf.attachments["invoice.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00")


def _file_attachment_annotation(pdf):
    spec = Dictionary(Type=Name.Filespec, F=String("notes.txt"))
    annotation = Dictionary(
        Type=Name.Annot, Subtype=Name.FileAttachment, Rect=Array([0, 0, 10, 10]), FS=spec
    )
    pdf.pages[0].Annots = Array([pdf.make_indirect(annotation)])


def _xfa(pdf):
    xfa = pdf.make_stream(b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'/>")
    pdf.Root.AcroForm = Dictionary(Fields=Array([]), XFA=xfa)


def _javascript_name_tree(pdf):
    tree = Dictionary(Names=Array([String("init"), pdf.make_indirect(_javascript())]))
    pdf.Root.Names = Dictionary(JavaScript=pdf.make_indirect(tree))


def _javascript_under_a_private_key(pdf):
    # Under a key no reader's page tree uses, but in the file for whatever looks.
    pdf.Root.Info2 = Dictionary(Extra=Array([pdf.make_indirect(_javascript())]))


@pytest.mark.parametrize(
    ("build", "named"),
    [
        (_open_javascript, "JavaScript and an action that runs as soon as it is opened"),
        (_open_uri, "an action that runs as soon as it is opened"),
        (_open_launch, "an action that runs as soon as it is opened and an action that starts"),
        (_page_additional_actions, "actions that run by themselves"),
        (_link_javascript, "JavaScript"),
        (_link_launch, "an action that starts another program"),
        (_submit_form, "a form that sends or loads data"),
        (_embedded_file, "a file embedded in it"),
        (_file_attachment_annotation, "a file embedded in it"),
        (_xfa, "an XFA form"),
        (_javascript_name_tree, "JavaScript"),
    ],
    ids=lambda value: value.__name__.strip("_") if callable(value) else "",
)
def test_each_kind_of_active_content_is_refused_by_name(build, named):
    with pytest.raises(ValidationError) as raised:
        check_pdf(io.BytesIO(_pdf(build)), name="records.pdf")
    (message,) = raised.value.messages
    assert message.startswith(f"“records.pdf” contains {named}")
    assert message.endswith(ADVICE)
    assert raised.value.error_list[0].code == "pdf_active_content"


@pytest.mark.parametrize("build", [_javascript_name_tree, _javascript_under_a_private_key])
def test_javascript_compressed_inside_an_object_stream_is_still_found(build):
    data = _pdf(build, object_streams=True)
    assert b"JavaScript" not in data and b"/JS" not in data  # not visible in the raw bytes
    with pytest.raises(ValidationError, match="contains JavaScript"):
        check_pdf(io.BytesIO(data), name="records.pdf")


def test_a_plain_pdf_passes():
    check_pdf(io.BytesIO(_pdf()), name="records.pdf")


def test_a_link_a_person_clicks_and_an_opening_page_pass():
    def build(pdf):
        _link(pdf, Dictionary(S=Name.URI, URI=String("https://www.cbp.gov")))
        pdf.Root.OpenAction = Array([pdf.pages[0].obj, Name.Fit])

    check_pdf(io.BytesIO(_pdf(build)), name="records.pdf")


def test_a_pdf_opening_with_a_goto_action_passes():
    def build(pdf):
        pdf.Root.OpenAction = Dictionary(S=Name.GoTo, D=Array([pdf.pages[0].obj, Name.Fit]))

    check_pdf(io.BytesIO(_pdf(build)), name="records.pdf")


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7\nnot really a PDF at all",
        b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
    ],
    ids=["garbage", "no-pages"],
)
def test_a_malformed_pdf_gets_a_clear_message(content):
    with pytest.raises(ValidationError) as raised:
        check_pdf(io.BytesIO(content), name="scan.pdf")
    assert raised.value.messages == [
        "“scan.pdf” could not be read as a PDF; it may be damaged or incomplete. Open it, save it "
        "again (for example with Print to PDF), and upload the new copy."
    ]


def test_a_pdf_that_needs_a_password_gets_a_clear_message():
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(user="secret", owner="secret"))
    with pytest.raises(ValidationError, match="is protected with a password"):
        check_pdf(io.BytesIO(out.getvalue()), name="locked.pdf")


def test_the_whole_upload_check_leaves_the_file_at_its_start(settings):
    upload = SimpleUploadedFile("plain.pdf", _pdf(), content_type="application/pdf")
    checked = validate_upload(upload, already_stored_bytes=0)
    assert checked.content_type == "application/pdf"
    assert upload.read(5) == b"%PDF-"


# --- Through the pages ---------------------------------------------------------------------------
@pytest.fixture
def draft(owner_a):
    return draft_application(owner=owner_a, complete=False, attested=False)


@pytest.mark.django_db
def test_a_step_upload_with_javascript_is_refused_beside_the_field_and_answers_kept(
    client, owner_a, draft, private_storage
):
    client.force_login(owner_a)
    url = step_url(draft, wizard.RECORDS)
    data = {
        **form_fields(client.get(url), url),
        "procedures": "SOP-07 Entry file preparation",
        "storage": "Document system; records room.",
        "evidence": [
            SimpleUploadedFile("index.pdf", _pdf(_open_javascript), "application/pdf"),
            SimpleUploadedFile("plain.pdf", _pdf(), "application/pdf"),
        ],
        "action": "continue",
    }
    response = client.post(url, data)

    assert response.status_code == 400
    message = field_error(response, "id_evidence")
    assert message.startswith("“index.pdf” contains JavaScript")
    assert ADVICE in message
    assert [e.original_name for e in Evidence.objects.filter(application=draft)] == ["plain.pdf"]
    assert len(stored_files(private_storage)) == 1
    saved = answers(draft, "iii").answers
    assert saved["procedures"] == "SOP-07 Entry file preparation"
    assert saved["storage"] == "Document system; records room."


@pytest.mark.django_db
def test_an_answer_file_with_an_embedded_file_is_refused_and_the_answer_kept(
    client, owner_a, reviewer, private_storage
):
    application, info_request = info_requested(owner_a, reviewer, questions=["Send the SOP."])
    (item,) = info_request.items.all()
    client.force_login(owner_a)
    response = client.post(
        answer_url(application),
        {
            f"answer_{item.pk}": "See the file.",
            f"files_{item.pk}": SimpleUploadedFile("sop.pdf", _pdf(_embedded_file)),
            "action": "send",
        },
    )
    assert response.status_code == 400
    assert field_error(response, f"id_files_{item.pk}").startswith(
        "“sop.pdf” contains a file embedded in it"
    )
    item.refresh_from_db()
    assert item.answer == "See the file."
    assert not Evidence.objects.filter(request_item=item).exists()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.INFO_REQUESTED


def test_appeal_documents_go_through_the_same_check():
    # The appeal service checks its documents with the evidence check itself, not a copy.
    assert appeal_services.validate_upload is validate_upload


def test_names_written_with_escapes_are_read_as_the_reader_reads_them():
    data = _pdf(_open_javascript)
    hidden = data.replace(b"/JS (", b"/J#53 (").replace(b"/S /JavaScript", b"/S /J#61vaScript")
    assert b"/JavaScript" not in hidden and b"/JS " not in hidden
    with pytest.raises(ValidationError, match="contains JavaScript"):
        check_pdf(io.BytesIO(hidden), name="records.pdf")


def test_a_pdf_of_more_parts_than_we_look_through_is_refused_with_a_message():
    def build(pdf):
        pdf.Root.Parts = Array([Dictionary(N=n) for n in range(210_000)])

    with pytest.raises(ValidationError, match="is built from more parts than we can check"):
        check_pdf(io.BytesIO(_pdf(build, object_streams=True)), name="huge.pdf")
