"""The applicant's wizard through the browser's eyes (Django's test client): every step opens, a step
saves what it can and keeps what was typed, an older copy saves nothing, and the application goes on
to be signed, submitted, withdrawn and to answer CBP's questions."""

from datetime import date, timedelta
from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from certification import workflow
from certification.models import (
    Application,
    ApplicationStatus,
    Attestation,
    DemonstrationResponse,
    DesignatedIndividual,
    Event,
    Evidence,
    InformationRequest,
)
from certification.wizard import steps as wizard
from tests.factories import draft_application, start_review
from tests.pdfs import plain_pdf

pytestmark = pytest.mark.django_db

PDF = plain_pdf()  # evidence checks read it: a real one-page PDF
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
CONFLICT = "Your changes on this page were not saved"


# --- Helpers, shared with test_applicant_access and test_hostile_input ----------------------------
def key(application: Application) -> str:
    """What the application's addresses carry as the database holds it now: its reference, or the
    number of a draft without one (the object a test holds may predate its submission)."""
    stored = Application.objects.values_list("reference", flat=True).get(pk=application.pk)
    return stored or str(application.pk)


def step_url(application: Application, slug: str) -> str:
    return reverse("certification:wizard-step", args=[key(application), slug])


def detail_url(application: Application) -> str:
    return reverse("certification:application-detail", args=[key(application)])


def withdraw_url(application: Application) -> str:
    return reverse("certification:application-withdraw", args=[key(application)])


def answer_url(application: Application) -> str:
    return reverse("certification:information-request-answer", args=[key(application)])


def pdf(name: str = "procedures.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def text_file(name: str = "notes.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"Entry files are kept for five years.\n", "text/plain")


class _PageParser(HTMLParser):
    """Our own pages as an element tree, entities decoded. Several times faster than a full HTML5
    parser over a few hundred pages, and enough for the markup our templates write."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = ElementTree.Element("document")
        self.open = [self.root]

    def handle_starttag(self, tag, attrs):
        element = ElementTree.SubElement(self.open[-1], tag, {k: v or "" for k, v in attrs})
        if tag not in self.VOID:
            self.open.append(element)

    def handle_startendtag(self, tag, attrs):
        ElementTree.SubElement(self.open[-1], tag, {k: v or "" for k, v in attrs})

    def handle_endtag(self, tag):
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                if tag == "textarea" and self.open[depth].text:
                    # As in a browser, a newline just after <textarea> is not part of the value.
                    self.open[depth].text = self.open[depth].text.removeprefix("\n")
                del self.open[depth:]
                return

    def handle_data(self, data):
        parent = self.open[-1]
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + data
        else:
            parent.text = (parent.text or "") + data


def page(response) -> ElementTree.Element:
    """The response's HTML as an element tree (parsed once per response)."""
    if not hasattr(response, "_parsed_page"):
        parser = _PageParser()
        parser.feed(response.content.decode())
        parser.close()
        response._parsed_page = parser.root
    return response._parsed_page


def by_id(response, element_id: str):
    return next((el for el in page(response).iter() if el.get("id") == element_id), None)


def field_error(response, auto_id: str) -> str | None:
    """The message shown beside a field (templates/uswds/field_errors.html), or None. Screen readers
    hear it led by "Error:" (visually hidden); the words a person sees follow."""
    element = by_id(response, f"{auto_id}-error")
    if element is None:
        return None
    text = "".join(element.itertext()).strip()
    assert text.startswith("Error: "), text
    return text.removeprefix("Error: ")


