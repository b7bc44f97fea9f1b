"""Whatever is typed into the applicant's pages: markup, very long text, control and invisible
characters. It never breaks a page; it is stored exactly as typed or refused with a message beside
its field; and every page that shows it shows it as text, never as markup."""

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from certification.evidence.services import evidence_add
from certification.models import (
    Application,
    ApplicationStatus,
    Attestation,
    DesignatedIndividual,
    Event,
    Evidence,
)
from certification.wizard import steps as wizard
from certification.wizard.forms import DesignatedIndividualForm
from recordkeepers.forms import BusinessProfileForm
from tests.certification.test_wizard_views import (  # private_storage: autouse, files in tmp_path
    PDF,
    answer_url,
    answers,
    detail_url,
    field_error,
    form_fields,
    info_requested,
    page,
    private_storage,  # noqa: F401
    step_url,
    withdraw_url,
)
from tests.factories import draft_application

pytestmark = pytest.mark.django_db

LONG = ("<i>long</i>" * 2_500)[:25_000]
VALUES = {
    "script": "<script>alert(1)</script>",
    "img": "<img src=x onerror=alert(1)>",
    "attribute break-out": '"><b>bold</b>',
    "25,000 characters": LONG,
    "NUL": "a\x00b",
    "bell": "\x07",
    "right-to-left override": "\u202eevil.exe",
    "zero-width joiners": "a\u200db\u200dc",
}
# Refused by every text field: longer than any limit, a control character (NUL, which PostgreSQL
# cannot store, and the rest: common/text.py), or a text-direction override.
REFUSED = {"25,000 characters", "NUL", "bell", "right-to-left override"}
# What must never reach a page unescaped.
RAW = {
    "script": "<script>alert(1)",
    "img": "<img src=x onerror",
    "attribute break-out": "<b>bold</b>",
    "25,000 characters": "<i>long</i>",
}
values = pytest.mark.parametrize("name", VALUES)
MARKUP = ["script", "img", "attribute break-out"]

DEMONSTRATION_STEPS = [
    step.slug for step in wizard.DEMONSTRATION_STEPS if step.slug != "designated-individuals"
]
PROFILE_FORMATTED = {"postal_code", "importer_numbers", "ports"}  # refuse anything but their format


def kinds(form_class) -> tuple[list[str], list[str]]:
    """(free-text fields, other typed fields) of a form, without the hidden version and files."""
    text, other = [], []
    for name, field in form_class.base_fields.items():
        if name in {"version", "evidence"} or isinstance(field, forms.NullBooleanField):
            continue
        is_text = isinstance(field, forms.CharField) and name not in PROFILE_FORMATTED
        (text if is_text else other).append(name)
    return text, other


def assert_shown_safely(response, name: str) -> None:
    """The page never carries the value as markup; where it shows it, it shows the escaped text."""
    assert response.status_code in {200, 400}
    html = response.content.decode()
    if name in RAW:
        assert RAW[name] not in html
        tree = page(response)
        assert not [b for b in tree.iter("b") if b.text == "bold"]
        assert not [i for i in tree.iter("i") if i.text == "long"]
        assert not [img for img in tree.iter("img") if img.get("onerror")]
        assert not [s for s in tree.iter("script") if "alert(1)" in (s.text or "")]


def assert_stored_or_refused(response, name: str, fields: dict[str, object], auto_id) -> None:
    """Each field holds the value exactly as typed, or the page says beside it why it does not."""
    value = VALUES[name]
    for field, stored in fields.items():
        if name in REFUSED:
            assert field_error(response, auto_id(field)), f"{field} took {name}"
            assert stored != value and stored != [value]
        else:
            assert field_error(response, auto_id(field)) is None, field
            assert stored in (value, [value]), field


def own(field: str) -> str:
    return f"id_{field}"


@pytest.fixture
def draft(owner_a):
    return draft_application(owner=owner_a, complete=False, attested=False)


