"""`seed_scale --history`: the events each made-up application's status implies, in the workflow's
order and at instants after its submission, and the decided and withdrawn applications with their
decisions, so that the dashboard's figures (and `python -m bench.dashboard`) have data to show."""

from collections import Counter, defaultdict
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from bench import dashboard as dashboard_bench
from certification.events import EventVerb, meaning_of
from certification.models import (
    AWAITING_CBP_STATUSES,
    Application,
    ApplicationStatus,
    Decision,
    Event,
    InformationRequest,
)
from reporting.figures import dashboard_figures
from reporting.filters import ReportFilters
from reviews.management.scale_history import CLOSED_SHARE

S = ApplicationStatus
QUEUED = 200

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="--history writes with COPY: PostgreSQL only"
)


@pytest.fixture
def seeded(handbook_in_force):
    call_command("seed_scale", applications=QUEUED, history=True, force=True, stdout=StringIO())
    return list(Application.objects.all())


def events_by_application() -> dict[int, list[Event]]:
    events = defaultdict(list)
    for event in Event.objects.order_by("created_at", "pk"):
        events[event.application_id].append(event)
    return events


def test_history_adds_decided_and_withdrawn_applications_beyond_the_queue(seeded):
    statuses = Counter(application.status for application in seeded)
    assert sum(statuses[s] for s in AWAITING_CBP_STATUSES) == QUEUED
    assert statuses[S.CERTIFIED] + statuses[S.DENIED] + statuses[S.WITHDRAWN] == round(
        QUEUED * CLOSED_SHARE
    )
    assert statuses[S.CERTIFIED] and statuses[S.DENIED] and statuses[S.WITHDRAWN]


def test_every_application_has_one_submitted_event_at_its_submission(seeded):
    events = events_by_application()
    for application in seeded:
        submitted = [e for e in events[application.pk] if e.verb == EventVerb.APPLICATION_SUBMITTED]
        assert len(submitted) == 1
        assert submitted[0].created_at == application.submitted_at
        assert (submitted[0].from_status, submitted[0].to_status) == (S.DRAFT, S.SUBMITTED)
        assert events[application.pk][0] == submitted[0]  # nothing before it


def test_each_applications_events_chain_from_submission_to_its_status(seeded):
    events = events_by_application()
    now = timezone.now()
    for application in seeded:
        status = S.DRAFT
        for event in events[application.pk]:
            assert event.created_at <= now
            assert event.applicant_visible == meaning_of(event.verb).applicant_visible
            if event.verb == EventVerb.REVIEW_ASSIGNED:  # not a status move
                assert (event.from_status, event.to_status) == ("", "")
                assert event.data["reviewer"] == application.assigned_reviewer_id
                continue
            assert event.from_status == status, (application.reference, event.verb)
            status = event.to_status
        assert status == application.status
    # The verbs are the model's: the check Django and the database make.
    for event in Event.objects.all()[:50]:
        event.full_clean()


def test_decided_applications_have_a_decision_after_their_submission(seeded):
    events = events_by_application()
    decided = [a for a in seeded if a.status in (S.CERTIFIED, S.DENIED)]
    assert decided
    for application in decided:
        decision = Decision.objects.get(application=application)
        assert decision.outcome == application.status
        assert decision.decided_at > application.submitted_at
        assert decision.recommended_by_id == application.assigned_reviewer_id
        assert decision.decided_by_id != decision.recommended_by_id
        assert bool(decision.reasons) == (decision.outcome == Decision.Outcome.DENIED)
        assert (decision.appeal_deadline is not None) == (
            decision.outcome == Decision.Outcome.DENIED
        )
        verbs = [e.verb for e in events[application.pk]]
        assert verbs[-2:] == [EventVerb.REVIEW_RECOMMENDED, EventVerb.APPLICATION_DECIDED]
        assert events[application.pk][-1].created_at == decision.decided_at
        assert events[application.pk][-1].data["outcome"] == decision.outcome
    undecided = Application.objects.exclude(status__in=[S.CERTIFIED, S.DENIED])
    assert not Decision.objects.filter(application__in=undecided).exists()


def test_information_requests_are_asked_and_answered_when_their_events_say(seeded):
    requests = list(InformationRequest.objects.all())
    assert any(r.answered_at is None for r in requests)
    assert any(r.answered_at is not None for r in requests)
    for request in requests:
        asked = Event.objects.get(
            application_id=request.application_id, verb=EventVerb.INFORMATION_REQUESTED
        )
        assert asked.created_at == request.created_at
        assert asked.data["due"] == request.due.isoformat()
        answers = Event.objects.filter(
            application_id=request.application_id, verb=EventVerb.INFORMATION_PROVIDED
        )
        if request.answered_at is None:
            assert not answers.exists()
        else:
            assert answers.get().created_at == request.answered_at > request.created_at


def test_the_dashboards_figures_show_the_history(seeded):
    today = timezone.localdate()
    filters = ReportFilters(start=today - timedelta(weeks=13), end=today)
    figures = {figure.key: figure for figure in dashboard_figures(filters=filters)}
    received, decided, withdrawn = (
        sum(row[column] for row in figures["flow"].rows) for column in (1, 2, 3)
    )
    assert received > 0 and decided > 0 and withdrawn > 0
    assert figures["decision-times"].rows and figures["answer-times"].rows
    assert any(any(row[1:]) for row in figures["outcomes-by-size-class"].rows)


@pytest.mark.urls("bench.queue_floor")
def test_the_dashboard_bench_finds_its_figures_filled_on_the_page(
    seeded, client, enrol_totp, supervisor
):
    enrol_totp(supervisor)
    client.force_login(supervisor)
    response = client.get(reverse("reporting:dashboard"))
    assert response.status_code == 200
    content = response.content.decode()
    assert dashboard_bench.empty_figures(content) == []
    header, rows = dashboard_bench.figure_tables(content)["flow"]
    assert header == ["Week", "Received", "Decided", "Withdrawn"] and len(rows) >= 13


def test_the_dashboard_bench_says_which_figures_are_empty(
    handbook_in_force, client, enrol_totp, supervisor
):
    enrol_totp(supervisor)
    client.force_login(supervisor)
    content = client.get(reverse("reporting:dashboard")).content.decode()
    missing = dashboard_bench.empty_figures(content)
    assert "flow: Received is 0" in missing and "decision-times has no rows" in missing
