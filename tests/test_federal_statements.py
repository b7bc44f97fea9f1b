"""The statements a federal form owes its respondents: the Privacy Act statement where personal
information is asked for, the Paperwork Reduction Act statement where the collection starts, and the
18 U.S.C. 1001 warning at the attestation, stored with the signature."""

from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse

from certification import checks
from certification.wizard import steps
from recordkeepers.services import invitation_create, invitation_issue_token
from tests.factories import draft_application

pytestmark = pytest.mark.django_db

AUTHORITY = "19 U.S.C. 1508, 1509 and 1510 and 19 CFR 163.12"
DISPLAY_RULE = (
    "An agency may not conduct or sponsor, and a person is not required to respond to, a collection "
    "of information unless it displays a currently valid OMB control number"
)
FALSE_STATEMENTS = "18 U.S.C. 1001"


@pytest.fixture
def omb(settings):
    settings.OMB_CONTROL_NUMBER = "1651-0999"
    settings.OMB_EXPIRATION_DATE = date(2099, 6, 30)
    settings.PRA_BURDEN_HOURS = 7.5
    settings.PRA_COMMENTS_ADDRESS = "PRA Officer, Example Office, Washington, DC 20229"
    return settings


@pytest.fixture
def expired_omb(omb):
    omb.OMB_EXPIRATION_DATE = date(2020, 1, 31)
    return omb


def test_privacy_act_statement_page_gives_every_element_of_552a_e_3(client, settings):
    settings.PRIVACY_ACT_SORN = "DHS/CBP-099 Example Records, 99 FR 12345"
    response = client.get(reverse("privacy-act-statement"))
    assert response.status_code == 200
    text = response.text
    for heading in ("Authority", "Principal purposes", "Routine uses"):
        assert f"<h2>{heading}</h2>" in text
    assert AUTHORITY in text
    assert "DHS/CBP-099 Example Records, 99 FR 12345" in text
    assert "voluntary" in text
    assert "CBP cannot create your account, process the application or certify" in text


def test_without_a_system_of_records_notice_the_statement_says_it_is_not_set(client):
    text = client.get(reverse("privacy-act-statement")).text
    assert "not yet set for this installation" in text


def test_paperwork_reduction_act_page_shows_the_number_expiry_burden_and_where_to_comment(
    client, omb
):
    response = client.get(reverse("paperwork-reduction-act-statement"))
    assert response.status_code == 200
    text = response.text
    assert "1651-0999" in text
    assert "June 30, 2099" in text
    assert DISPLAY_RULE in text
    assert "7.5 hours" in text
    assert "PRA Officer, Example Office, Washington, DC 20229" in text
    assert "required to obtain the benefit of certification" in text


def test_without_an_omb_number_the_statement_says_none_is_assigned(client):
    text = client.get(reverse("paperwork-reduction-act-statement")).text
    assert "Not yet assigned" in text


def test_every_page_footer_links_both_statements(client):
    text = client.get(reverse("home")).text
    assert f'href="{reverse("privacy-act-statement")}"' in text
    assert f'href="{reverse("paperwork-reduction-act-statement")}"' in text


def test_sign_up_page_carries_the_privacy_act_notice(client):
    text = client.get(reverse("account_signup")).text
    assert "Privacy Act notice" in text
    assert AUTHORITY in text
    assert "without it CBP cannot create your account" in text


def test_starting_an_application_shows_the_paperwork_reduction_act_statement(client, owner_a, omb):
    client.force_login(owner_a)
    text = client.get(reverse("dashboard")).text
    assert "Start a new application" in text
    assert "OMB control number: 1651-0999" in text
    assert DISPLAY_RULE in text
    assert "7.5 hours" in text


@pytest.mark.parametrize("slug", [steps.PROFILE, steps.INDIVIDUALS, steps.SUBMIT])
def test_each_wizard_step_displays_the_omb_number_and_expiry(client, owner_a, omb, slug):
    application = draft_application(owner=owner_a, attested=False)
    client.force_login(owner_a)
    response = client.get(reverse("certification:wizard-step", args=[application.pk, slug]))
    assert response.status_code == 200
    assert "OMB control number: 1651-0999" in response.text
    assert "Expiration date: June 30, 2099" in response.text
    assert DISPLAY_RULE in response.text