@pytest.fixture
def finished(owner_a):
    return draft_application(owner=owner_a, attested=False)


@pytest.fixture
def owner_client(client, owner_a):
    client.force_login(owner_a)
    return client


# --- Every field of every step --------------------------------------------------------------------
@values
def test_the_business_profile(owner_client, draft, name):
    value = VALUES[name]
    text, other = kinds(BusinessProfileForm)
    for slug, asked in wizard.PROFILE_PARTS.items():  # the profile's two pages
        url = step_url(draft, slug)
        data = {
            **form_fields(owner_client.get(url), url),
            **dict.fromkeys([f for f in [*text, *other] if f in asked], value),
            "action": "continue",
        }
        if slug == wizard.BUSINESS:
            data |= {
                "risk_flags": [value],
                "route": value,
                "has_prior_penalties": "True",
                "has_open_cases": "True",
            }
        response = owner_client.post(url, data)
        # The formatted fields, choices and amounts take none of these values.
        assert response.status_code == 400
        for field in [f for f in other if f in asked] + (["route"] if slug == "business" else []):
            assert field_error(response, own(field)), field
        organisation = draft.organisation
        organisation.refresh_from_db()
        stored = {field: getattr(organisation, field) for field in text if field in asked}
        assert_stored_or_refused(response, name, stored, own)
        assert_shown_safely(response, name)
        assert_shown_safely(owner_client.get(url), name)
    check = owner_client.get(step_url(draft, wizard.CHECK))
    assert_shown_safely(check, name)
    if name not in REFUSED:
        assert check.content.decode().count(escape(value)) >= len(text)


@values
def test_the_alternative_terms(owner_client, draft, name):
    value = VALUES[name]
    Application.objects.filter(pk=draft.pk).update(route=Application.Route.ALTERNATIVE)
    url = step_url(draft, wizard.TERMS)
    data = {**form_fields(owner_client.get(url), url), "proposed_terms": value}
    response = owner_client.post(url, data)
    draft.refresh_from_db()
    assert response.status_code == (400 if name in REFUSED else 302)
    assert_stored_or_refused(response, name, {"proposed_terms": draft.proposed_terms}, own)
    if response.status_code == 400:
        assert_shown_safely(response, name)
    check = owner_client.get(step_url(draft, wizard.CHECK))
    assert_shown_safely(check, name)
    if name not in REFUSED:
        assert escape(value) in check.content.decode()


@values
def test_every_demonstration_step(owner_client, draft, name):
    value = VALUES[name]
    for slug in DEMONSTRATION_STEPS:
        step = wizard.STEPS_BY_SLUG[slug]
        text, other = kinds(step.form_class)
        url = step_url(draft, slug)
        data = {
            **form_fields(owner_client.get(url), url),
            **dict.fromkeys(text, value),
            **{field: [value] for field in other},
            "evidence": SimpleUploadedFile("procedures.pdf", PDF),
            "action": "continue",
        }
        response = owner_client.post(url, data)
        # Choices, dates and numbers take none of these values; free text is saved regardless.
        assert response.status_code == 400, slug
        for field in other:
            assert field_error(response, own(field)), (slug, field)
        saved = answers(draft, step.demonstration)
        stored = {f: saved.narrative if f == "narrative" else saved.answers.get(f) for f in text}
        assert_stored_or_refused(response, name, stored, own)
        assert (
            Evidence.objects.filter(application=draft, demonstration=step.demonstration).count()
            == 1
        )
        assert_shown_safely(response, name)
    check = owner_client.get(step_url(draft, wizard.CHECK))
    assert_shown_safely(check, name)
    if name not in REFUSED:
        # Every free-text answer of the five steps that applies, each shown as typed (a method
        # that is not an alternative one leaves its questions out: common.conditional).
        typed = sum(
            len(set(kinds(form_class)[0]) - set(form_class.shown_when))
            for form_class in (
                wizard.STEPS_BY_SLUG[slug].form_class for slug in DEMONSTRATION_STEPS
            )
        )
        assert check.content.decode().count(escape(value)) >= typed


