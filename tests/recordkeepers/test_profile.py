"""The organisation's business profile: its form, the service that saves it, and what it lacks."""

import json
from decimal import Decimal

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from recordkeepers.forms import BusinessProfileForm, LinesField
from recordkeepers.models import ImporterType, Organisation, RiskFlag
from recordkeepers.services import organisation_update_profile
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: reverses how the rest of a line is shown

COMPLETE = {
    "legal_name": "Acme Imports LLC",
    "dba_name": "Acme",
    "importer_type": ImporterType.LLC,
    "address_line1": "1300 Pennsylvania Ave NW",
    "address_line2": "",
    "city": "Washington",
    "state": "DC",
    "postal_code": "20229",
    "importer_numbers": "12-345678900",
    "entries_per_year": "1200",
    "import_value": "3500000.00",
    "duties_paid": "",
    "ports": "2704\n4601",
    "customs_brokers": "Harbor Customs Brokerage Inc.",
    "risk_flags": [RiskFlag.FTA],
    "has_prior_penalties": "False",
    "prior_penalties": "",
    "has_open_cases": "False",
    "open_cases": "",
}


def _form(**overrides) -> BusinessProfileForm:
    return BusinessProfileForm(data={**COMPLETE, **overrides})


def _clean(**overrides) -> dict:
    form = _form(**overrides)
    assert form.is_valid(), form.errors
    return form.cleaned_data


# --- The form: lists ------------------------------------------------------------------------------
def test_list_fields_clean_to_normalised_lists_without_repeats_or_blank_lines():
    cleaned = _clean(
        importer_numbers="\n  12-3456789ab \n\n12-3456789AB\r\n123-45-6789\n",
        ports=" 2704\n4601\n2704\n",
        customs_brokers="Harbor  Customs Inc.\nharbor customs inc.\n\nPacific Brokers LLC",
    )
    assert cleaned["importer_numbers"] == ["12-3456789AB", "123-45-6789"]
    assert cleaned["ports"] == ["2704", "4601"]
    assert cleaned["customs_brokers"] == ["Harbor Customs Inc.", "Pacific Brokers LLC"]


def test_an_invalid_line_is_named_by_its_number_and_text():
    form = _form(importer_numbers="12-345678900\n12-34\n12-3456789OO")
    assert not form.is_valid()
    assert form.errors["importer_numbers"] == [
        "Line 2 (“12-34”): Enter an importer number as it appears on your CBP Form 5106: an IRS "
        "number and its two-character suffix (like 95-234567800), a Social Security number (like "
        "123-45-6789) or a CBP-assigned number (like 951234-56789).",
        "Line 3 (“12-3456789OO”): The suffix cannot contain the letters O, I or Z. "
        "Check the last two characters against your CBP Form 5106.",
    ]


def test_line_numbers_count_the_blank_lines_the_person_sees():
    form = _form(ports="\n\n2704\n27o4")
    assert not form.is_valid()
    assert form.errors["ports"][0].startswith("Line 4 (“27o4”): Enter a port as its 4-digit")


def test_many_bad_lines_are_summarised_rather_than_listed():
    form = _form(ports="\n".join(["LAX"] * 40))
    assert not form.is_valid()
    errors = form.errors["ports"]
    assert len(errors) == LinesField.MAX_ERRORS + 1
    assert errors[-1] == "And 35 more lines to correct."


def test_a_list_too_long_is_refused():
    ports = "\n".join(f"{n:04d}" for n in range(1000, 1101))
    form = _form(ports=ports)
    assert not form.is_valid()
    assert form.errors["ports"] == ["Enter no more than 100 ports."]


def test_risk_flags_are_checkboxes_of_the_known_flags():
    form = _form(risk_flags=[RiskFlag.ADCVD, "smuggling"])
    assert not form.is_valid()
    assert "risk_flags" in form.errors
    assert 'type="checkbox"' in str(form["risk_flags"])


