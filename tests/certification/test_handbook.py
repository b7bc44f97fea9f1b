import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from certification.models import Criterion, Demonstration, HandbookEdition
from certification.selectors import handbook_edition_in_force
from certification.services.handbook import handbook_edition_create_draft, handbook_edition_publish
from tests.factories import draft_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_force():
    return handbook_edition_in_force()


def test_the_default_handbook_is_in_force_with_three_criteria_per_demonstration(in_force):
    assert in_force is not None
    for demonstration in Demonstration:
        criteria = in_force.criteria.filter(demonstration=demonstration)
        assert criteria.count() >= 3, demonstration
        assert criteria.filter(must_pass=True).exists(), demonstration
        for criterion in criteria:
            criterion.full_clean()
            assert all(criterion.expectation_for(size) for size in ("micro", "large"))


def test_a_published_edition_cannot_be_edited_or_deleted(in_force):
    in_force.title = "Changed"
    with pytest.raises(ValidationError):
        in_force.save()
    criterion = in_force.criteria.first()
    criterion.weight = 5
    with pytest.raises(ValidationError):
        criterion.save()
    with pytest.raises(ValidationError):
        criterion.delete()
    with pytest.raises(ValidationError):
        Criterion.objects.create(
            edition=in_force,
            demonstration="i",
            code="i.99",
            title="x",
            guidance="x",
            expected_evidence="x",
        )
    with pytest.raises(ValidationError):
        in_force.delete()
    assert HandbookEdition.objects.get(pk=in_force.pk).title != "Changed"


def test_a_draft_copy_is_editable_and_publishing_it_retires_the_old_edition(in_force):
    draft = handbook_edition_create_draft(based_on=in_force, title="2027 edition")
    assert draft.criteria.count() == in_force.criteria.count()
    criterion = draft.criteria.get(code="iii.3")
    criterion.guidance = "Ask for the last three demands and how long each took."
    criterion.save()

    handbook_edition_publish(edition=draft)

    in_force.refresh_from_db()
    draft.refresh_from_db()
    assert in_force.status == HandbookEdition.Status.RETIRED
    assert draft.status == HandbookEdition.Status.PUBLISHED
    assert handbook_edition_in_force() == draft
    # The old edition's criteria are untouched by the edit made to the copy.
    assert "last three demands" not in in_force.criteria.get(code="iii.3").guidance


def test_an_edition_missing_a_demonstration_cannot_be_published(in_force):
    draft = handbook_edition_create_draft(based_on=in_force, title="Incomplete")
    for criterion in draft.criteria.filter(demonstration="vi"):
        criterion.delete()
    with pytest.raises(ValidationError, match="vi"):
        handbook_edition_publish(edition=draft)
    assert handbook_edition_in_force() == in_force


def test_only_a_draft_can_be_published(in_force):
    with pytest.raises(ValidationError):
        handbook_edition_publish(edition=in_force)


def test_criterion_codes_and_flags_are_validated(in_force):
    draft = handbook_edition_create_draft(based_on=in_force, title="Draft")
    criterion = Criterion(
        edition=draft,
        demonstration="ii",
        code="iii.9",
        title="x",
        guidance="x",
        expected_evidence="x",
        applies_to_flags=["smuggling"],
    )
    with pytest.raises(ValidationError) as error:
        criterion.full_clean()
    assert set(error.value.message_dict) >= {"code", "applies_to_flags"}


def test_criteria_apply_by_risk_flag(in_force):
    special = in_force.criteria.get(code="i.4")
    general = in_force.criteria.get(code="i.1")
    assert general.applies_to(set())
    assert not special.applies_to(set())
    assert special.applies_to({"fta"})


def test_the_admin_lists_editions_and_shows_status_read_only(
    client, cbp_admin, enrol_totp, in_force
):
    enrol_totp(cbp_admin)
    client.force_login(cbp_admin)
    response = client.get(reverse("admin:certification_handbookedition_changelist"))
    assert response.status_code == 200
    assert in_force.title in response.text
    draft = handbook_edition_create_draft(based_on=in_force, title="Draft edition")
    response = client.get(reverse("admin:certification_handbookedition_change", args=[draft.pk]))
    assert response.status_code == 200
    assert 'name="status"' not in response.text
    response = client.post(
        reverse("admin:certification_handbookedition_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    assert response.status_code == 302
    assert handbook_edition_in_force() == draft


def test_the_admin_shows_applications_read_only(client, cbp_admin, enrol_totp, owner_a):
    from certification.workflow import application_submit

    application = draft_application(owner=owner_a)
    application_submit(application=application, actor=owner_a)
    enrol_totp(cbp_admin)
    client.force_login(cbp_admin)
    response = client.get(reverse("admin:certification_application_change", args=[application.pk]))
    assert response.status_code == 200
    assert application.reference in response.text
    assert "application.submitted" in response.text
    assert 'name="status"' not in response.text
    editions = client.get(reverse("admin:certification_handbookedition_changelist"))
    assert f"handbook_edition__id__exact={application.handbook_edition_id}" in editions.text
    response = client.post(
        reverse("admin:certification_application_change", args=[application.pk]),
        {"status": "certified"},
    )
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == "submitted"


def test_workload_settings_are_one_row_with_defaults():
    from certification.models import WorkloadSettings

    first = WorkloadSettings.current()
    first.reviewer_capacity = 12
    first.save()
    WorkloadSettings(reviewer_capacity=3).save()  # saving another instance updates the one row
    assert WorkloadSettings.objects.count() == 1
    assert WorkloadSettings.current().reviewer_capacity == 3
    assert WorkloadSettings.current().target_days("large") == 90
