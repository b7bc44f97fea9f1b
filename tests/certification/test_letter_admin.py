"""Admins keep the letters' templates in the Django admin, as versions; staff retry and reissue
letters there."""

import datetime
import io

import pypdf
import pytest
from django.urls import reverse
from django.utils.html import escape

from certification.letters import content as letters
from certification.letters import lifecycle as letter_lifecycle
from certification.models import (
    Application,
    ApplicationStatus,
    Decision,
    Letter,
    LetterKind,
    LetterStatus,
    LetterTemplate,
)
from certification.selectors import handbook_edition_in_force
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("letter_templates")]

ADD_URL = reverse("admin:certification_lettertemplate_add")
LETTERS_URL = reverse("admin:certification_letter_changelist")


def preview_url(template: LetterTemplate) -> str:
    return reverse("admin:certification_lettertemplate_preview", args=[template.pk])


def first_version(kind: str = LetterKind.CERTIFICATION) -> LetterTemplate:
    return LetterTemplate.objects.get(kind=kind, version=1)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def cbp_admin_client(client, cbp_admin, enrol_totp):
    enrol_totp(cbp_admin)
    client.force_login(cbp_admin)
    return client


@pytest.fixture
def decided_letter(owner_a, reviewer, supervisor):
    """A certified application's letter, pending: its render is never sent, as nothing commits."""
    application = Application.objects.create(
        organisation=owner_a.membership.organisation,
        created_by=owner_a,
        status=ApplicationStatus.CERTIFIED,
        reference="RKCP-2026-900001",
        handbook_edition=handbook_edition_in_force(),
    )
    decision = Decision.objects.create(
        application=application,
        outcome=Decision.Outcome.CERTIFIED,
        recommended_by=reviewer,
        decided_by=supervisor,
        effective_date=datetime.date(2026, 3, 2),
    )
    return letter_lifecycle.letter_create_for_decision(decision=decision)


# --- Templates: versions ---------------------------------------------------------------------------
def test_editing_a_version_saves_version_2_and_leaves_version_1_as_it_was(
    cbp_admin_client, cbp_admin
):
    v1 = first_version()
    before = LetterTemplate.objects.filter(pk=v1.pk).values().get()
    page = cbp_admin_client.get(reverse("admin:certification_lettertemplate_change", args=[v1.pk]))
    edit_url = f"{ADD_URL}?copy_of={v1.pk}"
    assert f'href="{edit_url}"' in page.text
    assert 'name="_save"' not in page.text  # a saved version's page is read-only

    form = cbp_admin_client.get(edit_url)
    assert form.context["adminform"].form["body"].value() == v1.body
    response = cbp_admin_client.post(
        edit_url,
        {
            "kind": LetterKind.DENIAL,  # ignored: a new version keeps the copied version's kind
            "subject": v1.subject,
            "body": v1.body + "\n\nThis paragraph is new in version 2.",
            "_save": "Save",
        },
    )

    assert response.status_code == 302
    v2 = LetterTemplate.objects.get(kind=LetterKind.CERTIFICATION, version=2)
    assert v2.body.endswith("This paragraph is new in version 2.")
    assert v2.created_by == cbp_admin
    assert LetterTemplate.objects.filter(pk=v1.pk).values().get() == before
    assert not LetterTemplate.objects.filter(kind=LetterKind.DENIAL, version=2).exists()
    listing = cbp_admin_client.get(reverse("admin:certification_lettertemplate_changelist"))
    in_use = {
        t.pk: listing.context["cl"].model_admin.in_use(t) for t in listing.context["cl"].result_list
    }
    assert in_use[v2.pk] is True
    assert in_use[v1.pk] is False


def test_a_saved_version_cannot_be_changed_or_deleted_through_the_admin(cbp_admin_client):
    v1 = first_version()
    before = LetterTemplate.objects.filter(pk=v1.pk).values().get()
    change_url = reverse("admin:certification_lettertemplate_change", args=[v1.pk])

    posted = cbp_admin_client.post(change_url, {"subject": "Changed", "body": "Changed"})
    page = cbp_admin_client.get(change_url)
    deleted = cbp_admin_client.post(
        reverse("admin:certification_lettertemplate_delete", args=[v1.pk]), {"post": "yes"}
    )
    listing = cbp_admin_client.get(reverse("admin:certification_lettertemplate_changelist"))

    assert posted.status_code == 403
    assert deleted.status_code == 403
    assert "deletelink" not in page.text
    assert "delete_selected" not in listing.text
    assert LetterTemplate.objects.filter(pk=v1.pk).values().get() == before


