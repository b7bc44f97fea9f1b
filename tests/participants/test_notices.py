"""Notices of violation in lieu of a penalty: CBP records a failure to produce, the service decides
eligibility from the data, an eligible case is a notice with its letter (read for what 19 CFR
163.12(d) requires it to say), the participant answers within the set time, CBP closes."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from certification.letters import content as letters
from certification.letters import lifecycle as letter_lifecycle
from certification.letters.defaults import DEFAULT_TEMPLATES
from certification.models import Event, Notification
from participants import services
from participants.models import (
    ComplianceReport,
    CorrectiveAction,
    NoticeOfViolation,
    ParticipantSettings,
)
from participants.reminders import reminders_send

FAILURE = {
    "entry_number": "12345678903",
    "record_demanded": "The commercial invoice for the entry.",
    "willful": "no",
}


def failure(**changes) -> dict:
    return FAILURE | {"demanded_on": timezone.localdate().strftime("%m/%d/%Y")} | changes


def record(participant, actor, **changes) -> NoticeOfViolation:
    data = {
        "entry_number": "123-4567890-3",
        "record_demanded": "The commercial invoice for the entry.",
        "demanded_on": timezone.localdate(),
        "willful": False,
    } | changes
    return services.notice_record_failure(participant=participant, actor=actor, **data)


def test_an_eligible_failure_is_a_notice_with_its_letter_and_an_answer_due(
    as_staff, participant_a, supervisor, owner_a
):
    ParticipantSettings.objects.update_or_create(pk=1, defaults={"notice_response_days": 21})
    staff = as_staff(supervisor)
    page = staff.get(reverse("participants:notice-new", args=[participant_a.pk]))
    assert page.status_code == 200

    response = staff.post(reverse("participants:notice-new", args=[participant_a.pk]), failure())

    notice = NoticeOfViolation.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("participants:notice", args=[notice.pk])
    today = timezone.localdate()
    assert (notice.eligible, notice.status, notice.entry_number) == (
        True,
        "issued",
        "123-4567890-3",
    )
    assert (notice.issued_on, notice.response_due) == (today, today + timedelta(days=21))
    assert notice.letter is not None and notice.letter.kind == "notice_of_violation"
    assert Event.objects.filter(verb="participant.notice_issued").exists()
    assert Notification.objects.filter(recipient=owner_a, event__verb="participant.notice_issued")
    # CBP sees the conditions, each met.
    shown = staff.get(response.url).text
    assert "Why a notice" in shown
    for condition in ("Certified and active", "Generally in compliance", "Not willful"):
        assert condition in shown


def test_the_notice_letter_says_what_the_law_requires(participant_a, supervisor):
    notice = record(participant_a, supervisor)
    letter = letter_lifecycle.letter_render(letter_id=notice.letter.pk)
    text = " ".join(
        "".join(
            page.extract_text() for page in PdfReader(BytesIO(letter.file.read())).pages
        ).split()
    )
    # (1) that the participant violated the recordkeeping requirements;
    assert f"{participant_a.legal_name} violated the recordkeeping requirements" in text
    # (2) the record demanded and not produced;
    assert "The commercial invoice for the entry." in text and "123-4567890-3" in text
    # (3) that future failures may bring penalties and removal;
    assert "Future failures to produce records CBP demands may result in monetary penalties" in text
    assert "removal from the Recordkeeping Compliance Program" in text
    # and when the answer is due.
    due = notice.response_due
    assert f"{due:%B} {due.day}, {due.year}" in text


def test_a_template_that_drops_a_required_content_is_refused():
    subject, body = DEFAULT_TEMPLATES["notice_of_violation"]
    with pytest.raises(Exception) as refused:
        letters.check_template(
            kind="notice_of_violation",
            subject=subject,
            body=body.replace("{{ future_failures_warning }}", ""),
        )
    assert "{{ future_failures_warning }}" in str(refused.value)
    subject, body = DEFAULT_TEMPLATES["denial"]
    with pytest.raises(Exception) as refused:
        letters.check_template(
            kind="denial", subject=subject, body=body.replace("{{ appeal_deadline }}", "soon")
        )
    assert "{{ appeal_deadline }}" in str(refused.value) and "the law requires it" in str(
        refused.value
    )


def test_a_willful_failure_is_not_eligible_and_says_why_to_cbp_only(
    as_staff, client, participant_a, supervisor, owner_a
):
    staff = as_staff(supervisor)
    staff.post(reverse("participants:notice-new", args=[participant_a.pk]), failure(willful="yes"))
    notice = NoticeOfViolation.objects.get()
    assert (notice.eligible, notice.status, notice.letter) == (False, "not_eligible", None)
    unmet = [c for c in notice.eligibility if not c["met"]]
    assert unmet == [
        {"condition": "Not willful", "met": False, "why": "CBP found the failure willful."}
    ]
    page = staff.get(reverse("participants:notice", args=[notice.pk])).text
    assert "not eligible for a notice" in page and "handled outside this service" in page
    event = Event.objects.get(verb="participant.failure_recorded")
    assert not event.applicant_visible
    client.force_login(owner_a)
    assert client.get(reverse("participants:notice", args=[notice.pk])).status_code == 404


def test_a_second_failure_within_the_window_is_repeated_and_suggests_removal(
    as_staff, participant_a, supervisor
):
    first = record(participant_a, supervisor)
    assert first.eligible
    second = record(participant_a, supervisor, entry_number="B76-0542364-2")
    assert not second.eligible
    assert [c["condition"] for c in second.eligibility if not c["met"]] == [
        "Not a repeated violation"
    ]
    assert services.removal_suggested(participant=participant_a)
    page = as_staff(supervisor).get(reverse("participants:participant", args=[participant_a.pk]))
    assert "consider whether to propose removal" in page.text


def test_an_overdue_corrective_action_means_not_generally_in_compliance(
    participant_a, supervisor, owner_a
):
    report = ComplianceReport.objects.create(
        participant=participant_a,
        kind="violation",
        involves_failure=True,
        what_happened="x",
        found_on=timezone.localdate(),
        records_concerned="x",
        action_taken="x",
        filed_by=owner_a,
    )
    CorrectiveAction.objects.create(
        report=report,
        request="x",
        due=timezone.localdate() - timedelta(days=1),
        requested_by=supervisor,
    )
    notice = record(participant_a, supervisor)
    assert not notice.eligible
    assert [c["condition"] for c in notice.eligibility if not c["met"]] == [
        "Generally in compliance"
    ]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"entry_number": "123-4567890-4"}, "does not match"),
        ({"record_demanded": ""}, "Say which record was demanded."),
        ({"willful": ""}, "Say whether the failure was willful."),
        ({"demanded_on": "02/30/2026"}, "Enter the day as month/day/year"),
    ],
)
def test_bad_input_is_refused_beside_its_field(
    as_staff, participant_a, supervisor, changes, message
):
    response = as_staff(supervisor).post(
        reverse("participants:notice-new", args=[participant_a.pk]), failure(**changes)
    )
    assert response.status_code == 400
    assert message in response.text
    assert not NoticeOfViolation.objects.exists()


def test_the_participant_answers_and_cbp_closes(
    client, as_staff, participant_a, supervisor, owner_a, owner_b
):
    notice = record(participant_a, supervisor)
    url = reverse("participants:notice", args=[notice.pk])
    client.force_login(owner_b)
    assert client.get(url).status_code == 404
    client.force_login(owner_a)
    assert "Send your answer to CBP" in client.get(url).text
    empty = client.post(reverse("participants:notice-answer", args=[notice.pk]), {"response": ""})
    assert empty.status_code == 400
    assert "Say what you have done to prevent it happening again." in empty.text
    client.post(
        reverse("participants:notice-answer", args=[notice.pk]),
        {"response": "We keep our own copy of every invoice now."},
    )
    notice.refresh_from_db()
    assert (notice.status, notice.responded_by) == ("answered", owner_a)
    # The participant cannot close it; CBP can.
    refused = client.post(reverse("participants:notice-close", args=[notice.pk]))
    assert refused.status_code == 400
    assert (
        as_staff(supervisor)
        .post(reverse("participants:notice-close", args=[notice.pk]))
        .status_code
        == 302
    )
    notice.refresh_from_db()
    assert notice.status == "closed"


def test_answers_are_reminded_and_overdue_ones_told(participant_a, supervisor, owner_a):
    ParticipantSettings.objects.update_or_create(
        pk=1, defaults={"notice_response_days": 30, "reminder_days": 7}
    )
    notice = record(participant_a, supervisor)
    due = notice.response_due
    assert reminders_send(today=due - timedelta(days=8)).due_soon == 0
    assert reminders_send(today=due - timedelta(days=7)).due_soon == 1
    assert reminders_send(today=due).overdue == 0
    assert reminders_send(today=due + timedelta(days=1)).overdue == 1
    assert reminders_send(today=due + timedelta(days=2)).overdue == 0
    told = Notification.objects.filter(event=None, body__contains="answer to the notice")
    assert {n.recipient.email for n in told} >= {owner_a.email, supervisor.email}
