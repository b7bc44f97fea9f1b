import pytest
from django.urls import reverse

from certification.models import Demonstration, HandbookEdition
from certification.selectors import handbook_edition_in_force
from certification.services.handbook import handbook_edition_create_draft
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def preview_url(edition: HandbookEdition) -> str:
    return reverse("admin:certification_handbookedition_preview", args=[edition.pk])


@pytest.fixture
def in_force():
    return handbook_edition_in_force()


@pytest.fixture
def cbp_admin_client(client, cbp_admin, enrol_totp):
    enrol_totp(cbp_admin)
    client.force_login(cbp_admin)
    return client


def test_the_preview_lists_every_criterion_of_the_edition_by_demonstration(
    cbp_admin_client, in_force
):
    response = cbp_admin_client.get(preview_url(in_force))

    assert response.status_code == 200
    criteria = list(in_force.criteria.all())
    assert criteria
    for criterion in criteria:
        assert criterion.code in response.text
        assert criterion.title in response.text
    for demonstration in Demonstration:
        assert demonstration.label in response.text
    groups = {group.demonstration: group for group in response.context["demonstrations"]}
    assert list(groups) == list(Demonstration)
    assert response.context["criterion_count"] == len(criteria)
    assert response.context["total_weight"] == sum(c.weight for c in criteria)
    for demonstration, group in groups.items():
        weights = [c.weight for c in criteria if c.demonstration == demonstration]
        assert group.total_weight == sum(weights)
    assert response.context["missing"] == []
    assert "without criteria" not in response.text


def test_the_preview_shows_flags_expectations_and_who_a_criterion_applies_to(
    cbp_admin_client, in_force
):
    response = cbp_admin_client.get(preview_url(in_force))

    # i.4 applies to FTA claimants only; i.1 to everyone (see test_handbook).
    special = next(
        item
        for group in response.context["demonstrations"]
        for item in group.criteria
        if item.criterion.code == "i.4"
    )
    assert "Free trade agreement or special program claims" in special.flag_labels
    assert "Free trade agreement or special program claims" in response.text
    assert "All applicants" in response.text
    assert [size for size, _ in special.expectations] == ["Micro", "Small", "Medium", "Large"]
    assert special.criterion.expectation_large in response.text


def test_a_draft_missing_a_demonstration_is_previewed_with_a_warning(cbp_admin_client, in_force):
    draft = handbook_edition_create_draft(based_on=in_force, title="Incomplete draft")
    for criterion in draft.criteria.filter(demonstration=Demonstration.VI):
        criterion.delete()

    response = cbp_admin_client.get(preview_url(draft))

    assert response.status_code == 200
    assert response.context["missing"] == [Demonstration.VI]
    assert "1 demonstration without criteria" in response.text
    assert Demonstration.VI.label in response.text
    assert "Publishing is refused" in response.text


def test_the_preview_is_linked_from_the_changelist_and_the_change_form(cbp_admin_client, in_force):
    url = preview_url(in_force)
    changelist = cbp_admin_client.get(reverse("admin:certification_handbookedition_changelist"))
    assert f'href="{url}"' in changelist.text
    change = cbp_admin_client.get(
        reverse("admin:certification_handbookedition_change", args=[in_force.pk])
    )
    assert f'href="{url}"' in change.text


def test_the_preview_is_read_only(cbp_admin_client, in_force):
    response = cbp_admin_client.post(preview_url(in_force), {"title": "Changed"})
    assert response.status_code == 405
    in_force.refresh_from_db()
    assert in_force.status == HandbookEdition.Status.PUBLISHED


def test_an_unknown_edition_is_not_found(cbp_admin_client):
    url = reverse("admin:certification_handbookedition_preview", args=[0])
    assert cbp_admin_client.get(url).status_code == 404


def test_a_reviewer_cannot_preview_an_edition(client, reviewer, enrol_totp, in_force):
    enrol_totp(reviewer)
    client.force_login(reviewer)

    response = client.get(preview_url(in_force))

    # Like every admin page: not staff, so sent to the admin's sign-in, which refuses.
    assert response.status_code == 302
    assert client.get(preview_url(in_force), follow=True).status_code == 403


def test_staff_status_alone_does_not_open_the_preview(client, enrol_totp, in_force):
    staff = UserFactory(is_staff=True)
    enrol_totp(staff)
    client.force_login(staff)
    assert client.get(preview_url(in_force)).status_code == 403