@values
def test_the_designated_individuals(owner_client, draft, name):
    value = VALUES[name]
    url = step_url(draft, wizard.INDIVIDUALS)
    person = ["name", "title", "duties", "qualifications"]
    data = {
        **form_fields(owner_client.get(url), url),
        **{f"individuals-0-{field}": value for field in person},
        "individuals-0-kind": "primary",
        "individuals-0-email": "jordan.ellis@example.com",
        "individuals-0-phone": "202-555-0143",
        "staying_current": value,
        "narrative": value,
        "action": "continue",
    }
    response = owner_client.post(url, data)
    assert response.status_code == (400 if name in REFUSED else 302)
    saved = answers(draft, "iv")
    individual = DesignatedIndividual.objects.filter(application=draft).first()
    if name in REFUSED:
        assert individual is None
        assert saved is None or (saved.answers.get("staying_current"), saved.narrative) == (
            None,
            "",
        )
        for field in person:
            assert field_error(response, f"id_individuals-0-{field}"), field
        for field in ("staying_current", "narrative"):
            assert field_error(response, own(field)), field
        assert_shown_safely(response, name)
    else:
        assert [getattr(individual, field) for field in person] == [value] * 4
        assert (saved.answers["staying_current"], saved.narrative) == (value, value)
        assert_shown_safely(owner_client.get(url), name)  # the person's name heads their section
    check = owner_client.get(step_url(draft, wizard.CHECK))
    assert_shown_safely(check, name)
    if name not in REFUSED:
        assert escape(value) in check.content.decode()


def test_the_individuals_test_types_into_every_free_text_field_of_a_person():
    text, _ = kinds(DesignatedIndividualForm)
    # The phone number is checked for its digits, the email address for its form.
    assert set(text) - {"phone", "email"} == {"name", "title", "duties", "qualifications"}


# --- Signing, withdrawing, answering --------------------------------------------------------------
@values
def test_the_attestation(owner_client, finished, name):
    value = VALUES[name]
    url = step_url(finished, wizard.SUBMIT)
    data = {
        **form_fields(owner_client.get(url), url),
        "signer_name": value,
        "signer_title": value,
        "confirm": "on",
    }
    response = owner_client.post(url, data)
    finished.refresh_from_db()
    attestation = Attestation.objects.filter(application=finished).first()
    if name in REFUSED:
        assert response.status_code == 400
        assert attestation is None
        assert finished.status == ApplicationStatus.DRAFT
        assert field_error(response, "id_signer_name")
        assert field_error(response, "id_signer_title")
        assert_shown_safely(response, name)
    else:
        assert response.status_code == 302
        assert (attestation.signer_name, attestation.signer_title) == (value, value)
        assert finished.status == ApplicationStatus.SUBMITTED
        assert_shown_safely(owner_client.get(detail_url(finished)), name)


@values
def test_the_reason_for_withdrawing(owner_client, draft, name):
    value = VALUES[name]
    url = withdraw_url(draft)
    response = owner_client.post(url, {**form_fields(owner_client.get(url), url), "reason": value})
    draft.refresh_from_db()
    if name in REFUSED:
        assert response.status_code == 400
        assert field_error(response, "id_reason")
        assert draft.status == ApplicationStatus.DRAFT
        assert_shown_safely(response, name)
        return
    assert response.status_code == 302
    assert draft.status == ApplicationStatus.WITHDRAWN
    assert Event.objects.get(verb="application.withdrawn").data == {"reason": value}
    detail = owner_client.get(detail_url(draft))
    assert_shown_safely(detail, name)
    assert f"Reason: {escape(value)}" in detail.content.decode()