def form_fields(response, action: str) -> dict:
    """What a browser sends from the page's form that posts to `action`, without pressing a button
    or choosing files: the values the page shows, as the person would see them in the fields."""
    form = next(f for f in page(response).iter("form") if f.get("action") == action)
    data: dict[str, list[str]] = {}
    for element in form.iter():
        name, tag = element.get("name"), element.tag
        if not name:
            continue
        if tag == "input":
            kind = element.get("type", "text")
            if kind in {"submit", "button", "reset", "image", "file"}:
                continue
            if kind in {"checkbox", "radio"} and "checked" not in element.attrib:
                continue
            default = "on" if kind in {"checkbox", "radio"} else ""
            data.setdefault(name, []).append(element.get("value", default))
        elif tag == "textarea":
            data.setdefault(name, []).append(element.text or "")
        elif tag == "select":
            options = list(element.iter("option"))
            chosen = [o for o in options if "selected" in o.attrib] or options[:1]
            data.setdefault(name, []).extend(o.get("value", o.text or "") for o in chosen)
    return {name: values if len(values) > 1 else values[0] for name, values in data.items()}


def messages_shown(response) -> str:
    element = next((el for el in page(response).iter() if el.get("class") == "rkcp-messages"), None)
    return "" if element is None else " ".join("".join(element.itertext()).split())


def text_of(response) -> str:
    """The page's visible words, whitespace collapsed."""
    body = next(page(response).iter("main"))
    return " ".join("".join(body.itertext()).split())


def answers(application: Application, demonstration: str) -> DemonstrationResponse | None:
    return DemonstrationResponse.objects.filter(
        application=application, demonstration=demonstration
    ).first()


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    root = tmp_path / "private-media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root, "base_url": None},
        },
    }
    return root


