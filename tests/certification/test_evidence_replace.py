"""Replacing an uploaded file: the new one takes the old one's place, as one edit of the draft."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certification.evidence.services import evidence_add
from certification.models import Evidence
from tests.factories import draft_application
from tests.pdfs import plain_pdf

PDF = plain_pdf()  # evidence checks read it: a real one-page PDF


@pytest.fixture
def stored(owner_a, private_storage):
    application = draft_application(owner=owner_a)
    evidence = evidence_add(
        application=application,
        actor=owner_a,
        demonstration="iii",
        upload=SimpleUploadedFile("old-sop.pdf", PDF),
        expected_version=application.version,
    )
    return application, evidence


def url(application, evidence):
    return reverse("certification:evidence-replace", args=[application.pk, evidence.pk])


def test_a_member_replaces_a_file_and_returns_to_its_step(client, member_a, stored):
    application, old = stored
    client.force_login(member_a)
    assert client.get(url(application, old)).status_code == 200
    response = client.post(
        url(application, old),
        {"version": application.version, "file": SimpleUploadedFile("new-sop.pdf", PDF)},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/records/")
    assert list(application.evidence.values_list("original_name", "demonstration")) == [
        ("new-sop.pdf", "iii")
    ]
    assert not Evidence.objects.filter(pk=old.pk).exists()


def test_a_refused_file_keeps_the_old_one_and_says_why(client, owner_a, stored):
    application, old = stored
    client.force_login(owner_a)
    response = client.post(
        url(application, old),
        {"version": application.version, "file": SimpleUploadedFile("new.pdf", b"plain text")},
    )
    assert response.status_code == 400
    assert "is not a PDF" in response.content.decode()
    assert list(application.evidence.all()) == [old]


def test_a_stale_page_replaces_nothing(client, owner_a, stored):
    application, old = stored
    client.force_login(owner_a)
    response = client.post(
        url(application, old),
        {"version": application.version - 1, "file": SimpleUploadedFile("new.pdf", PDF)},
    )
    assert response.status_code == 409
    assert list(application.evidence.all()) == [old]


def test_another_organisation_cannot_see_or_replace_the_file(client, owner_b, stored):
    application, old = stored
    client.force_login(owner_b)
    assert client.get(url(application, old)).status_code == 404
    response = client.post(
        url(application, old),
        {"version": application.version, "file": SimpleUploadedFile("new.pdf", PDF)},
    )
    assert response.status_code == 404
    assert list(application.evidence.all()) == [old]
