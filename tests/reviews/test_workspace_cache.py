"""The workspace's cached parts are never stale: after each kind of change to what it shows (a score,
the compliance finding, questions sent, their answers, a file sent with them, the answers marked
read, an event, the admins' scoring settings, another viewer) the next visit shows the new state.

Each test first checks that the page it has just seen is served from the cache (the visit runs only
the queries of a cached page), so that what follows tests the cache's key, not a page rendered
afresh anyway."""

import re
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certification import workflow
from certification.events import EventVerb
from certification.evidence.services import information_request_add_evidence
from certification.models import Event
from certification.services.information_requests import information_request_save_answers
from reviews.models import ScoringSettings
from reviews.selectors import applicable_criteria
from reviews.services import (
    review_acknowledge_answers,
    review_record_compliance_finding,
    review_save_scores,
)
from tests.reviews.test_workspace_queries import CACHED_QUERIES


def page(client, application) -> str:
    response = client.get(reverse("reviews:workspace", args=[application.pk]))
    assert response.status_code == 200
    return response.content.decode()


def seen_from_the_cache(client, application) -> str:
    """The workspace, visited twice: the second visit must find its parts in the cache."""
    page(client, application)
    with CaptureQueriesContext(connection) as captured:
        again = page(client, application)
    assert len(captured.captured_queries) <= CACHED_QUERIES
    return again


def checked_score(html: str, criterion) -> str | None:
    """The value of the criterion's score radio that is checked, if any."""
    for tag in re.findall(r"<input[^>]*>", html):
        if f'name="score_{criterion.pk}"' in tag and " checked" in tag:
            return re.search(r'value="([^"]*)"', tag).group(1)
    return None


def asked(application, reviewer, question: str):
    application.refresh_from_db()
    return workflow.application_request_information(
        application=application,
        actor=reviewer,
        questions=[workflow.Question(text=question, demonstration="iii")],
        due=timezone.localdate() + timedelta(days=30),
    )


def test_a_saved_score_shows_at_once(as_staff, claimed, reviewer):
    client = as_staff(reviewer)
    criterion = applicable_criteria(application=claimed)[0]
    before = seen_from_the_cache(client, claimed)
    assert "Kept in the binder by the door." not in before
    assert checked_score(before, criterion) == "none"
    review_save_scores(
        application=claimed,
        actor=reviewer,
        scores={criterion.pk: {"score": 2, "notes": "Kept in the binder by the door."}},
    )
    shown = page(client, claimed)
    assert "Kept in the binder by the door." in shown
    assert checked_score(shown, criterion) == "2"


def test_a_saved_finding_shows_at_once(as_staff, claimed, reviewer):
    client = as_staff(reviewer)
    assert "Two penalty cases are still open." not in seen_from_the_cache(client, claimed)
    review_record_compliance_finding(
        application=claimed, actor=reviewer, concern=True, notes="Two penalty cases are still open."
    )
    assert "Two penalty cases are still open." in page(client, claimed)


def test_questions_sent_show_at_once(as_staff, claimed, reviewer):
    client = as_staff(reviewer)
    before = seen_from_the_cache(client, claimed)
    assert "CBP has not asked this applicant any questions." in before
    asked(claimed, reviewer, "Send the retention schedule.")
    shown = page(client, claimed)
    assert "Send the retention schedule." in shown
    assert "Questions sent to the applicant are due" in shown


def test_a_file_sent_with_the_answers_and_the_answers_show_at_once(
    as_staff, claimed, owner_a, reviewer
):
    request = asked(claimed, reviewer, "Send the retention schedule.")
    item = request.items.get()
    client = as_staff(reviewer)
    assert "schedule-2026.txt" not in seen_from_the_cache(client, claimed)
    # The applicant uploads a file while answering: it is listed beside its demonstration at once.
    information_request_add_evidence(
        item=item, actor=owner_a, upload=SimpleUploadedFile("schedule-2026.txt", b"Five years.\n")
    )
    assert "schedule-2026.txt" in page(client, claimed)

    information_request_save_answers(
        information_request=request, actor=owner_a, answers={item.pk: "Attached, for 5 years."}
    )
    assert "Attached, for 5 years." not in seen_from_the_cache(client, claimed)  # not sent yet
    claimed.refresh_from_db()
    workflow.application_answer_information_request(application=claimed, actor=owner_a)
    shown = page(client, claimed)
    assert "Attached, for 5 years." in shown
    assert "The applicant answered CBP's questions." in shown
    assert "New answers" in shown


def test_answers_marked_read_show_at_once(as_staff, claimed, owner_a, reviewer):
    request = asked(claimed, reviewer, "Send the retention schedule.")
    item = request.items.get()
    information_request_save_answers(
        information_request=request, actor=owner_a, answers={item.pk: "Attached."}
    )
    claimed.refresh_from_db()
    workflow.application_answer_information_request(application=claimed, actor=owner_a)
    client = as_staff(reviewer)
    before = seen_from_the_cache(client, claimed)
    assert "New answers" in before and "Mark the answers as read" in before
    review_acknowledge_answers(application=claimed, actor=reviewer)  # writes no event
    shown = page(client, claimed)
    assert "New answers" not in shown
    assert "Mark the answers as read" not in shown


def test_an_event_shows_in_the_history_at_once(as_staff, claimed, reviewer, supervisor):
    client = as_staff(reviewer)
    assert "Letter ready to download" not in seen_from_the_cache(client, claimed)
    Event.objects.record(application=claimed, actor=supervisor, verb=EventVerb.LETTER_READY)
    assert "Letter ready to download" in page(client, claimed)


def test_new_scoring_settings_show_at_once_before_the_review_pins_them(
    as_staff, submitted, supervisor
):
    """A supervisor looking at an application nobody has claimed sees it judged by the admins'
    settings as they stand (the review pins them when it starts)."""
    settings = ScoringSettings.current()  # the row is made on first use, as an admin would
    client = as_staff(supervisor)
    assert "71% is expected" not in seen_from_the_cache(client, submitted)
    settings.met_micro = settings.met_small = Decimal("0.71")
    settings.met_medium = settings.met_large = Decimal("0.71")
    settings.save()
    assert "71% is expected" in page(client, submitted)


def test_each_viewer_sees_what_they_may_do(as_staff, claimed, reviewer, supervisor):
    """The reviewer's page has the score fields; a supervisor's, from the same cache, does not."""
    client = as_staff(reviewer)
    assert 'type="radio"' in seen_from_the_cache(client, claimed)
    supervisors = seen_from_the_cache(as_staff(supervisor), claimed)
    assert 'type="radio"' not in supervisors
    assert "Save the finding" not in supervisors
    client.force_login(reviewer)
    assert 'type="radio"' in page(client, claimed)


def test_a_name_changed_by_an_admin_shows_at_once(as_staff, claimed, reviewer):
    client = as_staff(reviewer)
    url = reverse("reviews:workspace", args=[claimed.pk])
    client.get(url)  # the parts made and kept
    reviewer.full_name = "Robin Renamed"
    reviewer.save()
    assert "Robin Renamed" in client.get(url).text