def test_an_unknown_placeholder_is_refused_beside_its_field_and_nothing_is_saved(
    cbp_admin_client,
):
    count = LetterTemplate.objects.count()
    body = "Dear {{ company }},\n\nYou are certified."

    response = cbp_admin_client.post(
        ADD_URL,
        {"kind": LetterKind.CERTIFICATION, "subject": "Certified: {{ reference }}", "body": body},
    )

    assert response.status_code == 200  # the form again, as the admin shows any refusal
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["body"]
    assert "Unknown placeholder: {{ company }}" in errors["body"][0]
    assert "Unknown placeholder: {{ company }}" in response.text
    assert escape(body) in response.text  # what was typed is still there
    assert LetterTemplate.objects.count() == count


def test_a_list_placeholder_inside_a_sentence_is_refused(cbp_admin_client):
    count = LetterTemplate.objects.count()

    response = cbp_admin_client.post(
        ADD_URL,
        {
            "kind": LetterKind.DENIAL,
            "subject": "Denied: {{ reference }}",
            "body": "We denied it because {{ reasons }} were found.",
        },
    )

    assert response.status_code == 200
    assert "Put {{ reasons }} on a line of its own" in response.text
    assert "body" in response.context["adminform"].form.errors
    assert LetterTemplate.objects.count() == count


def test_the_add_form_lists_every_kinds_placeholders_with_their_descriptions(cbp_admin_client):
    response = cbp_admin_client.get(ADD_URL)

    assert response.status_code == 200
    for kind in LetterKind:
        assert escape(kind.label) in response.text
        for placeholder in letters.PLACEHOLDERS[kind]:
            assert f"{{{{ {placeholder.name} }}}}" in response.text
            assert escape(placeholder.description) in response.text


def test_a_versions_page_lists_only_its_own_kinds_placeholders(cbp_admin_client):
    denial = first_version(LetterKind.DENIAL)

    response = cbp_admin_client.get(
        reverse("admin:certification_lettertemplate_change", args=[denial.pk])
    )

    groups = response.context["placeholder_groups"]
    assert [group.kind for group in groups] == [LetterKind.DENIAL]
    assert "{{ appeal_deadline }}" in response.text
    assert "{{ questions }}" not in response.text


# --- Templates: preview ----------------------------------------------------------------------------
def test_the_preview_of_a_version_is_a_pdf_with_the_sample_values(cbp_admin_client):
    v1 = first_version()

    response = cbp_admin_client.get(preview_url(v1))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert {"private", "no-store"} <= {
        part.strip() for part in response["Cache-Control"].split(",")
    }
    assert response["Content-Disposition"].startswith("inline")
    assert response.content.startswith(b"%PDF")
    sample = letters.sample_context(LetterKind.CERTIFICATION)
    assert sample["legal_name"] in pdf_text(response.content)


def test_unsaved_text_is_previewed_from_the_add_form_and_not_saved(cbp_admin_client):
    count = LetterTemplate.objects.count()
    form = {
        "kind": LetterKind.CERTIFICATION,
        "subject": "Draft subject for {{ reference }}",
        "body": "{{ legal_name }} reads a draft sentence.",
        "_preview": "Preview as PDF",
    }

    response = cbp_admin_client.post(ADD_URL, form)
    refused = cbp_admin_client.post(ADD_URL, {**form, "body": "Dear {{ company }}"})

    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Example Importing Company, Inc. reads a draft sentence." in text
    assert refused.status_code == 200
    assert "Unknown placeholder: {{ company }}" in refused.text
    assert LetterTemplate.objects.count() == count


def test_the_preview_is_linked_from_the_list_and_the_versions_page(cbp_admin_client):
    v1 = first_version()
    listing = cbp_admin_client.get(reverse("admin:certification_lettertemplate_changelist"))
    page = cbp_admin_client.get(reverse("admin:certification_lettertemplate_change", args=[v1.pk]))
    assert f'href="{preview_url(v1)}"' in listing.text
    assert f'href="{preview_url(v1)}"' in page.text


