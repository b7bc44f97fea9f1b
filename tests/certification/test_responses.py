import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from certification.models import Application, Attestation, DemonstrationResponse
from certification.services.drafts import application_attest, application_save_response
from certification.workflow import StaleApplication, application_submit
from tests.factories import draft_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(owner_a):
    return Application.objects.create(
        organisation=owner_a.membership.organisation, created_by=owner_a
    )


def save(application, actor, version, narrative="We keep entry files for five years."):
    return application_save_response(
        application=application,
        actor=actor,
        demonstration="i",
        answers={"retention_years": 5},
        narrative=narrative,
        expected_version=version,
    )


def test_a_saved_step_is_in_the_database_and_bumps_the_version(draft, member_a):
    save(draft, member_a, version=1)
    response = DemonstrationResponse.objects.get(application=draft, demonstration="i")
    assert (response.answers, response.updated_by) == ({"retention_years": 5}, member_a)
    draft.refresh_from_db()
    assert draft.version == 2
    save(draft, member_a, version=2, narrative="Updated.")
    assert DemonstrationResponse.objects.get().narrative == "Updated."


def test_a_save_from_a_stale_tab_is_refused_and_the_newer_answers_survive(draft, owner_a, member_a):
    save(draft, owner_a, version=1, narrative="Newer answer from tab one.")
    with pytest.raises(StaleApplication):
        save(draft, member_a, version=1, narrative="Older tab overwriting.")
    assert DemonstrationResponse.objects.get().narrative == "Newer answer from tab one."


def test_other_organisations_and_staff_cannot_edit(draft, owner_b, reviewer):
    for actor in (owner_b, reviewer):
        with pytest.raises(PermissionDenied):
            save(draft, actor, version=1)
    assert not DemonstrationResponse.objects.exists()


def test_a_submitted_application_cannot_be_edited(owner_a):
    draft = draft_application(owner=owner_a)
    application_submit(application=draft, actor=owner_a)
    with pytest.raises(PermissionDenied):
        save(draft, owner_a, version=draft.version)


def test_any_edit_clears_the_attestation(draft, owner_a, member_a):
    attestation = application_attest(
        application=draft,
        actor=owner_a,
        signer_name="Olivia Owner",
        signer_title="Compliance manager",
        expected_version=1,
    )
    assert draft.organisation.legal_name in attestation.text
    assert attestation.application_version == 1
    save(draft, member_a, version=1)
    assert not Attestation.objects.exists()


def test_only_an_owner_attests_and_names_are_required(draft, owner_a, member_a):
    with pytest.raises(PermissionDenied):
        application_attest(
            application=draft, actor=member_a, signer_name="M", signer_title="T", expected_version=1
        )
    with pytest.raises(ValidationError) as error:
        application_attest(
            application=draft, actor=owner_a, signer_name=" ", signer_title="", expected_version=1
        )
    assert set(error.value.message_dict) == {"signer_name", "signer_title"}
    with pytest.raises(StaleApplication):
        application_attest(
            application=draft, actor=owner_a, signer_name="O", signer_title="T", expected_version=7
        )
    assert not Attestation.objects.exists()
