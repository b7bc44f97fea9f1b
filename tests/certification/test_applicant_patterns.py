"""The patterns people expect of a federal form, through Django's test client: one error summary
that is the page's only alert, "Change" that comes back to check your answers, "Save and exit" that
leaves with what was valid, "Continue" that opens the step still needing answers, importer numbers
as people type them, and CBP's deadline where the applicant looks."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from certification import workflow
from certification.models import DesignatedIndividual
from certification.wizard import steps as wizard
from reviews.selectors import QueueFilters, queue
from tests.certification.test_wizard_views import (
    answer_url,
    answers,
    by_id,
    detail_url,
    field_error,
    form_fields,
    messages_shown,
    page,
    step_url,
    text_of,
)
from tests.factories import draft_application, start_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(owner_a):
    return draft_application(owner=owner_a, complete=False, attested=False)


@pytest.fixture
def owner_client(client, owner_a):
    client.force_login(owner_a)
    return client


def save(client, url: str, changes: dict, *, follow: bool = False):
    """Post the step's form as the page shows it, with `changes` typed in."""
    return client.post(url, {**form_fields(client.get(url), url), **changes}, follow=follow)


def alerts(response) -> list:
    return [el for el in page(response).iter() if el.get("role") == "alert"]


def summary_links(response) -> list[tuple[str, str]]:
    (summary,) = [el for el in page(response).iter() if "data-error-summary" in el.attrib]
    return [(a.get("href"), "".join(a.itertext())) for a in summary.iter("a")]


# --- One error summary, the page's only alert ------------------------------------------------------
def test_the_designated_individuals_step_summarises_every_persons_errors(owner_client, draft):
    url = step_url(draft, wizard.INDIVIDUALS)
    response = save(
        owner_client,
        url,
        {
            "individuals-0-kind": "primary",
            "individuals-0-name": "Jordan Ellis",
            "individuals-0-email": "jordan.ellis@example.com",
            "individuals-0-phone": "555",
            "action": "continue",
        },
    )
    assert response.status_code == 400
    # One live region: the summary. The messages beside the fields are not alerts of their own.
    (alert,) = alerts(response)
    assert "data-error-summary" in alert.attrib and alert.get("tabindex") == "-1"
    links = summary_links(response)
    assert (
        "#id_individuals-0-title",
        "The person you are adding: Enter the person's job title.",
    ) in links
    assert (
        "#id_individuals-0-phone",
        "The person you are adding: Enter a phone number with 10 to 15 digits, for example "
        "202-555-0143.",
    ) in links
    # Every link leads to a field on the page.
    for href, _ in links:
        assert by_id(response, href.removeprefix("#")) is not None, href
    assert field_error(response, "id_individuals-0-title") == "Enter the person's job title."


@pytest.mark.parametrize(
    ("slug", "typed", "field", "message"),
    [
        (wizard.RECORDS, {"retrieval_days": "0"}, "id_retrieval_days", None),
        (
            wizard.BUSINESS,
            {"entries_per_year": "-3"},
            "id_entries_per_year",
            "Enter a number of 0 or more.",
        ),
    ],
)
def test_a_step_with_a_mistake_has_one_alert_and_our_own_words(
    owner_client, draft, slug, typed, field, message
):
    url = step_url(draft, slug)
    response = owner_client.post(
        url, {**form_fields(owner_client.get(url), url), **typed, "action": "continue"}
    )
    assert response.status_code == 400
    assert len(alerts(response)) == 1
    shown = field_error(response, field)
    assert shown and "Ensure this value" not in shown
    if message:
        assert shown == message
    assert (f"#{field}", shown) in summary_links(response)


