"""The reports pages: who sees them, the filters beside their fields, asking for an export, its
progress, its file with the SHA-256, and its deletion after its time."""

import base64
import csv
import hashlib
import io
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certification import workflow
from certification.models import Notification, WorkloadSettings
from recordkeepers.models import StaffRole
from reporting.figures import FIGURES
from reporting.filters import ReportFilters
from reporting.models import ExportJob, ExportStatus
from reporting.services import export_prune, export_request
from tests.certification.test_wizard_views import field_error
from tests.factories import decide, draft_application, staff_user

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("reporting:dashboard")


@pytest.fixture
def program(owner_a, owner_b, reviewer, supervisor, handbook_in_force, letter_templates):
    """One application certified, one waiting in the queue."""
    decide(owner=owner_b, reviewer=reviewer, supervisor=supervisor)
    waiting = draft_application(owner=owner_a)
    workflow.application_submit(application=waiting, actor=owner_a)
    return waiting


def test_supervisors_and_admins_read_reports_and_no_one_else(
    client, as_staff, supervisor, cbp_admin, reviewer, appeals_official, owner_a
):
    for person in (supervisor, cbp_admin):
        response = as_staff(person).get(DASHBOARD)
        assert response.status_code == 200, person
        assert "Program reports" in response.content.decode()
        client.logout()
    for person in (reviewer, appeals_official):
        assert as_staff(person).get(DASHBOARD).status_code == 404, person
        client.logout()
    client.force_login(owner_a)
    assert client.get(DASHBOARD).status_code == 404
    client.logout()
    assert client.get(DASHBOARD).status_code == 302  # to sign in


def test_every_figure_is_drawn_with_its_table(as_staff, supervisor, program):
    page = as_staff(supervisor).get(DASHBOARD).content.decode()
    assert page.count('role="img"') >= len(FIGURES)
    assert page.count("<table") >= len(FIGURES)
    assert "Reports" in page  # the navigation offers the reports


def _received_this_week(page: str) -> int:
    """The "Received" cell of the flow figure's last week, as the page shows it."""
    figure = page[page.index('id="fig-flow"') :]
    last_row = figure[: figure.index("</tbody>")].rsplit("<tr>", 1)[1]
    return int(last_row.split("<td>")[1].split("</td>")[0])


def test_the_figures_are_kept_until_anything_happens_then_worked_out_afresh(
    as_staff, supervisor, owner_b, program, django_assert_max_num_queries
):
    WorkloadSettings.current()  # made on first reading, which would move its version on
    page = as_staff(supervisor)
    first = page.get(DASHBOARD).content.decode()
    assert _received_this_week(first) == 2  # both applications were submitted today

    # Nothing moved: the figures come from the cache, and no event is read.
    with CaptureQueriesContext(connection) as again:
        assert page.get(DASHBOARD).content.decode().count('role="img"') >= len(FIGURES)
    assert not [q for q in again.captured_queries if "certification_event" in q["sql"]]

    # An application submitted: the next view reads the history again and counts it.
    another = draft_application(owner=owner_b)
    workflow.application_submit(application=another, actor=owner_b)
    assert _received_this_week(page.get(DASHBOARD).content.decode()) == 3


def test_the_forms_are_drawn_once_and_again_when_the_reviewers_change(as_staff, supervisor):
    page = as_staff(supervisor)
    first = page.get(DASHBOARD).content.decode()
    assert page.get(DASHBOARD).content.decode().count("Dana Newcomer") == 0
    assert 'name="reviewer"' in first and 'name="dataset"' in first

    newcomer = staff_user(StaffRole.REVIEWER, email="dana@cbp.example.gov")
    newcomer.full_name = "Dana Newcomer"
    newcomer.save()
    offered = page.get(DASHBOARD).content.decode()
    assert f'<option value="{newcomer.pk}">Dana Newcomer</option>' in offered


def test_filters_that_make_no_sense_are_said_beside_their_fields(as_staff, supervisor):
    today = timezone.localdate()
    staff = as_staff(supervisor)
    response = staff.get(
        DASHBOARD,
        {"start": today.isoformat(), "end": (today - timedelta(days=3)).isoformat()},
    )
    assert response.status_code == 400
    assert field_error(response, "id_end") == "Enter a last day on or after the first day."
    response = staff.get(DASHBOARD, {"start": "yesterday", "end": "today"})
    assert response.status_code == 400
    assert field_error(response, "id_start") == "Enter the first day as a date, like 03/02/2026."
    response = staff.get(DASHBOARD, {"start": "2020-01-01", "end": today.isoformat()})
    assert field_error(response, "id_start") == "Choose a period of two years or less."


