"""Hostile files through the wizard's upload, the one path every evidence upload shares with the
answers to CBP's questions and appeal documents (certification/evidence/checks.py).

A refused file: status 400, the message naming it beside the file field, the step's earlier files
and answers still there, nothing stored. An odd name: the file is kept under a random name and its
name shown sanitised, as text.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape

from certification.evidence.services import evidence_add
from certification.models import Evidence
from certification.wizard import steps as wizard
from tests.certification.test_wizard_views import answers, field_error, form_fields, step_url
from tests.factories import draft_application
from tests.hostile.corpus import FILE_NAMES, PLAIN_PDF, REFUSED_FILES

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(owner_a):
    application = draft_application(owner=owner_a, complete=False, attested=False)
    evidence_add(
        application=application,
        actor=owner_a,
        demonstration="iii",
        upload=SimpleUploadedFile("earlier.pdf", PLAIN_PDF),
        expected_version=application.version,
    )
    return application


def upload(client, draft, file, *, procedures="SOP-07"):
    url = step_url(draft, wizard.RECORDS)
    data = form_fields(client.get(url), url) | {
        "procedures": procedures,
        "evidence": file,
        "action": "continue",
    }
    return client.post(url, data)


def assert_refused(response, draft, message):
    assert response.status_code == 400
    shown = field_error(response, "id_evidence")
    assert shown is not None and message in shown, shown
    # The earlier file is still there and nothing else was kept; the answer typed beside it saved.
    assert list(
        Evidence.objects.filter(application=draft).values_list("original_name", flat=True)
    ) == ["earlier.pdf"]
    assert answers(draft, "iii").answers["procedures"] == "SOP-07"


@pytest.mark.parametrize("kind", REFUSED_FILES)
def test_a_hostile_file_is_refused_beside_the_field(client, owner_a, draft, kind):
    name, content, message = REFUSED_FILES[kind]
    client.force_login(owner_a)
    response = upload(client, draft, SimpleUploadedFile(name, content, "application/pdf"))
    assert_refused(response, draft, message)


@pytest.mark.parametrize("kind", FILE_NAMES)
def test_an_odd_file_name_is_kept_sanitised_and_stored_under_a_random_name(
    client, owner_a, draft, kind
):
    sent, shown = FILE_NAMES[kind]
    client.force_login(owner_a)
    response = upload(client, draft, SimpleUploadedFile(sent, PLAIN_PDF, "application/pdf"))
    if not shown.endswith(".pdf"):
        # A name without the content's extension is refused beside the field, and says why.
        assert_refused(response, draft, f"“{shown}” is a PDF, but its name does not end in .pdf.")
        return
    assert response.status_code == 302
    stored = Evidence.objects.filter(application=draft).exclude(original_name="earlier.pdf").get()
    assert stored.original_name == shown
    # Nothing the person typed reaches the storage path: a random hex name and the sniffed type.
    stem = stored.file.name.rsplit("/", 1)[-1].removesuffix(".pdf")
    assert len(stem) == 32 and set(stem) <= set("0123456789abcdef")
    html = client.get(step_url(draft, wizard.RECORDS)).content.decode()
    assert escape(shown) in html
    assert "<img src=x onerror" not in html


def pdf_of_size(size: int) -> bytes:
    """A plain PDF padded to `size` bytes with a comment, which readers skip."""
    return PLAIN_PDF + b"\n%" + b"x" * (size - len(PLAIN_PDF) - 2)


@pytest.mark.parametrize("limit", ["per file", "per application"])
def test_a_file_one_byte_over_a_limit_is_refused(client, owner_a, draft, settings, limit):
    earlier = Evidence.objects.get(application=draft).size
    if limit == "per file":
        settings.EVIDENCE_MAX_FILE_BYTES = 1024
        over = pdf_of_size(1025)
        message = "each file can be at most 1 KB"
    else:
        settings.EVIDENCE_MAX_APPLICATION_BYTES = 2048
        over = pdf_of_size(2048 - earlier + 1)
        message = "all its files together can be at most 2 KB"
    client.force_login(owner_a)
    response = upload(client, draft, SimpleUploadedFile("big.pdf", over, "application/pdf"))
    assert_refused(response, draft, message)


def test_a_file_exactly_at_both_limits_is_taken(client, owner_a, draft, settings):
    earlier = Evidence.objects.get(application=draft).size
    settings.EVIDENCE_MAX_FILE_BYTES = 1024
    settings.EVIDENCE_MAX_APPLICATION_BYTES = earlier + 1024
    client.force_login(owner_a)
    response = upload(client, draft, SimpleUploadedFile("exact.pdf", pdf_of_size(1024)))
    assert response.status_code == 302
    assert Evidence.objects.filter(application=draft).count() == 2
