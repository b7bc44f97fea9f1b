"""Variance and violation reports: the participant files, CBP acknowledges, asks for corrective
action by a date, the participant reports it done, CBP closes; each move an event with its
messages. Through the test client, on PostgreSQL in CI."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from certification.models import Event, Notification
from participants.models import ComplianceReport, CorrectiveAction, Participant, ReportStatus
from participants.services import participant_register
from tests.factories import decide

REPORT = {
    "involves_failure": "yes",
    "what_happened": "The broker could not find three commercial invoices CBP asked for.",
    "records_concerned": "Commercial invoices for the March shipments.",
    "entry_numbers": "12345678903\nb76-0542364-2",
    "action_taken": "We found two; the supplier is re-issuing the third.",
}


def report_data(**changes) -> dict:
    found = timezone.localdate().strftime("%m/%d/%Y")
    return REPORT | {"found_on": found} | changes


def test_a_certification_enters_the_register_with_what_it_covers(participant_a, owner_a):
    application = participant_a.application
    assert participant_a.status == "active"
    assert participant_a.organisation == owner_a.membership.organisation
    assert participant_a.certified_on == timezone.localdate()
    assert participant_a.route == "general"
    assert participant_a.importer_numbers == application.profile_snapshot["importer_numbers"]
    # A later edit of the organisation's profile does not change what CBP certified.
    application.profile_snapshot = {"importer_numbers": ["99-9999999AA"]}
    application.save(update_fields=["profile_snapshot"])
    participant_a.refresh_from_db()
    assert participant_a.importer_numbers != ["99-9999999AA"]
    # Registering twice keeps one row.
    assert participant_register(decision=participant_a.decision) == participant_a
    assert Participant.objects.count() == 1


def test_a_denial_enters_nothing(owner_b, reviewer, supervisor, handbook_in_force):
    decide(owner=owner_b, reviewer=reviewer, supervisor=supervisor, outcome="denied")
    assert not Participant.objects.exists()


def test_a_member_reports_a_violation_and_is_told_why_it_is_one(
    client, participant_a, member_a, supervisor
):
    client.force_login(member_a)
    page = client.get(reverse("participants:certification"))
    assert page.status_code == 200
    assert "Report a variance or violation" in page.text
    form = client.get(reverse("participants:report-new"))
    assert "Did it involve a failure to maintain or produce records" in form.text

    response = client.post(reverse("participants:report-new"), report_data())

    report = ComplianceReport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("participants:report", args=[report.pk])
    assert (report.kind, report.involves_failure, report.status) == ("violation", True, "filed")
    assert report.entry_numbers == ["123-4567890-3", "B76-0542364-2"]
    assert report.filed_by == member_a
    event = Event.objects.get(verb="participant.report_filed")
    assert event.application == participant_a.application and event.actor == member_a
    # CBP's supervisors are told; the organisation's people are told it was sent.
    told = set(Notification.objects.filter(event=event).values_list("recipient__email", flat=True))
    assert "supervisor@cbp.example.gov" in told and member_a.email in told
    shown = client.get(response.url)
    assert "Why this is a violation" in shown.text
    assert "involves a failure to maintain or produce records" in shown.text


def test_a_variance_is_one_that_involved_no_such_failure(client, participant_a, owner_a):
    client.force_login(owner_a)
    client.post(reverse("participants:report-new"), report_data(involves_failure="no"))
    assert ComplianceReport.objects.get().kind == "variance"


@pytest.mark.parametrize(
    ("changes", "field_message"),
    [
        ({"entry_numbers": "123-4567890-4"}, "The check digit of 123-4567890-4 does not match"),
        ({"entry_numbers": "not a number"}, "is not an entry number"),
        ({"found_on": "13/45/2026"}, "Enter the day as month/day/year"),
        ({"involves_failure": ""}, "Say whether it involved a failure to keep or produce records."),
        ({"what_happened": ""}, "Say what happened."),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_nothing_is_saved(
    client, participant_a, owner_a, changes, field_message
):
    client.force_login(owner_a)
    response = client.post(reverse("participants:report-new"), report_data(**changes))
    assert response.status_code == 400
    assert field_message in response.text
    assert "There is a problem" in response.text
    # What was typed is still there.
    assert "re-issuing the third" in response.text
    assert not ComplianceReport.objects.exists()


def test_a_day_found_in_the_future_is_refused(client, participant_a, owner_a):
    client.force_login(owner_a)
    tomorrow = (timezone.localdate() + timedelta(days=1)).strftime("%m/%d/%Y")
    response = client.post(reverse("participants:report-new"), report_data(found_on=tomorrow))
    assert response.status_code == 400
    assert "The day it was found cannot be in the future." in response.text


def test_another_organisation_sees_nothing(client, participant_a, owner_a, owner_b):
    client.force_login(owner_a)
    client.post(reverse("participants:report-new"), report_data())
    report = ComplianceReport.objects.get()
    client.force_login(owner_b)
    assert client.get(reverse("participants:certification")).status_code == 404
    assert client.get(reverse("participants:report-new")).status_code == 404
    assert client.get(reverse("participants:report", args=[report.pk])).status_code == 404
    missing = client.get(reverse("participants:report", args=[report.pk + 1000]))
    assert missing.status_code == 404
    response = client.post(
        reverse("participants:report-respond", args=[report.pk]), {"response": "x"}
    )
    assert response.status_code == 404


def test_cbp_acknowledges_asks_for_corrective_action_and_closes(
    client, as_staff, participant_a, owner_a, supervisor
):
    client.force_login(owner_a)
    client.post(reverse("participants:report-new"), report_data())
    report = ComplianceReport.objects.get()
    staff = as_staff(supervisor)
    url = reverse("participants:report", args=[report.pk])
    assert "Acknowledge the report" in staff.get(url).text

    assert (
        staff.post(reverse("participants:report-acknowledge", args=[report.pk])).status_code == 302
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.ACKNOWLEDGED

    # A due date in the past is refused beside its field; a real one is kept.
    yesterday = (timezone.localdate() - timedelta(days=1)).strftime("%m/%d/%Y")
    refused = staff.post(
        reverse("participants:report-request-action", args=[report.pk]),
        {"request": "Send us your revised invoice-retrieval SOP.", "due": yesterday},
    )
    assert refused.status_code == 400
    assert "The due date must be after today." in refused.text
    assert "Send us your revised invoice-retrieval SOP." in refused.text
    due = timezone.localdate() + timedelta(days=30)
    staff.post(
        reverse("participants:report-request-action", args=[report.pk]),
        {"request": "Send us your revised invoice-retrieval SOP.", "due": due.strftime("%m/%d/%Y")},
    )
    action = CorrectiveAction.objects.get()
    assert (action.due, action.requested_by) == (due, supervisor)

    # The participant sees what is asked, and says what it did.
    client.force_login(owner_a)
    page = client.get(url)
    assert "Send us your revised invoice-retrieval SOP." in page.text
    assert "Tell CBP what you did" in page.text
    assert (
        client.post(reverse("participants:report-acknowledge", args=[report.pk])).status_code == 400
    )
    client.post(
        reverse("participants:report-respond", args=[report.pk]),
        {"response": "SOP-08 revised and sent; staff retrained on 3 March."},
    )
    action.refresh_from_db()
    assert action.responded_by == owner_a and action.responded_at is not None

    client.force_login(supervisor)  # the same client: as_staff enrolled a second factor
    staff = client
    staff.post(reverse("participants:report-close", args=[report.pk]), {"note": "Satisfied."})
    report.refresh_from_db()
    assert (report.status, report.closing_note) == ("closed", "Satisfied.")
    verbs = list(
        Event.objects.filter(verb__startswith="participant.")
        .order_by("pk")
        .values_list("verb", flat=True)
    )
    assert verbs == [
        "participant.report_filed",
        "participant.report_acknowledged",
        "participant.corrective_action_requested",
        "participant.corrective_action_taken",
        "participant.report_closed",
    ]
    # A closed report takes no further moves.
    again = staff.post(reverse("participants:report-close", args=[report.pk]), {"note": ""})
    assert again.status_code == 400