# --- Change from check your answers comes back ------------------------------------------------------
def test_change_from_check_your_answers_saves_and_returns_there(owner_client, owner_a):
    finished = draft_application(owner=owner_a, attested=False)
    check = step_url(finished, wizard.CHECK)
    change = next(
        a.get("href")
        for a in page(owner_client.get(check)).iter("a")
        if a.get("href", "").startswith(step_url(finished, wizard.RECORDS))
    )
    assert change == step_url(finished, wizard.RECORDS) + "?return_to=check"
    step_page = owner_client.get(change)
    assert "Save and return to check your answers" in text_of(step_page)
    url = step_url(finished, wizard.RECORDS)
    response = owner_client.post(
        url, {**form_fields(step_page, url), "storage": "Vault B.", "action": "continue"}
    )
    assert (response.status_code, response.url) == (302, check)
    assert answers(finished, "iii").answers["storage"] == "Vault B."
    # A mistake keeps the person on the step, still on the way back to check your answers.
    step_page = owner_client.get(change)
    response = owner_client.post(
        url, {**form_fields(step_page, url), "retrieval_days": "0", "action": "continue"}
    )
    assert response.status_code == 400
    assert form_fields(response, url)["return_to"] == "check"
    # Opened the ordinary way, the step goes on to the next one.
    response = owner_client.post(url, {**form_fields(owner_client.get(url), url)})
    assert response.url == step_url(finished, wizard.INDIVIDUALS)


def test_adding_a_person_from_check_your_answers_stays_on_the_way_back(owner_client, owner_a):
    finished = draft_application(owner=owner_a, attested=False)
    url = step_url(finished, wizard.INDIVIDUALS)
    shown = form_fields(owner_client.get(url + "?return_to=check"), url)
    response = owner_client.post(url, {**shown, "action": "add"})
    assert response.url == url + "?return_to=check#individual-new"


# --- Save and exit keeps what was valid and leaves ---------------------------------------------------
def test_save_and_exit_saves_what_is_valid_leaves_and_names_what_was_not(owner_client, draft):
    url = step_url(draft, wizard.RECORDS)
    response = save(
        owner_client,
        url,
        {
            "procedures": "SOP-07",
            "retrieval_days": "0",
            "action": "exit",
        },
        follow=True,
    )
    assert response.redirect_chain == [(detail_url(draft), 302)]
    said = messages_shown(response)
    assert said == (
        "We saved your other answers. These were not saved because they need fixing: "
        "Enter a number of days from 1 to 365."
    )
    stored = answers(draft, "iii").answers
    assert stored["procedures"] == "SOP-07" and "retrieval_days" not in stored


def test_save_and_exit_with_a_half_named_person_keeps_the_step_answers(owner_client, draft):
    url = step_url(draft, wizard.INDIVIDUALS)
    response = save(
        owner_client,
        url,
        {
            "individuals-0-name": "Jordan Ellis",
            "staying_current": "CSMS messages.",
            "action": "exit",
        },
    )
    assert (response.status_code, response.url) == (302, detail_url(draft))
    assert answers(draft, "iv").answers == {"staying_current": "CSMS messages."}
    assert not DesignatedIndividual.objects.exists()


# --- Continue opens the first step still needing answers -------------------------------------------
def test_continue_opens_the_first_step_still_needing_answers(owner_client, owner_a, draft):
    dashboard = owner_client.get(reverse("dashboard"))
    continue_url = reverse("certification:application-continue", args=[draft.pk])
    assert continue_url in dashboard.text
    assert owner_client.get(continue_url).url == step_url(draft, wizard.PROFILE)

    finished = draft_application(owner=owner_a, attested=False)
    assert owner_client.get(
        reverse("certification:application-continue", args=[finished.pk])
    ).url == step_url(finished, wizard.CHECK)


def test_continue_on_a_submitted_application_opens_its_page(owner_client, owner_a):
    application = draft_application(owner=owner_a)
    workflow.application_submit(application=application, actor=owner_a)
    url = reverse("certification:application-continue", args=[application.pk])
    assert owner_client.get(url).url == detail_url(application)


# --- CBP's deadline where the applicant looks ------------------------------------------------------
def test_the_answer_deadline_and_a_link_to_answer_are_on_the_dashboard_and_the_page(
    owner_client, owner_a, reviewer
):
    application = draft_application(owner=owner_a)
    workflow.application_submit(application=application, actor=owner_a)
    start_review(application=application, reviewer=reviewer)
    due = timezone.localdate() + timedelta(days=30)
    workflow.application_request_information(
        application=application, actor=reviewer, questions=["Who trains new staff?"], due=due
    )
    answer = answer_url(application)
    written = f"Answer by {due:%B} {due.day}, {due.year}."
    dashboard = owner_client.get(reverse("dashboard"))
    assert written in text_of(dashboard)
    assert f'href="{answer}"' in dashboard.text
    detail = owner_client.get(detail_url(application))
    assert written in text_of(detail)
    assert f'href="{answer}"' in detail.text