@values
def test_the_answers_to_cbps_questions(client, owner_a, reviewer, name):
    value = VALUES[name]
    application, info_request = info_requested(owner_a, reviewer, questions=["Send the SOP."])
    (item,) = info_request.items.all()
    client.force_login(owner_a)
    url = answer_url(application)
    response = client.post(url, {f"answer_{item.pk}": value, "action": "save"})
    item.refresh_from_db()
    assert response.status_code == (400 if name in REFUSED else 302)
    assert_stored_or_refused(
        response, name, {"answer": item.answer}, lambda _: f"id_answer_{item.pk}"
    )
    shown = response if name in REFUSED else client.get(url)
    assert_shown_safely(shown, name)
    assert escape(value) in shown.content.decode()


# --- All of it on the application's own page ----------------------------------------------------
@pytest.mark.parametrize("name", MARKUP)
def test_markup_typed_everywhere_is_text_on_the_submitted_application(owner_client, finished, name):
    """Every free-text answer of a finished application, then the signature and the reason for
    withdrawing it: each save succeeds, and the application's page shows them all as text."""
    value = VALUES[name]
    for step in wizard.steps_for(finished):
        url = step_url(finished, step.slug)
        if step.slug in wizard.PROFILE_PARTS:
            asked = wizard.PROFILE_PARTS[step.slug]
            typed = dict.fromkeys([f for f in kinds(BusinessProfileForm)[0] if f in asked], value)
            if step.slug == wizard.BUSINESS:
                typed |= {"has_prior_penalties": "True", "has_open_cases": "True"}
        elif step.slug == wizard.INDIVIDUALS:
            typed = {f"individuals-0-{f}": value for f in ("name", "title", "duties")}
            typed |= dict.fromkeys(kinds(step.form_class)[0], value)
        elif step.form_class is not None:
            typed = dict.fromkeys(kinds(step.form_class)[0], value)
        else:
            continue
        data = {**form_fields(owner_client.get(url), url), **typed, "action": "continue"}
        response = owner_client.post(url, data)
        assert response.status_code == 302, (step.slug, response.content.decode()[:2000])

    url = step_url(finished, wizard.SUBMIT)
    data = {**form_fields(owner_client.get(url), url), "signer_name": value, "signer_title": value}
    assert owner_client.post(url, {**data, "confirm": "on"}).status_code == 302
    url = withdraw_url(finished)
    response = owner_client.post(url, {**form_fields(owner_client.get(url), url), "reason": value})
    assert response.status_code == 302

    finished.refresh_from_db()
    assert finished.status == ApplicationStatus.WITHDRAWN
    assert finished.organisation.legal_name == value
    detail = owner_client.get(detail_url(finished))
    assert_shown_safely(detail, name)
    html = detail.content.decode()
    # The legal name, every free-text answer, the people and the reason: dozens of places.
    assert html.count(escape(value)) >= 20
    assert f"Reason: {escape(value)}" in html
    assert_shown_safely(owner_client.get(reverse("dashboard")), name)


# --- Names of files ------------------------------------------------------------------------------
@pytest.mark.parametrize("name", MARKUP)
def test_a_files_name_is_shown_as_text(owner_client, draft, owner_a, name):
    evidence_add(
        application=draft,
        actor=owner_a,
        demonstration="iii",
        upload=SimpleUploadedFile(f"{VALUES[name]}.pdf", PDF),
        expected_version=draft.version,
    )
    assert_shown_safely(owner_client.get(step_url(draft, wizard.RECORDS)), name)
    assert_shown_safely(owner_client.get(step_url(draft, wizard.CHECK)), name)