@pytest.mark.parametrize(
    ("slug", "collects"),
    [
        (steps.PROFILE, "these details of your organization"),
        (steps.INDIVIDUALS, "the names, titles, contact details and qualifications"),
    ],
)
def test_wizard_steps_that_ask_about_people_carry_the_privacy_act_notice(
    client, owner_a, slug, collects
):
    application = draft_application(owner=owner_a, attested=False)
    client.force_login(owner_a)
    text = client.get(reverse("certification:wizard-step", args=[application.pk, slug])).text
    assert "Privacy Act notice" in text
    assert collects in text
    assert f'href="{reverse("privacy-act-statement")}"' in text


def test_inviting_a_colleague_and_accepting_carry_the_privacy_act_notice(client, owner_a):
    client.force_login(owner_a)
    assert "Privacy Act notice" in client.get(reverse("recordkeepers:members")).text
    invitation = invitation_create(
        organisation=owner_a.membership.organisation, actor=owner_a, email="new@acme.example"
    )
    token = invitation_issue_token(invitation=invitation)
    client.logout()
    text = client.get(reverse("recordkeepers:invitation-accept", args=[token])).text
    assert "Create account and join" in text
    assert "Privacy Act notice" in text


def test_sign_and_submit_warns_of_18_usc_1001_beside_the_attestation(client, owner_a):
    application = draft_application(owner=owner_a, attested=False)
    client.force_login(owner_a)
    url = reverse("certification:wizard-step", args=[application.pk, steps.SUBMIT])
    text = client.get(url).text
    warning_at = text.index(FALSE_STATEMENTS)
    # Between the attestation box and the button that signs.
    assert (
        text.index('type="checkbox"') < warning_at < text.index("Sign and submit the application")
    )
    assert "usa-alert" in text[text.rindex("<div", 0, warning_at) - 200 : warning_at]


def test_the_stored_attestation_records_the_warning_that_was_shown(owner_a):
    application = draft_application(owner=owner_a, attested=True)
    text = application.attestation.text
    assert text.startswith("I attest that Acme Imports LLC complies")
    assert FALSE_STATEMENTS in text
    assert "materially false, fictitious or fraudulent" in text


def test_an_expired_omb_approval_is_told_to_admins_on_the_page(
    client, expired_omb, cbp_admin, as_staff
):
    as_staff(cbp_admin)
    text = client.get(reverse("paperwork-reduction-act-statement")).text
    assert "For CBP administrators: the OMB approval has expired" in text
    assert "January 31, 2020" in text


def test_applicants_see_the_expired_date_but_not_the_admins_instructions(
    client, expired_omb, owner_a
):
    client.force_login(owner_a)
    text = client.get(reverse("paperwork-reduction-act-statement")).text
    assert "January 31, 2020 (expired)" in text
    assert "For CBP administrators" not in text


def test_an_expired_omb_approval_is_a_system_check_warning(expired_omb):
    [warning] = checks.omb_approval_current()
    assert warning.id == "rkcp.W001"
    assert "January 31, 2020" in warning.msg
    with pytest.raises(SystemCheckError, match=r"rkcp\.W001"):
        call_command("check", fail_level="WARNING")


def test_a_current_omb_approval_passes_the_checks(omb, settings):
    settings.PRIVACY_ACT_SORN = "DHS/CBP-099 Example Records, 99 FR 12345"
    assert checks.omb_approval_current() == []
    assert checks.federal_statements_set() == []


def test_a_deployment_without_the_numbers_is_warned(settings):
    settings.OMB_CONTROL_NUMBER = ""
    settings.OMB_EXPIRATION_DATE = None
    settings.PRIVACY_ACT_SORN = ""
    [warning] = checks.federal_statements_set()
    assert warning.id == "rkcp.W002"
    for name in ("RKCP_OMB_CONTROL_NUMBER", "RKCP_OMB_EXPIRATION_DATE", "RKCP_PRIVACY_ACT_SORN"):
        assert name in warning.msg
