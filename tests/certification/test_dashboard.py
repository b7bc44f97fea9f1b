"""The recordkeeper's dashboard: each application with its status, next action and latest event."""

from django.urls import reverse

from certification import workflow
from tests.factories import draft_application, start_review


def test_the_dashboard_shows_each_application_with_what_to_do_and_what_last_happened(
    client, owner_a, member_a, reviewer
):
    application = draft_application(owner=owner_a)
    workflow.application_submit(application=application, actor=owner_a)
    start_review(application=application, reviewer=reviewer)
    client.force_login(member_a)

    page = client.get(reverse("dashboard")).content.decode()

    assert application.reference in page
    assert "In review" in page
    assert "A CBP reviewer is reviewing the application." in page
    assert "Latest: CBP started the review" in page
    # Nothing may be started while an application is with CBP.
    assert "Start a new application" not in page


def test_an_organisation_without_applications_is_offered_to_start_one(client, owner_b):
    client.force_login(owner_b)
    page = client.get(reverse("dashboard")).content.decode()
    assert "You have not started an application." in page
    assert "Start a new application" in page
