"""The staff dashboard counts nothing over the whole queue on every request: the queue's counts and
the workload panel's are cached until a move of the workflow, so its queries are the same in number
with 10 or 60 applications, and once cached none of them reads the applications table."""

from io import StringIO

from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certification import workflow
from certification.models import Application, ApplicationStatus
from certification.scheduling import workload_current
from reviews.workload import workload_panel
from tests.factories import draft_application, start_review

# A supervisor's GET of the dashboard once its counts are cached: the session, the user, the
# user's groups and authenticator (4); the workload settings and the reviewers (2); the unread
# messages in the header (1). With the counts not cached, one query more for each: the queue's
# counts and the panel's.
DASHBOARD_QUERIES = 7
COUNTING_QUERIES = 2


def seed(applications: int, seed: int = 0) -> None:
    call_command("seed_scale", applications=applications, seed=seed, force=True, stdout=StringIO())


def dashboard_queries(client) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("reviews:dashboard"))
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def reading_applications(queries: list[str]) -> list[str]:
    return [sql for sql in queries if '"certification_application"' in sql]


def test_the_dashboard_reads_the_same_with_10_or_60_applications(
    handbook_in_force, as_staff, supervisor, reviewer
):
    client = as_staff(supervisor)
    seed(10)
    assert Application.objects.count() == 10
    dashboard_queries(client)  # the session's first request refreshes it
    cache.clear()
    cold_10 = dashboard_queries(client)
    warm_10 = dashboard_queries(client)

    seed(50, seed=1)
    assert Application.objects.count() == 60
    cache.clear()  # seeding loads rows directly, past the workflow that makes the counts stale
    cold_60 = dashboard_queries(client)
    warm_60 = dashboard_queries(client)

    assert len(cold_10) == len(cold_60) == DASHBOARD_QUERIES + COUNTING_QUERIES
    assert len(reading_applications(cold_60)) == COUNTING_QUERIES
    assert len(warm_10) == len(warm_60) == DASHBOARD_QUERIES
    assert reading_applications(warm_10) == reading_applications(warm_60) == []


def test_a_move_of_the_workflow_shows_on_the_dashboard_at_once(
    as_staff, owner_a, owner_b, supervisor, reviewer
):
    waiting = draft_application(owner=owner_a)
    workflow.application_submit(application=waiting, actor=owner_a)
    client = as_staff(supervisor)
    page = client.get(reverse("reviews:dashboard")).text
    assert "Waiting for a reviewer: 1 application." in page
    assert "0 of 8" in page

    second = draft_application(owner=owner_b)
    workflow.application_submit(application=second, actor=owner_b)
    page = client.get(reverse("reviews:dashboard")).text
    assert "Waiting for a reviewer: 2 applications." in page

    start_review(application=second, reviewer=reviewer)
    page = client.get(reverse("reviews:dashboard")).text
    assert "Waiting for a reviewer: 1 application." in page
    assert "1 of 8" in page


def test_a_change_of_reviewers_shows_at_once(as_staff, owner_a, supervisor, reviewer):
    application = draft_application(owner=owner_a)
    workflow.application_submit(application=application, actor=owner_a)
    start_review(application=application, reviewer=reviewer)
    client = as_staff(supervisor)
    assert str(reviewer) in client.get(reverse("reviews:dashboard")).text
    reviewer.is_active = False  # moves nothing in the workflow: the counts stay cached
    reviewer.save()
    page = client.get(reverse("reviews:dashboard")).text
    assert str(reviewer) not in page
    assert "No one is a reviewer yet." in page


def test_the_panel_counts_as_the_schedule_does(handbook_in_force, supervisor, reviewer):
    seed(40, seed=2)
    panel = workload_panel()
    # The scheduling module's own count, over the table, is the reference.
    reference = workload_current()
    assert (panel.workload.open_by_size, panel.workload.waiting_by_size) == (
        reference.open_by_size,
        reference.waiting_by_size,
    )
    assert panel.workload.reviewers == reference.reviewers
    open_statuses = [
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.IN_REVIEW,
        ApplicationStatus.INFO_REQUESTED,
        ApplicationStatus.RECOMMENDED,
    ]
    for row in panel.rows:
        held = Application.objects.filter(
            assigned_reviewer=row.reviewer, status__in=open_statuses
        ).count()
        assert row.open_count == held, row.reviewer