def period() -> dict[str, str]:
    today = timezone.localdate()
    return {"start": (today - timedelta(days=30)).isoformat(), "end": today.isoformat()}


def test_an_export_is_written_by_the_worker_and_downloaded_by_who_asked_with_its_digest(
    as_staff, supervisor, cbp_admin, program, django_capture_on_commit_callbacks, client
):
    staff = as_staff(supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            reverse("reporting:export-request"),
            {**period(), "dataset": "queue", "format": "csv"},
        )
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:export", args=[job.pk])
    assert (job.status, job.rows_total, job.rows_done) == (ExportStatus.READY, 1, 1)
    assert job.expires_at - job.finished_at == timedelta(hours=24)

    page = staff.get(response["Location"]).content.decode()
    assert job.sha256 in page and "Your export is ready: 1 row." in page
    assert f"Export {job.pk}: Review queue</h1>" in page
    download = staff.get(reverse("reporting:export-download", args=[job.pk]))
    body = b"".join(download.streaming_content)
    assert hashlib.sha256(body).hexdigest() == job.sha256
    digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
    assert download["Repr-Digest"] == f"sha-256=:{digest}:"
    assert "attachment" in download["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[1][0] == program.reference

    (message,) = Notification.objects.filter(recipient=supervisor, application=None)
    assert message.application is None
    assert message.path == reverse("reporting:export", args=[job.pk])
    assert message.subject.startswith("Your export is ready")

    # Someone else's export is not there, whoever asks.
    client.logout()
    other = as_staff(cbp_admin)
    assert other.get(reverse("reporting:export", args=[job.pk])).status_code == 404
    assert other.get(reverse("reporting:export-download", args=[job.pk])).status_code == 404


def test_the_progress_part_is_fetched_alone_while_the_export_is_written(as_staff, supervisor):
    job = ExportJob.objects.create(
        requested_by=supervisor,
        dataset="queue",
        format="xlsx",
        filters=period(),
        status=ExportStatus.RUNNING,
        rows_total=4000,
        rows_done=1000,
    )
    staff = as_staff(supervisor)
    page = staff.get(reverse("reporting:export", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert f'<progress id="export-{job.pk}-bar" class="rkcp-progress" max="100" value="25">' in page
    part = staff.get(reverse("reporting:export", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert "1,000 of 4,000 rows" in part.content.decode()
    assert "<html" not in part.content.decode()


def test_an_unknown_export_or_format_is_said_beside_its_field(as_staff, supervisor):
    response = as_staff(supervisor).post(
        reverse("reporting:export-request"), {**period(), "dataset": "secrets", "format": "pdf"}
    )
    assert response.status_code == 400
    assert field_error(response, "id_dataset") == (
        "Choose one of the answers offered for “What to export”"
    )
    assert field_error(response, "id_format") == "Choose one of the answers offered for “Format”"
    assert not ExportJob.objects.exists()


def test_an_export_past_its_time_is_deleted_and_a_lost_worker_is_failed(
    supervisor, program, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    filters = ReportFilters(start=today - timedelta(days=7), end=today)
    with django_capture_on_commit_callbacks(execute=True):
        job = export_request(actor=supervisor, dataset="queue", format="xlsx", filters=filters)
    job.refresh_from_db()
    name = job.file.name
    assert default_storage.exists(name)
    lost = ExportJob.objects.create(
        requested_by=supervisor, dataset="queue", format="csv", filters=filters.as_json()
    )
    ExportJob.objects.filter(pk=lost.pk).update(
        status=ExportStatus.RUNNING, started_at=timezone.now() - timedelta(hours=3)
    )

    assert export_prune(now=job.expires_at - timedelta(seconds=1)) == 0
    assert default_storage.exists(name)
    assert export_prune(now=job.expires_at) == 1
    job.refresh_from_db()
    lost.refresh_from_db()
    assert (job.status, job.file.name, default_storage.exists(name)) == (
        ExportStatus.EXPIRED,
        "",
        False,
    )
    assert lost.status == ExportStatus.FAILED