def test_a_reviewer_cannot_preview_a_template(client, reviewer, enrol_totp):
    enrol_totp(reviewer)
    client.force_login(reviewer)
    url = preview_url(first_version())

    response = client.get(url)

    # Like every admin page: not staff, so sent to the admin's sign-in, which refuses.
    assert response.status_code == 302
    assert client.get(url, follow=True).status_code == 403
    assert client.post(ADD_URL, {"_preview": "1"}).status_code == 302


def test_staff_status_alone_does_not_open_the_preview(client, enrol_totp):
    staff = UserFactory(is_staff=True)
    enrol_totp(staff)
    client.force_login(staff)
    form = {"kind": "certification", "subject": "S", "body": "B", "_preview": "1"}

    assert client.get(preview_url(first_version())).status_code == 403
    assert client.post(ADD_URL, form).status_code == 403


def test_an_unknown_version_has_no_preview(cbp_admin_client):
    url = reverse("admin:certification_lettertemplate_preview", args=[0])
    assert cbp_admin_client.get(url).status_code == 404


# --- Letters -----------------------------------------------------------------------------------
def test_letters_are_read_only_in_the_admin(cbp_admin_client, decided_letter):
    change_url = reverse("admin:certification_letter_change", args=[decided_letter.pk])

    page = cbp_admin_client.get(change_url)
    listing = cbp_admin_client.get(LETTERS_URL, {"q": "RKCP-2026-900001", "status": "pending"})

    assert page.status_code == 200
    assert 'name="_save"' not in page.text
    assert "deletelink" not in page.text
    assert list(listing.context["cl"].result_list) == [decided_letter]
    assert "delete_selected" not in listing.text
    assert cbp_admin_client.get(reverse("admin:certification_letter_add")).status_code == 403
    assert cbp_admin_client.post(change_url, {"status": "ready"}).status_code == 403
    decided_letter.refresh_from_db()
    assert decided_letter.status == LetterStatus.PENDING


def test_retrying_a_failed_letter_sends_it_to_be_rendered_again(
    cbp_admin_client, decided_letter, django_capture_on_commit_callbacks
):
    Letter.objects.filter(pk=decided_letter.pk).update(
        status=LetterStatus.FAILED, attempts=3, last_error="OSError: disk full"
    )
    page = cbp_admin_client.get(
        reverse("admin:certification_letter_change", args=[decided_letter.pk])
    )
    assert "OSError: disk full" in page.text

    with django_capture_on_commit_callbacks() as callbacks:
        response = cbp_admin_client.post(
            LETTERS_URL,
            {"action": "retry", "_selected_action": [decided_letter.pk]},
            follow=True,
        )

    decided_letter.refresh_from_db()
    assert decided_letter.status == LetterStatus.PENDING
    assert len(callbacks) == 1  # the render, sent once the retry commits
    assert f"Sent to be rendered again: letter {decided_letter.pk}" in response.text


def test_a_letter_that_has_not_failed_is_not_retried_and_the_admin_is_told_why(
    cbp_admin_client, decided_letter
):
    response = cbp_admin_client.post(
        LETTERS_URL, {"action": "retry", "_selected_action": [decided_letter.pk]}, follow=True
    )

    decided_letter.refresh_from_db()
    assert decided_letter.status == LetterStatus.PENDING
    assert decided_letter.attempts == 0
    assert (
        f"Not retried: letter {decided_letter.pk} (RKCP-2026-900001): "
        "Only a failed letter can be retried." in response.text
    )


def test_reissuing_a_ready_letter_makes_a_new_letter_and_keeps_the_old_one(
    cbp_admin_client, decided_letter
):
    Letter.objects.filter(pk=decided_letter.pk).update(status=LetterStatus.READY, sha256="a" * 64)
    before = Letter.objects.filter(pk=decided_letter.pk).values().get()

    response = cbp_admin_client.post(
        LETTERS_URL, {"action": "reissue", "_selected_action": [decided_letter.pk]}, follow=True
    )

    reissued = Letter.objects.get(reissue_of=decided_letter)
    assert reissued.status == LetterStatus.PENDING
    assert (reissued.kind, reissued.application) == (
        decided_letter.kind,
        decided_letter.application,
    )
    assert Letter.objects.filter(pk=decided_letter.pk).values().get() == before
    assert "Reissued (the new letters are being prepared)" in response.text
    page = cbp_admin_client.get(
        reverse("admin:certification_letter_change", args=[decided_letter.pk])
    )
    change_url = reverse("admin:certification_letter_change", args=[reissued.pk])
    assert f'href="{change_url}"' in page.text