# --- The form: a draft saves incomplete, but format errors are errors ------------------------------
def test_only_the_legal_name_is_required():
    form = BusinessProfileForm(data={"legal_name": "Acme"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["importer_numbers"] == []
    assert form.cleaned_data["has_prior_penalties"] is None
    assert form.cleaned_data["entries_per_year"] is None

    form = BusinessProfileForm(data={"legal_name": "   "})
    assert form.errors["legal_name"] == ["Enter your organization's legal name."]


def test_amounts_are_read_as_people_write_them():
    cleaned = _clean(entries_per_year="1,200", import_value="$3,500,000.50", duties_paid=" 0 ")
    assert cleaned["entries_per_year"] == 1200
    assert cleaned["import_value"] == Decimal("3500000.50")
    assert cleaned["duties_paid"] == Decimal("0")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("entries_per_year", "-1"),
        ("entries_per_year", "12.5"),
        ("entries_per_year", "9" * 30),
        ("entries_per_year", "9" * 5000),
        ("import_value", "-0.01"),
        ("import_value", "NaN"),
        ("import_value", "Infinity"),
        ("import_value", "1" * 14),
        ("import_value", "1.001"),
        ("duties_paid", "lots"),
        ("postal_code", "2022"),
        ("state", "ZZ"),
        ("importer_type", "pirate"),
    ],
)
def test_format_errors_are_field_errors_even_in_a_draft(field, value):
    form = _form(**{field: value})
    assert not form.is_valid()
    assert list(form.errors) == [field]


def test_postal_codes_are_normalised():
    assert _clean(postal_code="202290001")["postal_code"] == "20229-0001"


def test_a_description_is_kept_after_yes_and_cleared_after_no():
    # The description is asked only after a Yes: after a No, what was typed there is not kept.
    cleaned = _clean(has_prior_penalties="False", prior_penalties="A 2019 penalty")
    assert cleaned["prior_penalties"] == ""
    cleaned = _clean(has_open_cases="True", open_cases="A prior disclosure under review")
    assert (cleaned["has_open_cases"], cleaned["open_cases"]) == (
        True,
        "A prior disclosure under review",
    )
    # Unanswered, the question it depends on asks nothing yet: the description is not kept.
    assert _clean(has_open_cases="", open_cases="Something")["open_cases"] == ""
    # A description that does not apply cannot fail the form either.
    assert _clean(has_prior_penalties="False", prior_penalties="A" * 6000)["prior_penalties"] == ""


def test_address_fields_tell_the_browser_what_they_are():
    html = str(_form())
    for token in ["organization", "address-line1", "address-line2", "address-level2"]:
        assert f'autocomplete="{token}"' in html
    assert 'autocomplete="address-level1"' in html
    assert 'autocomplete="postal-code"' in html