# --- Importer numbers as people type them -----------------------------------------------------------
def test_the_profile_stores_importer_numbers_typed_with_extra_hyphens_or_none(owner_client, draft):
    url = step_url(draft, wizard.PROFILE)
    response = save(
        owner_client,
        url,
        {
            "importer_numbers": "95-2345678-00\n95 2345678 01\n123 45 6789",
            "action": "continue",
        },
    )
    assert response.status_code == 302
    draft.organisation.refresh_from_db()
    assert draft.organisation.importer_numbers_in_full() == [
        "95-234567800",
        "95-234567801",
        "123-45-6789",
    ]
    assert draft.organisation.importer_numbers == ["95-234567800", "95-234567801", "XXX-XX-6789"]


def test_the_queue_finds_an_importer_number_typed_without_hyphens(owner_a, supervisor):
    application = draft_application(owner=owner_a)  # importer number 27-100000100
    workflow.application_submit(application=application, actor=owner_a)

    def found(text):
        return [r.pk for r in queue(user=supervisor, filters=QueueFilters(search=text))]

    assert found("27-100000100") == [application.pk]
    assert found("27100000100") == [application.pk]
    assert found("27-1000001-00") == [application.pk]
    assert found("27 1000001 00") == [application.pk]
    assert found("27100000101") == []


# --- Questions asked only when they apply -----------------------------------------------------------
def test_alternative_method_questions_apply_only_to_an_alternative_method(owner_client, owner_a):
    finished = draft_application(owner=owner_a, attested=False)
    url = step_url(finished, wizard.MAINTENANCE)
    shown = form_fields(owner_client.get(url), url)
    wrapper = by_id(owner_client.get(url), "div_id_alternative_description")
    assert (wrapper.get("data-shown-when"), wrapper.get("data-shown-values")) == (
        "method",
        "alternative",
    )
    # Originals on paper: what was typed about an alternative method is not kept, nor listed.
    response = owner_client.post(
        url,
        {
            **shown,
            "method": "paper",
            "alternative_description": "Scanned images",
            "notice_date": "not a date",
            "action": "continue",
        },
    )
    assert response.status_code == 302
    stored = answers(finished, "v").answers
    assert (stored["method"], stored["alternative_description"], stored["notice_date"]) == (
        "paper",
        "",
        None,
    )
    check = text_of(owner_client.get(step_url(finished, wizard.CHECK)))
    assert "The alternative method" not in check
    assert "Date of your notice to CBP" not in check
    # An alternative method: the same questions are asked, checked, kept and listed.
    shown = form_fields(owner_client.get(url), url)
    response = owner_client.post(
        url,
        {
            **shown,
            "method": "alternative",
            "alternative_description": "Scanned images in a document system",
            "notice_date": "not a date",
            "action": "continue",
        },
    )
    assert response.status_code == 400
    assert field_error(response, "id_notice_date")
    shown = form_fields(response, url)
    shown["notice_date"] = ""
    owner_client.post(url, {**shown, "action": "continue"})
    assert (
        answers(finished, "v").answers["alternative_description"]
        == "Scanned images in a document system"
    )
    check = text_of(owner_client.get(step_url(finished, wizard.CHECK)))
    assert "The alternative method Scanned images in a document system" in check


def test_a_penalty_description_is_listed_only_after_yes(owner_client, draft):
    url = step_url(draft, wizard.BUSINESS)
    save(
        owner_client,
        url,
        {
            "has_prior_penalties": "False",
            "prior_penalties": "A 2019 penalty",
            "action": "continue",
        },
    )
    draft.organisation.refresh_from_db()
    assert draft.organisation.prior_penalties == ""
    check = text_of(owner_client.get(step_url(draft, wizard.CHECK)))
    assert "Describe each penalty" not in check