# --- Tampered requests ---------------------------------------------------------------------------
@pytest.mark.parametrize("tampered", ["abc", "1 OR 1=1", "a\x00b", "-1", "9" * 30, "١"])
def test_a_tampered_file_to_remove_changes_nothing(owner_client, draft, owner_a, tampered):
    evidence = evidence_add(
        application=draft,
        actor=owner_a,
        demonstration="iii",
        upload=SimpleUploadedFile("SOP.pdf", PDF),
        expected_version=draft.version,
    )
    url = step_url(draft, wizard.RECORDS)
    data = {**form_fields(owner_client.get(url), url), "remove_evidence": tampered}
    response = owner_client.post(url, data)
    assert response.status_code == 200
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_another_applications_file_cannot_be_removed_from_a_step(owner_client, draft, owner_b):
    theirs = draft_application(owner=owner_b, complete=False, attested=False)
    evidence = evidence_add(
        application=theirs,
        actor=owner_b,
        demonstration="iii",
        upload=SimpleUploadedFile("theirs.pdf", PDF),
        expected_version=theirs.version,
    )
    url = step_url(draft, wizard.RECORDS)
    data = {**form_fields(owner_client.get(url), url), "remove_evidence": str(evidence.pk)}
    owner_client.post(url, data)
    assert Evidence.objects.filter(pk=evidence.pk).exists()


@pytest.mark.parametrize("initial", ["0", "1"], ids=["as a new row", "as a saved row"])
def test_another_applications_person_cannot_be_edited_through_the_formset(
    owner_client, draft, owner_b, initial
):
    theirs = draft_application(owner=owner_b)
    people = list(DesignatedIndividual.objects.filter(application=theirs).values())
    url = step_url(draft, wizard.INDIVIDUALS)
    data = {
        **form_fields(owner_client.get(url), url),
        "individuals-INITIAL_FORMS": initial,
        "individuals-0-id": str(people[0]["id"]),
        "individuals-0-kind": "primary",
        "individuals-0-name": "Renamed",
        "individuals-0-title": "Compliance",
        "individuals-0-email": "x@example.com",
        "individuals-0-phone": "202-555-0143",
        "individuals-0-duties": "All of it.",
    }
    response = owner_client.post(url, data)
    # Refused, or taken as a new person of this application: either way theirs are untouched.
    assert response.status_code in {302, 400}
    assert list(DesignatedIndividual.objects.filter(application=theirs).values()) == people
    assert "Jordan Ellis" not in response.content.decode()


@pytest.mark.parametrize(
    "tampered",
    [
        {"version": "abc"},
        {"version": ""},
        {"version": "0"},
        {"individuals-TOTAL_FORMS": "abc"},
        {"individuals-INITIAL_FORMS": "5"},
    ],
    ids=lambda tampered: " ".join(f"{k}={v}" for k, v in tampered.items()),
)
def test_a_tampered_form_is_refused_without_an_error_page(owner_client, draft, tampered):
    url = step_url(draft, wizard.INDIVIDUALS)
    data = {**form_fields(owner_client.get(url), url), "staying_current": "CSMS.", **tampered}
    response = owner_client.post(url, data)
    assert response.status_code in {400, 409}
    assert not DesignatedIndividual.objects.filter(application=draft).exists()


def test_a_formset_claiming_thousands_of_people_is_refused_with_a_message(owner_client, draft):
    url = step_url(draft, wizard.INDIVIDUALS)
    data = {**form_fields(owner_client.get(url), url), "individuals-TOTAL_FORMS": "100000"}
    response = owner_client.post(url, data)
    assert response.status_code == 400
    assert "Please submit at most 10 forms." in response.content.decode()
    names = [el for el in page(response).iter("input") if el.get("name", "").endswith("-name")]
    assert len(names) <= 10


def test_fields_the_form_does_not_have_are_ignored(owner_client, draft):
    url = step_url(draft, wizard.RECORDS)
    data = {
        **form_fields(owner_client.get(url), url),
        "procedures": "SOP-07",
        "status": "certified",
        "reference": "RKCP-2026-000001",
        "answers": '{"score": 100}',
        "action": "continue",
    }
    assert owner_client.post(url, data).status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.reference) == (ApplicationStatus.DRAFT, None)
    stored = answers(draft, "iii").answers
    assert stored["procedures"] == "SOP-07"
    assert set(stored) <= set(wizard.STEPS_BY_SLUG[wizard.RECORDS].form_class.base_fields)