# --- The form: round trip --------------------------------------------------------------------------
def _as_posted(form: BusinessProfileForm) -> dict:
    """What a browser sends back for an unchanged form."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        data[name] = value if isinstance(value, list) else ("" if value is None else str(value))
    return data


def test_the_profile_renders_back_one_per_line_and_saves_back_unchanged(organisation_a):
    organisation_a.importer_numbers = ["12-3456789AB", "123-45-6789"]
    organisation_a.ports = ["2704", "4601"]
    organisation_a.customs_brokers = ["Harbor Customs Inc."]
    organisation_a.risk_flags = [RiskFlag.FTA, RiskFlag.ADCVD]
    organisation_a.has_prior_penalties = True
    organisation_a.prior_penalties = "2019: $5,000, paid."
    organisation_a.save()

    form = BusinessProfileForm(instance=organisation_a)
    assert form["importer_numbers"].value() == "12-3456789AB\n123-45-6789"
    assert "2704\n4601</textarea>" in str(form["ports"])
    assert 'value="True" id="id_has_prior_penalties_0" checked' in str(form["has_prior_penalties"])

    again = BusinessProfileForm(data=_as_posted(form), instance=organisation_a)
    assert again.is_valid(), again.errors
    assert not again.has_changed(), again.changed_data
    assert again.cleaned_data["importer_numbers"] == ["12-3456789AB", "123-45-6789"]
    assert again.cleaned_data["ports"] == ["2704", "4601"]
    assert again.cleaned_data["import_value"] == organisation_a.import_value


def test_an_edited_list_counts_as_changed(organisation_a):
    organisation_a.ports = ["2704"]
    organisation_a.save()
    form = BusinessProfileForm(instance=organisation_a)
    data = {**_as_posted(form), "ports": "2704\n4601"}
    assert BusinessProfileForm(data=data, instance=organisation_a).changed_data == ["ports"]


# --- Hostile text ----------------------------------------------------------------------------------
HOSTILE = [
    '<script>alert("x")</script>',
    "Acme</textarea><img src=x onerror=alert(1)>",
    "Robert'); DROP TABLE recordkeepers_organisation;--",
    "{{ request.user.password }} {% now 'Y' %}",
    "\u200bZero\u200dWidth",
    "🚢 Ocean Freight 株式会社",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_stored_exactly_as_typed(text, owner_a, organisation_a):
    cleaned = _clean(
        legal_name=text,
        dba_name=text,
        city=text,
        customs_brokers=text,
        prior_penalties=text,
        has_prior_penalties="True",
    )
    organisation_update_profile(organisation=organisation_a, actor=owner_a, data=cleaned)
    organisation_a.refresh_from_db()
    assert organisation_a.legal_name == text
    assert organisation_a.dba_name == text
    assert organisation_a.city == text
    assert organisation_a.customs_brokers == [text]
    assert organisation_a.prior_penalties == text
    assert json.loads(json.dumps(organisation_a.profile_snapshot()))["legal_name"] == text


def test_the_bound_form_escapes_what_it_shows_back():
    form = _form(customs_brokers="</textarea><script>alert(1)</script>", importer_numbers="<b>x")
    html = str(form)
    assert "<script>" not in html
    assert "<b>x" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("legal_name", "A" * 201),
        ("dba_name", "A" * 201),
        ("address_line1", "A" * 201),
        ("city", "A" * 101),
        ("prior_penalties", "A" * 5001),
        ("open_cases", "A" * 5001),
        ("customs_brokers", "A" * 201),
        ("importer_numbers", "1" * 100_000),
        ("postal_code", "2" * 100_000),
        ("legal_name", "Acme\x00 Imports"),
        ("customs_brokers", "Harbor\x00 Customs"),
        ("prior_penalties", "\x00"),
        ("ports", f"27{RLO}04"),
    ],
)
def test_over_long_or_unstorable_text_is_a_field_error(field, value):
    # A penalty or case is described only after a Yes.
    answered_yes = {"prior_penalties": "has_prior_penalties", "open_cases": "has_open_cases"}
    extra = {answered_yes[field]: "True"} if field in answered_yes else {}
    form = _form(**{field: value}, **extra)
    assert not form.is_valid()
    assert list(form.errors) == [field]


def test_a_bad_line_is_quoted_briefly():
    form = _form(customs_brokers="ok\n" + "B" * 5000)
    assert form.errors["customs_brokers"] == [
        "Line 2 (“BBBBBBBBBBBBBBBBBBBBBBB…”): Enter a broker's name of 200 characters or fewer."
    ]


# --- The service -----------------------------------------------------------------------------------
@pytest.mark.parametrize("persona", ["owner_a", "member_a"])
def test_owners_and_members_update_their_profile(persona, request, organisation_a):
    actor = request.getfixturevalue(persona)
    organisation_update_profile(organisation=organisation_a, actor=actor, data=_clean())
    organisation_a.refresh_from_db()
    assert organisation_a.importer_numbers == ["12-345678900"]
    assert organisation_a.ports == ["2704", "4601"]
    assert organisation_a.state == "DC"
    assert organisation_a.entries_per_year == 1200
    assert organisation_a.profile_missing() == []


@pytest.mark.parametrize("persona", ["owner_b", "reviewer", "cbp_admin"])
def test_nobody_else_updates_the_profile(persona, request, organisation_a):
    actor = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        organisation_update_profile(
            organisation=organisation_a, actor=actor, data={"legal_name": "Hijacked"}
        )
    organisation_a.refresh_from_db()
    assert organisation_a.legal_name == "Acme Imports LLC"


def test_only_the_given_fields_are_written(owner_a, organisation_a):
    # A colleague saved the import value since this copy was loaded; a save of the city keeps it.
    Organisation.objects.filter(pk=organisation_a.pk).update(import_value=Decimal("42.00"))
    organisation_update_profile(organisation=organisation_a, actor=owner_a, data={"city": "Laredo"})
    organisation_a.refresh_from_db()
    assert organisation_a.city == "Laredo"
    assert organisation_a.import_value == Decimal("42.00")


def test_the_service_refuses_what_the_form_would_have_refused(owner_a, organisation_a):
    with pytest.raises(ValidationError) as error:
        organisation_update_profile(
            organisation=organisation_a,
            actor=owner_a,
            data={"importer_numbers": ["12-34"], "postal_code": "2022", "importer_type": "pirate"},
        )
    assert set(error.value.message_dict) == {"importer_numbers", "postal_code", "importer_type"}
    organisation_a.refresh_from_db()
    assert organisation_a.importer_numbers == []


def test_the_service_refuses_fields_outside_the_profile(owner_a, organisation_a):
    with pytest.raises(ValueError, match="created_at"):
        organisation_update_profile(
            organisation=organisation_a, actor=owner_a, data={"created_at": None}
        )


# --- What a complete profile lacks ----------------------------------------------------------------
def test_an_empty_profile_lacks_everything():
    organisation = Organisation(legal_name="")
    assert organisation.profile_missing() == [
        "The organization's legal name",
        "The type of importer",
        "A complete address (street, city, state and ZIP code)",
        "At least one importer number",
        "The number of entries per year",
        "The value of imports per year",
        "At least one port of entry",
        "An answer on prior recordkeeping penalties",
        "An answer on open CBP cases or investigations",
    ]


def test_a_partial_address_is_not_an_address():
    organisation = OrganisationFactory.build(address_line1="1 Main St", city="Laredo", state="TX")
    assert "A complete address (street, city, state and ZIP code)" in (
        organisation.profile_missing()
    )


def test_a_yes_needs_its_description(owner_a, organisation_a):
    data = _clean(has_prior_penalties="True", has_open_cases="True")
    organisation_update_profile(organisation=organisation_a, actor=owner_a, data=data)
    assert organisation_a.profile_missing() == [
        "A description of the prior recordkeeping penalties",
        "A description of the open CBP cases or investigations",
    ]


def test_the_form_and_the_snapshot_cover_exactly_the_profile_fields():
    assert list(BusinessProfileForm().fields) == list(Organisation.PROFILE_FIELDS)
    # With the importer numbers kept as the organisation keeps them: sealed, and digests to search.
    assert set(Organisation().profile_snapshot()) == {
        *Organisation.PROFILE_FIELDS,
        "sealed_importer_numbers",
        "importer_number_digests",
    }


def test_the_snapshot_keeps_the_whole_profile_as_json(owner_a, organisation_a):
    organisation_update_profile(organisation=organisation_a, actor=owner_a, data=_clean())
    organisation_a.refresh_from_db()
    snapshot = json.loads(json.dumps(organisation_a.profile_snapshot()))
    assert snapshot["import_value"] == "3500000.00"
    assert snapshot["duties_paid"] is None
    assert snapshot["importer_numbers"] == ["12-345678900"]
    assert snapshot["ports"] == ["2704", "4601"]
    assert snapshot["postal_code"] == "20229"
    assert snapshot["has_prior_penalties"] is False
    assert snapshot["importer_type"] == "llc"


# --- The admin ------------------------------------------------------------------------------------
def test_the_admin_checks_the_profile_as_the_importer_form_does(cbp_admin, organisation_a):
    request = RequestFactory().get("/")
    request.user = cbp_admin
    model_admin = admin.site.get_model_admin(Organisation)
    form_class = model_admin.get_form(request, obj=organisation_a, change=True)
    assert issubclass(form_class, BusinessProfileForm)

    form = form_class(data={**COMPLETE, "importer_numbers": "12-34"}, instance=organisation_a)
    assert form.errors["importer_numbers"][0].startswith("Line 1 (“12-34”)")
    form = form_class(data={**COMPLETE, "ports": " 2704 "}, instance=organisation_a)
    assert form.is_valid(), form.errors
    assert form.save().ports == ["2704"]