# --- Size told when the profile is saved; its expectation checked on its own step ------------------
def test_the_size_class_is_told_when_the_profile_is_saved_and_the_backup_on_its_step(
    owner_client, draft
):
    url = step_url(draft, wizard.BUSINESS)
    response = save(
        owner_client,
        url,
        {
            "entries_per_year": "1200",
            "import_value": "50000000",
            "action": "continue",
        },
        follow=True,
    )
    said = messages_shown(response)
    assert "your business is a medium importer" in said
    assert "a backup designated individual as well as a primary one" in said
    assert "your business is a medium importer" in text_of(owner_client.get(url))

    people = step_url(draft, wizard.INDIVIDUALS)
    page_text = text_of(owner_client.get(people))
    assert "Still needed on this step: a backup designated individual." in page_text
    response = save(
        owner_client,
        people,
        {
            "individuals-0-kind": "primary",
            "individuals-0-name": "Jordan Ellis",
            "individuals-0-title": "Trade Compliance Manager",
            "individuals-0-email": "jordan.ellis@example.com",
            "individuals-0-phone": "202-555-0143",
            "individuals-0-duties": "Owns the records policy.",
            "action": "continue",
        },
        follow=True,
    )
    assert "Still needed on “Designated individuals”: a backup designated individual" in (
        messages_shown(response)
    )


# --- A long page split where its questions are unrelated --------------------------------------------
def test_the_profile_is_asked_on_two_pages_each_saving_only_its_own_questions(
    owner_client, owner_a
):
    finished = draft_application(owner=owner_a, attested=False)
    who = step_url(finished, wizard.PROFILE)
    business = step_url(finished, wizard.BUSINESS)
    on_who, on_business = (
        form_fields(owner_client.get(who), who),
        form_fields(owner_client.get(business), business),
    )
    assert {"legal_name", "importer_numbers"} <= set(on_who)
    assert not {"entries_per_year", "ports", "route"} & set(on_who)
    assert {"entries_per_year", "ports", "has_open_cases", "route"} <= set(on_business)
    assert not {"legal_name", "importer_numbers"} & set(on_business)

    response = owner_client.post(who, {**on_who, "city": "Oakland", "action": "continue"})
    assert response.url == business
    response = owner_client.post(
        business, {**form_fields(owner_client.get(business), business), "ports": "2709"}
    )
    assert response.url == step_url(finished, wizard.UNDERSTANDING)
    organisation = finished.organisation
    organisation.refresh_from_db()
    assert (organisation.city, organisation.ports, organisation.legal_name) == (
        "Oakland",
        ["2709"],
        owner_a.membership.organisation.legal_name,
    )
    check = owner_client.get(step_url(finished, wizard.CHECK))
    headings = [h.text for h in page(check).iter("h2")]
    assert {"Your organization", "Your business and imports"} <= set(headings)


# --- One reference, in headings and addresses, from the first page -----------------------------------
def test_a_draft_has_its_reference_from_the_start_in_its_headings_and_addresses(
    client, owner_a, owner_b
):
    client.force_login(owner_a)
    response = client.post(reverse("certification:application-start"))
    application = owner_a.membership.organisation.applications.get()
    assert re.fullmatch(r"RKCP-\d{4}-\d{6}", application.reference)
    assert response.url == f"/applications/{application.reference}/organization/"
    assert f"Application {application.reference}" in text_of(client.get(response.url))
    detail = client.get(f"/applications/{application.reference}/")
    assert f"Application {application.reference}" in text_of(detail)
    assert application.reference in text_of(client.get(reverse("dashboard")))
    # Links and saves keep the same address; an address by number still opens the page.
    assert client.get(f"/applications/{application.pk}/").status_code == 200
    # Submitting keeps the number the draft had.
    finished = draft_application(owner=owner_a)
    finished.reference = "RKCP-2026-000777"
    finished.save(update_fields=["reference"])
    workflow.application_submit(application=finished, actor=owner_a)
    finished.refresh_from_db()
    assert finished.reference == "RKCP-2026-000777"
    # Another organisation finds nothing at either address, as at an address that does not exist.
    client.force_login(owner_b)
    for address in (application.reference, application.pk, "RKCP-2026-999999"):
        assert client.get(f"/applications/{address}/").status_code == 404