def stored_files(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def draft(owner_a):
    """A draft nobody has answered yet."""
    return draft_application(owner=owner_a, complete=False, attested=False)


@pytest.fixture
def finished(owner_a):
    """A draft with every step answered, not yet signed."""
    return draft_application(owner=owner_a, attested=False)


@pytest.fixture
def owner_client(client, owner_a):
    client.force_login(owner_a)
    return client


def info_requested(owner, reviewer, questions=None) -> tuple[Application, InformationRequest]:
    """A submitted application on which a reviewer has asked questions."""
    application = draft_application(owner=owner)
    workflow.application_submit(application=application, actor=owner)
    start_review(application=application, reviewer=reviewer)
    request = workflow.application_request_information(
        application=application,
        actor=reviewer,
        questions=questions
        or [
            "Send the retention schedule you adopted in March.",
            workflow.Question("Who trains new staff?", demonstration="ii"),
        ],
        due=timezone.localdate() + timedelta(days=30),
    )
    return application, request


# --- Opening and starting -------------------------------------------------------------------------
@pytest.mark.parametrize("persona", ["owner_a", "member_a"])
@pytest.mark.parametrize("step", wizard.STEPS, ids=lambda step: step.slug)
def test_every_step_opens_for_the_owner_and_a_member(client, request, persona, step, finished):
    Application.objects.filter(pk=finished.pk).update(route=Application.Route.ALTERNATIVE)
    client.force_login(request.getfixturevalue(persona))
    response = client.get(step_url(finished, step.slug))
    assert response.status_code == 200
    assert step.title in text_of(response)


def test_the_terms_step_is_skipped_on_the_general_route(owner_client, draft):
    response = owner_client.get(step_url(draft, wizard.TERMS))
    assert response.status_code == 302
    assert response.url == step_url(draft, wizard.PROFILE)


def test_an_unknown_step_is_not_found(owner_client, draft):
    assert owner_client.get(step_url(draft, "no-such-step")).status_code == 404


def test_starting_creates_one_draft_and_starting_again_resumes_it(client, owner_a, member_a):
    client.force_login(owner_a)
    response = client.post(reverse("certification:application-start"))
    application = Application.objects.get()
    assert application.status == ApplicationStatus.DRAFT
    assert application.organisation == owner_a.membership.organisation
    assert response.url == step_url(application, wizard.PROFILE)
    assert Event.objects.filter(application=application, verb="application.started").count() == 1

    client.force_login(member_a)
    response = client.post(reverse("certification:application-start"))
    assert response.url == step_url(application, wizard.PROFILE)
    assert Application.objects.count() == 1


def test_starting_needs_a_post(owner_client):
    assert owner_client.get(reverse("certification:application-start")).status_code == 405
    assert not Application.objects.exists()


def test_an_organisation_with_a_submitted_application_cannot_start_another(owner_client, owner_a):
    application = draft_application(owner=owner_a)
    workflow.application_submit(application=application, actor=owner_a)
    response = owner_client.post(reverse("certification:application-start"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("dashboard")
    assert "already has an application with CBP" in messages_shown(response)
    assert list(Application.objects.values_list("status", flat=True)) == ["submitted"]


# --- Saving: what cleans is kept, what does not is shown with a message -----------------------------
def test_a_future_training_date_is_refused_and_the_other_answers_are_saved(owner_client, draft):
    url = step_url(draft, wizard.EMPLOYEES)
    tomorrow = (timezone.localdate() + timedelta(days=1)).strftime("%m/%d/%Y")
    typed = {
        "training_audience": "Import coordinators (4), accounts payable (2).",
        "training_frequency": "annual",
        "last_training": tomorrow,
        "training_materials": "Slides and sign-in sheets.",
        "narrative": "New staff are trained in their first month.",
    }
    response = owner_client.post(
        url, {**form_fields(owner_client.get(url), url), **typed, "action": "continue"}
    )

    assert response.status_code == 400
    assert field_error(response, "id_last_training") == (
        "The last training session must be today or in the past."
    )
    shown = form_fields(response, url)
    assert {name: shown[name] for name in typed} == typed
    saved = answers(draft, "ii")
    assert saved.answers == {
        "training_audience": typed["training_audience"],
        "training_frequency": "annual",
        "training_materials": typed["training_materials"],
    }
    assert saved.narrative == typed["narrative"]

    # The page carries the version it now stands at: correcting the date saves, with no conflict.
    response = owner_client.post(
        url, {**shown, "last_training": "09/15/2025", "action": "continue"}
    )
    assert response.status_code == 302
    assert response.url == step_url(draft, wizard.RECORDS)
    assert answers(draft, "ii").answers["last_training"] == "2025-09-15"


def test_zero_retrieval_days_are_refused_and_the_other_answers_are_saved(owner_client, draft):
    url = step_url(draft, wizard.RECORDS)
    typed = {
        "procedures": "SOP-07 Entry file preparation",
        "record_linking": "The entry number is on the purchase order.",
        "storage": "Document system; records room.",
        "retrieval_days": "0",
        "broker_oversight": "Monthly reconciliation.",
    }
    response = owner_client.post(
        url, {**form_fields(owner_client.get(url), url), **typed, "action": "continue"}
    )
    assert response.status_code == 400
    assert field_error(response, "id_retrieval_days") == "Enter a number of days from 1 to 365."
    shown = form_fields(response, url)
    assert {name: shown[name] for name in typed} == typed
    stored = answers(draft, "iii").answers
    assert "retrieval_days" not in stored
    assert stored["procedures"] == typed["procedures"]
    assert stored["broker_oversight"] == typed["broker_oversight"]


def test_a_malformed_importer_number_is_refused_and_the_rest_of_the_profile_is_saved(
    owner_client, draft
):
    url = step_url(draft, wizard.PROFILE)
    typed = {
        "dba_name": "Acme Direct",
        "address_line1": "100 Harbor Boulevard",
        "city": "Long Beach",
        "state": "CA",
        "postal_code": "90802",
        "importer_numbers": "27-1000001",
    }
    response = owner_client.post(
        url, {**form_fields(owner_client.get(url), url), **typed, "action": "continue"}
    )
    assert response.status_code == 400
    assert field_error(response, "id_importer_numbers") == (
        "Line 1 (“27-1000001”): Add the two-character suffix after the IRS number (usually 00), "
        "like 95-234567800."
    )
    shown = form_fields(response, url)
    assert {name: shown[name] for name in typed} == typed
    organisation = draft.organisation
    organisation.refresh_from_db()
    assert (organisation.dba_name, organisation.city, organisation.state) == (
        "Acme Direct",
        "Long Beach",
        "CA",
    )
    assert organisation.importer_numbers == []


def test_a_phone_number_with_too_few_digits_is_refused_and_the_step_answers_are_saved(
    owner_client, draft
):
    url = step_url(draft, wizard.INDIVIDUALS)
    person = {
        "individuals-0-kind": "primary",
        "individuals-0-name": "Jordan Ellis",
        "individuals-0-title": "Trade Compliance Manager",
        "individuals-0-email": "jordan.ellis@example.com",
        "individuals-0-phone": "555-0143",
        "individuals-0-duties": "Owns the records policy.",
    }
    typed = {**person, "staying_current": "CSMS messages and trade seminars."}
    response = owner_client.post(
        url, {**form_fields(owner_client.get(url), url), **typed, "action": "continue"}
    )
    assert response.status_code == 400
    assert field_error(response, "id_individuals-0-phone") == (
        "Enter a phone number with 10 to 15 digits, for example 202-555-0143."
    )
    shown = form_fields(response, url)
    assert {name: shown[name] for name in typed} == typed
    assert not DesignatedIndividual.objects.exists()
    assert answers(draft, "iv").answers == {"staying_current": typed["staying_current"]}

    shown["individuals-0-phone"] = "(202) 555-0143"
    response = owner_client.post(url, {**shown, "action": "add"})
    assert response.status_code == 302
    assert response.url == url + "#individual-new"
    assert DesignatedIndividual.objects.get(application=draft).phone == "(202) 555-0143"
    # The saved person is listed, with an empty section to add the next one.
    shown = form_fields(owner_client.get(url), url)
    assert shown["individuals-0-name"] == "Jordan Ellis"
    assert shown["individuals-TOTAL_FORMS"] == "2"


def test_save_and_exit_leads_to_the_application_page(owner_client, draft):
    url = step_url(draft, wizard.UNDERSTANDING)
    response = owner_client.post(
        url,
        {**form_fields(owner_client.get(url), url), "policy": "IR-1", "action": "exit"},
        follow=True,
    )
    assert response.redirect_chain == [(detail_url(draft), 302)]
    assert "Your answers are saved" in messages_shown(response)
    assert answers(draft, "i").answers["policy"] == "IR-1"


@pytest.mark.parametrize(("gap", "accepted"), [(29, False), (30, True)], ids=["29 days", "30 days"])
def test_an_alternative_method_starts_at_least_30_days_after_the_notice(
    owner_client, draft, gap, accepted
):
    url = step_url(draft, wizard.MAINTENANCE)
    notice = date(2025, 1, 6)
    typed = {
        "method": "alternative",
        "alternative_description": "Scanned images in a document system.",
        "notice_date": notice.strftime("%m/%d/%Y"),
        "implementation_date": (notice + timedelta(days=gap)).strftime("%m/%d/%Y"),
    }
    response = owner_client.post(
        url, {**form_fields(owner_client.get(url), url), **typed, "action": "continue"}
    )
    stored = answers(draft, "v").answers
    assert stored["notice_date"] == "2025-01-06"
    if accepted:
        assert response.status_code == 302
        assert stored["implementation_date"] == "2025-02-05"
        return
    assert response.status_code == 400
    assert field_error(response, "id_implementation_date") == (
        "The method can be used only from 30 days after the notice to CBP: 02/05/2025 or later."
    )
    assert form_fields(response, url)["implementation_date"] == "02/04/2025"
    assert "implementation_date" not in stored


# --- Evidence on a step ---------------------------------------------------------------------------
def test_files_that_pass_are_stored_even_when_the_step_has_an_error(
    owner_client, draft, private_storage
):
    url = step_url(draft, wizard.RECORDS)
    data = {
        **form_fields(owner_client.get(url), url),
        "retrieval_days": "0",
        "evidence": [pdf("SOP-08 retrieval.pdf"), text_file("linking notes.txt")],
        "action": "continue",
    }
    response = owner_client.post(url, data)
    assert response.status_code == 400
    assert field_error(response, "id_retrieval_days")
    assert field_error(response, "id_evidence") is None
    stored = Evidence.objects.filter(application=draft).order_by("pk")
    assert [(e.original_name, e.demonstration) for e in stored] == [
        ("SOP-08 retrieval.pdf", "iii"),
        ("linking notes.txt", "iii"),
    ]
    assert len(stored_files(private_storage)) == 2
    uploaded = text_of(response).split("Evidence already uploaded for this step", 1)[1]
    assert "SOP-08 retrieval.pdf" in uploaded
    assert "linking notes.txt" in uploaded


def test_a_file_of_a_refused_type_is_named_beside_the_file_field_and_not_stored(
    owner_client, draft, private_storage
):
    url = step_url(draft, wizard.RECORDS)
    data = {
        **form_fields(owner_client.get(url), url),
        "procedures": "SOP-07",
        "evidence": SimpleUploadedFile("tool.exe", EXE),
        "action": "continue",
    }
    response = owner_client.post(url, data)
    assert response.status_code == 400
    message = field_error(response, "id_evidence")
    assert message.startswith("“tool.exe” is not a file type we accept.")
    assert not Evidence.objects.exists()
    assert stored_files(private_storage) == []
    assert answers(draft, "iii").answers["procedures"] == "SOP-07"


def test_removing_a_file_keeps_the_page_and_saves_what_was_typed(
    owner_client, draft, private_storage, django_capture_on_commit_callbacks
):
    url = step_url(draft, wizard.RECORDS)
    owner_client.post(
        url,
        {**form_fields(owner_client.get(url), url), "evidence": pdf(), "action": "continue"},
    )
    evidence = Evidence.objects.get()
    data = {
        **form_fields(owner_client.get(url), url),
        "storage": "Records room.",
        "remove_evidence": str(evidence.pk),
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(url, data)
    assert response.status_code == 200
    assert "Removed “procedures.pdf”." in messages_shown(response)
    assert not Evidence.objects.exists()
    assert stored_files(private_storage) == []
    assert answers(draft, "iii").answers["storage"] == "Records room."


# --- Two tabs ------------------------------------------------------------------------------------
def _city(application):
    application.organisation.refresh_from_db()
    return application.organisation.city


def _answer(demonstration, name):
    def read(application):
        response = answers(application, demonstration)
        return response and response.answers.get(name)

    return read


def _terms(application):
    application.refresh_from_db()
    return application.proposed_terms


@pytest.mark.parametrize(
    ("slug", "field", "read"),
    [
        (wizard.PROFILE, "city", _city),
        (wizard.TERMS, "proposed_terms", _terms),
        (wizard.RECORDS, "procedures", _answer("iii", "procedures")),
        (wizard.INDIVIDUALS, "staying_current", _answer("iv", "staying_current")),
    ],
    ids=["profile", "terms", "records", "individuals"],
)
def test_a_save_from_an_older_tab_is_refused_and_saves_nothing(
    owner_client, draft, private_storage, slug, field, read
):
    Application.objects.filter(pk=draft.pk).update(route=Application.Route.ALTERNATIVE)
    url = step_url(draft, slug)
    first_tab = form_fields(owner_client.get(url), url)
    second_tab = form_fields(owner_client.get(url), url)

    response = owner_client.post(url, {**first_tab, field: "Typed in tab one", "action": "exit"})
    assert response.status_code == 302
    draft.refresh_from_db()
    version = draft.version

    data = {**second_tab, field: "Typed in tab two", "action": "continue"}
    if slug == wizard.RECORDS:
        data["evidence"] = pdf()
    response = owner_client.post(url, data)
    assert response.status_code == 409
    assert CONFLICT in messages_shown(response)
    # What the second tab typed is still on the page, to copy.
    assert form_fields(response, url)[field] == "Typed in tab two"
    assert read(draft) == "Typed in tab one"
    draft.refresh_from_db()
    assert draft.version == version
    assert not Evidence.objects.exists()
    assert stored_files(private_storage) == []


def test_a_stale_copy_with_unchanged_answers_is_still_refused(owner_client, draft):
    url = step_url(draft, wizard.RECORDS)
    old = form_fields(owner_client.get(url), url)
    owner_client.post(url, {**old, "storage": "Records room.", "action": "exit"})
    # The other tab now sends what it showed, unchanged: it must not look like a save.
    response = owner_client.post(url, {**old, "storage": "Records room.", "action": "continue"})
    assert response.status_code == 409


# --- Signing and submitting ----------------------------------------------------------------------
def sign(client, application, **overrides):
    url = step_url(application, wizard.SUBMIT)
    data = {
        **form_fields(client.get(url), url),
        "signer_name": "Olivia Owner",
        "signer_title": "Compliance manager",
        "confirm": "on",
        **overrides,
    }
    return client.post(url, data)


@pytest.mark.parametrize(
    ("slug", "change"),
    [
        (wizard.PROFILE, {"city": "Oakland"}),
        (wizard.RECORDS, {"storage": "A new records room."}),
        (wizard.INDIVIDUALS, {"staying_current": "CSMS only."}),
        (wizard.MAINTENANCE, {"evidence": "pdf"}),
    ],
    ids=["profile", "records", "individuals", "an upload"],
)
def test_saving_any_step_removes_the_signature(client, member_a, owner_a, slug, change):
    application = draft_application(owner=owner_a, attested=True)
    assert Attestation.objects.filter(application=application).exists()
    client.force_login(member_a)
    url = step_url(application, slug)
    change = {k: pdf() if v == "pdf" else v for k, v in change.items()}
    response = client.post(url, {**form_fields(client.get(url), url), **change, "action": "exit"})
    assert response.status_code == 302
    assert not Attestation.objects.filter(application=application).exists()


def test_the_owner_signs_and_submits_and_the_page_shows_it(owner_client, finished, owner_a):
    response = owner_client.get(step_url(finished, wizard.SUBMIT))
    assert "Acme Imports LLC complies with all laws" in text_of(response)

    response = sign(owner_client, finished)
    assert response.status_code == 302
    assert response.url == detail_url(finished)
    finished.refresh_from_db()
    assert finished.status == ApplicationStatus.SUBMITTED
    assert finished.reference.startswith("RKCP-")
    attestation = Attestation.objects.get(application=finished)
    assert (attestation.signed_by, attestation.signer_name) == (owner_a, "Olivia Owner")

    response = owner_client.get(detail_url(finished))
    shown = text_of(response)
    status = next(el for el in page(response).iter() if "rkcp-status" in el.get("class", ""))
    assert status.text == "Submitted"
    assert f"Application {finished.reference}" in shown
    timeline = shown.split("History", 1)[1]
    assert "Application submitted" in timeline
    assert "Draft changed" not in timeline  # staff see each edit; the applicant sees milestones


def test_an_unfinished_application_is_not_submitted_and_the_missing_answers_are_listed(
    owner_client, draft
):
    url = step_url(draft, wizard.SUBMIT)
    response = owner_client.get(url)
    assert "The application is not finished" in text_of(response)
    assert "At least one importer number" in text_of(response)
    # The page offers no signature; a post made anyway (an old page, a crafted request) fails.
    data = {
        "signer_name": "Olivia Owner",
        "signer_title": "CFO",
        "confirm": "on",
        "version": draft.version,
    }
    response = owner_client.post(url, data)
    assert response.status_code == 400
    shown = text_of(response)
    assert "The application is not finished" in shown
    assert "At least one importer number" in shown
    assert "Your retention schedule" in shown
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.DRAFT
    # A signature is a statement about the application as submitted: none is left behind.
    assert not Attestation.objects.exists()


def test_the_attestation_needs_a_name_a_title_and_the_box_ticked(owner_client, finished):
    response = sign(owner_client, finished, signer_name="", signer_title="", confirm="")
    assert response.status_code == 400
    assert field_error(response, "id_signer_name") == "Type your full name."
    assert field_error(response, "id_signer_title") == "Type your title."
    assert field_error(response, "id_confirm") == "Tick the box to make the attestation."
    finished.refresh_from_db()
    assert finished.status == ApplicationStatus.DRAFT


def test_signing_a_copy_older_than_a_colleagues_edit_is_refused(
    client, owner_a, member_a, finished
):
    client.force_login(owner_a)
    url = step_url(finished, wizard.SUBMIT)
    opened = form_fields(client.get(url), url)
    # A colleague changes an answer after the owner opened the page.
    client.force_login(member_a)
    records = step_url(finished, wizard.RECORDS)
    client.post(records, {**form_fields(client.get(records), records), "storage": "Changed."})

    client.force_login(owner_a)
    data = {**opened, "signer_name": "Olivia Owner", "signer_title": "CFO", "confirm": "on"}
    response = client.post(url, data)
    assert response.status_code == 409
    assert "The application changed after you opened this page" in messages_shown(response)
    finished.refresh_from_db()
    assert finished.status == ApplicationStatus.DRAFT
    assert not Attestation.objects.exists()


def test_a_member_is_told_an_owner_signs_and_cannot_sign(client, member_a, finished):
    client.force_login(member_a)
    url = step_url(finished, wizard.SUBMIT)
    response = client.get(url)
    assert response.status_code == 200
    assert "Only an owner of Acme Imports LLC can sign the attestation" in text_of(response)
    assert not [f for f in page(response).iter("form") if f.get("action") == url]

    data = {
        "signer_name": "Marcus Member",
        "signer_title": "Clerk",
        "confirm": "on",
        "version": finished.version,
    }
    assert client.post(url, data).status_code == 403
    finished.refresh_from_db()
    assert finished.status == ApplicationStatus.DRAFT
    assert not Attestation.objects.exists()


# --- Withdrawing ---------------------------------------------------------------------------------
def test_withdrawing_asks_first_then_withdraws_and_the_timeline_says_so(client, member_a, finished):
    client.force_login(member_a)
    url = withdraw_url(finished)
    response = client.get(url)
    assert response.status_code == 200
    assert "Withdraw the draft application?" in text_of(response)
    finished.refresh_from_db()
    assert finished.status == ApplicationStatus.DRAFT  # asking changes nothing

    data = {**form_fields(response, url), "reason": "We will apply next year."}
    response = client.post(url, data, follow=True)
    assert response.redirect_chain == [(detail_url(finished), 302)]
    finished.refresh_from_db()
    assert finished.status == ApplicationStatus.WITHDRAWN
    event = Event.objects.get(application=finished, verb="application.withdrawn")
    assert event.data == {"reason": "We will apply next year."}
    shown = text_of(response)
    assert "The application is withdrawn." in messages_shown(response)
    timeline = shown.split("History", 1)[1]
    assert "Application withdrawn" in timeline
    assert "Reason: We will apply next year." in timeline
    # Nothing more to withdraw, and the wizard no longer opens.
    assert client.get(url).status_code == 403
    assert client.get(step_url(finished, wizard.RECORDS)).url == detail_url(finished)


def test_a_submitted_application_is_withdrawn_by_its_reference(owner_client, owner_a):
    application = draft_application(owner=owner_a)
    workflow.application_submit(application=application, actor=owner_a)
    url = withdraw_url(application)
    response = owner_client.get(url)
    assert f"Withdraw application {application.reference}?" in text_of(response)
    assert owner_client.post(url, form_fields(response, url)).status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN


def test_withdrawing_from_an_older_copy_is_refused(owner_client, finished):
    url = withdraw_url(finished)
    opened = form_fields(owner_client.get(url), url)
    records = step_url(finished, wizard.RECORDS)
    owner_client.post(
        records, {**form_fields(owner_client.get(records), records), "storage": "Changed."}
    )
    response = owner_client.post(url, opened)
    assert response.status_code == 409
    finished.refresh_from_db()
    assert finished.status == ApplicationStatus.DRAFT


# --- Answering CBP's questions -------------------------------------------------------------------
def test_answers_are_saved_then_sent_with_a_file_and_the_review_resumes(
    client, owner_a, reviewer, private_storage
):
    application, info_request = info_requested(owner_a, reviewer)
    first, second = info_request.items.order_by("position")
    client.force_login(owner_a)
    url = answer_url(application)
    response = client.get(url)
    assert response.status_code == 200
    assert "Who trains new staff?" in text_of(response)

    # Saved, not sent.
    response = client.post(
        url,
        {f"answer_{first.pk}": "Attached.", f"answer_{second.pk}": "", "action": "save"},
        follow=True,
    )
    assert response.redirect_chain == [(url, 302)]
    assert "Your answers are saved" in messages_shown(response)
    assert form_fields(response, url)[f"answer_{first.pk}"] == "Attached."
    first.refresh_from_db()
    assert first.answer == "Attached."
    application.refresh_from_db()
    assert application.status == ApplicationStatus.INFO_REQUESTED

    # Sending with a question unanswered.
    response = client.post(
        url, {f"answer_{first.pk}": "Attached.", f"answer_{second.pk}": "", "action": "send"}
    )
    assert response.status_code == 400
    assert field_error(response, f"id_answer_{second.pk}") == "Answer question 2."
    application.refresh_from_db()
    assert application.status == ApplicationStatus.INFO_REQUESTED
    info_request.refresh_from_db()
    assert info_request.answered_at is None

    # Every question answered, with a file.
    response = client.post(
        url,
        {
            f"answer_{first.pk}": "The schedule is attached.",
            f"answer_{second.pk}": "Our compliance manager, Jordan Ellis.",
            f"files_{first.pk}": pdf("retention schedule.pdf"),
            "action": "send",
        },
        follow=True,
    )
    assert response.redirect_chain == [(detail_url(application), 302)]
    assert "Your answers were sent to CBP." in messages_shown(response)
    assert "More information sent to CBP" in text_of(response).split("History", 1)[1]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW
    info_request.refresh_from_db()
    assert info_request.answered_at is not None
    assert info_request.answered_by == owner_a
    evidence = Evidence.objects.get(request_item=first)
    assert evidence.original_name == "retention schedule.pdf"
    assert evidence.application == application
    assert len(stored_files(private_storage)) == 1
    # Sent answers are final.
    assert client.get(url).status_code == 403


def test_a_refused_file_is_named_beside_its_question_and_the_answers_are_kept(
    client, owner_a, reviewer, private_storage
):
    application, info_request = info_requested(owner_a, reviewer, questions=["Send the SOP."])
    (item,) = info_request.items.all()
    client.force_login(owner_a)
    url = answer_url(application)
    response = client.post(
        url,
        {
            f"answer_{item.pk}": "See the file.",
            f"files_{item.pk}": SimpleUploadedFile("sop.exe", EXE),
            "action": "send",
        },
    )
    assert response.status_code == 400
    assert field_error(response, f"id_files_{item.pk}").startswith(
        "“sop.exe” is not a file type we accept."
    )
    item.refresh_from_db()
    assert item.answer == "See the file."
    assert not Evidence.objects.filter(request_item=item).exists()
    assert stored_files(private_storage) == []
    application.refresh_from_db()
    assert application.status == ApplicationStatus.INFO_REQUESTED


def test_once_submitted_only_the_answers_are_editable(client, owner_a, reviewer):
    application, _ = info_requested(owner_a, reviewer)
    version = application.version
    stored = answers(application, "iii").answers
    client.force_login(owner_a)
    for step in wizard.STEPS:
        url = step_url(application, step.slug)
        assert client.get(url).url == detail_url(application)
        data = {"version": version, "storage": "Changed after submission.", "action": "continue"}
        assert client.post(url, data).url == detail_url(application)
    application.refresh_from_db()
    assert application.version == version
    assert answers(application, "iii").answers == stored
    response = client.get(detail_url(application))
    links = [a.get("href") for a in page(response).iter("a")]
    assert answer_url(application) in links
    assert not [link for link in links if link and "/sign-and-submit/" in link]
