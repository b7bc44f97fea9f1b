"""Exporting the review queue from the queue page: offered to those who read reports, with the
page's own filters; the file holds the rows the page lists, in its order; a search for a Social
Security number is kept only as its digest and still finds its importer; the export's page says
which filters it was asked with; filters that make no sense are said beside their fields."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from certification import workflow
from recordkeepers.models import Membership
from reporting.filters import ReportFilters
from reporting.models import ExportJob, ExportStatus
from reviews.selectors import QueueFilters
from tests.certification.test_wizard_views import field_error, form_fields, page, text_of
from tests.factories import MembershipFactory, OrganisationFactory, draft_application, start_review
from tests.test_importer_numbers_sealed import (
    SSN,
    assert_nowhere,
    every_row_as_text,
    individual_application,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

QUEUE = reverse("reviews:queue")
EXPORT_QUEUE = reverse("reporting:export-queue")

# Entries per year and import value that make a size class (settings.SIZE_CLASS_THRESHOLDS).
SMALL = (120, Decimal("3500000"))
LARGE = (10000, Decimal("500000000"))


def _submitted(name: str, size: tuple[int, Decimal]):
    entries, value = size
    organisation = OrganisationFactory(
        legal_name=name, entries_per_year=entries, import_value=value
    )
    owner = MembershipFactory(organisation=organisation, role=Membership.Role.OWNER).user
    application = draft_application(owner=owner)
    return workflow.application_submit(application=application, actor=owner)


@pytest.fixture
def waiting(owner_a, reviewer, handbook_in_force):
    """Four applications waiting for CBP, submitted in this order: Alder (small) and an individual
    importer with a Social Security number (owner A's), both unassigned; Birch (large), in review
    with `reviewer`; Cedar (small), unassigned."""
    alder = _submitted("Alder Small LLC", SMALL)
    individual = individual_application(owner_a)
    workflow.application_submit(application=individual, actor=owner_a)
    birch = _submitted("Birch Large LLC", LARGE)
    start_review(application=birch, reviewer=reviewer)
    cedar = _submitted("Cedar Small LLC", SMALL)
    return {"alder": alder, "individual": individual, "birch": birch, "cedar": cedar}


def listed(response) -> list[str]:
    """The references the queue page lists, in its order."""
    return [
        "".join(next(th.iter("a")).itertext()).strip()
        for th in page(response).iter("th")
        if th.get("scope") == "row"
    ]


def exported(job: ExportJob) -> list[str]:
    """The references of a CSV export's rows, in the file's order."""
    with default_storage.open(job.file.name) as file:
        rows = list(csv.DictReader(io.StringIO(file.read().decode("utf-8-sig"))))
    return [row["Reference"] for row in rows]


def ask(client, data, capture) -> tuple:
    """Post the export form, the worker writing the file at once; the response and the job."""
    with capture(execute=True):
        response = client.post(EXPORT_QUEUE, data)
    return response, ExportJob.objects.order_by("-pk").first()


def test_a_supervisor_is_offered_the_export_with_the_filters_the_page_applied(
    as_staff, supervisor, waiting
):
    response = as_staff(supervisor).get(
        QUEUE, {"size_class": "small", "assigned": "unassigned", "sort": "age", "port": "27"}
    )
    # The port is not four digits: the page ignores it, with a message, and so does the export.
    assert response.status_code == 400
    fields = form_fields(response, EXPORT_QUEUE)
    assert fields.pop("csrfmiddlewaretoken")
    assert fields == {
        "size_class": "small",
        "assigned": "unassigned",
        "sort": "age",
        "format": "xlsx",
    }
    assert "Export these applications" in text_of(response)


def test_a_reviewer_is_not_offered_the_export_and_is_told_it_does_not_exist(
    as_staff, reviewer, waiting
):
    staff = as_staff(reviewer)
    response = staff.get(QUEUE)
    assert response.status_code == 200
    assert EXPORT_QUEUE not in response.content.decode()
    assert staff.post(EXPORT_QUEUE, {"format": "csv"}).status_code == 404
    assert not ExportJob.objects.exists()


def test_the_file_holds_the_rows_the_queue_page_lists_in_its_order(
    as_staff, supervisor, waiting, django_capture_on_commit_callbacks
):
    staff = as_staff(supervisor)
    shown = staff.get(QUEUE, {"assigned": "unassigned", "sort": "age"})
    expected = [waiting[name].reference for name in ("alder", "individual", "cedar")]
    assert listed(shown) == expected

    response, job = ask(
        staff,
        {**form_fields(shown, EXPORT_QUEUE), "format": "csv"},
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:export", args=[job.pk])
    assert (job.dataset, job.status, job.rows_total) == ("queue", ExportStatus.READY, 3)
    assert exported(job) == expected

    # The period takes in every application waiting: from the day the oldest was submitted.
    first = timezone.localdate(waiting["alder"].submitted_at)
    today = timezone.localdate()
    assert (job.filters["start"], job.filters["end"]) == (first.isoformat(), today.isoformat())
    assert job.filters["queue"]["assigned"] == "unassigned"

    # Narrowed further on the page, the export follows.
    shown = staff.get(QUEUE, {"size_class": "small", "search": "small llc", "sort": "priority"})
    _, job = ask(
        staff,
        {**form_fields(shown, EXPORT_QUEUE), "format": "csv"},
        django_capture_on_commit_callbacks,
    )
    assert exported(job) == listed(shown)
    assert set(exported(job)) == {waiting["alder"].reference, waiting["cedar"].reference}


def test_the_export_page_says_which_queue_filters_were_applied(
    as_staff, supervisor, reviewer, waiting, django_capture_on_commit_callbacks
):
    reviewer.full_name = "Avery Reviewer"
    reviewer.save(update_fields=["full_name"])
    staff = as_staff(supervisor)
    _, job = ask(
        staff,
        {
            "size_class": "large",
            "assigned": str(reviewer.pk),
            "older_than_days": "1",
            "search": "<script>alert(1)</script>",
            "sort": "age",
            "format": "xlsx",
        },
        django_capture_on_commit_callbacks,
    )
    response = staff.get(reverse("reporting:export", args=[job.pk]))
    said = text_of(response)
    asked_on = timezone.localdate(job.created_at).strftime("%B %-d, %Y")
    assert f"the review queue as filtered on the queue page on {asked_on}" in said
    assert "sorted by longest waiting" in said
    items = ["".join(li.itertext()) for li in page(response).iter("li") if li.text]
    for words in (
        "Size: Large",
        "Assigned: Avery Reviewer",
        "Waiting at least (days): 1",
        "Search: “<script>alert(1)</script>”",
    ):
        assert words in items, words
    # What was typed is shown as text, never as markup.
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert "Review queue" in said  # the breadcrumb leads back to the queue


def test_a_search_for_a_social_security_number_is_kept_only_as_its_digest_and_finds_its_importer(
    as_staff, supervisor, waiting, django_capture_on_commit_callbacks
):
    staff = as_staff(supervisor)
    for typed in (SSN, "536 22 1947"):
        shown = staff.get(QUEUE, {"search": typed})
        assert listed(shown) == [waiting["individual"].reference]
        assert form_fields(shown, EXPORT_QUEUE)["search"] == typed
        response, job = ask(
            staff,
            {**form_fields(shown, EXPORT_QUEUE), "format": "csv"},
            django_capture_on_commit_callbacks,
        )
        assert response.status_code == 302
        assert job.filters["queue"]["search_sealed"] is True
        assert exported(job) == [waiting["individual"].reference]
        page_text = text_of(staff.get(reverse("reporting:export", args=[job.pk])))
        assert "Search: an importer number in Social Security number form" in page_text
        assert_nowhere(page_text)
    # No column of any row, the export jobs' included, holds the number in clear.
    assert_nowhere(str(list(ExportJob.objects.values())))
    assert_nowhere(every_row_as_text())


def test_nine_digits_that_may_be_a_social_security_number_are_refused_beside_the_search(
    as_staff, supervisor, waiting
):
    staff = as_staff(supervisor)
    for typed in ("536221947", "Alder 536-22-1947"):
        response = staff.post(EXPORT_QUEUE, {"search": typed, "format": "csv"})
        assert response.status_code == 400
        assert field_error(response, "id_search").startswith(
            "An export does not keep nine digits that may be a Social Security number."
        )
    assert not ExportJob.objects.exists()


def test_filters_or_a_format_that_make_no_sense_are_said_beside_their_fields(
    as_staff, supervisor, waiting
):
    response = as_staff(supervisor).post(
        EXPORT_QUEUE,
        {"size_class": "giant", "older_than_days": "soon", "format": "pdf", "status": "submitted"},
    )
    assert response.status_code == 400
    assert field_error(response, "id_size_class") == "Choose one of the answers offered for “Size”"
    assert field_error(response, "id_older_than_days")
    assert field_error(response, "id_format") == "Choose one of the answers offered for “Format”"
    # What made sense is kept, to put the rest right and ask again.
    assert form_fields(response, EXPORT_QUEUE)["status"] == "submitted"
    assert not ExportJob.objects.exists()


def test_the_queue_filters_are_kept_with_the_job_and_read_back():
    today = timezone.localdate()
    asked = QueueFilters(status="in_review", port="2704", older_than_days=30, sort="volume")
    filters = ReportFilters(start=today, end=today, queue=asked)
    assert ReportFilters.from_json(filters.as_json()) == filters
    # A Social Security number's digest stays a digest, said to be one, however often it is kept.
    sealed = ReportFilters.from_json(
        ReportFilters(start=today, end=today, queue=QueueFilters(search=SSN)).as_json()
    )
    assert sealed.queue_search_sealed and sealed.queue.search != SSN
    assert ReportFilters.from_json(sealed.as_json()) == sealed
    # An export asked from the dashboard keeps no queue filters.
    assert "queue" not in ReportFilters(start=today, end=today).as_json()
    assert ReportFilters.from_json(ReportFilters(start=today, end=today).as_json()).queue is None


def test_an_export_is_asked_for_again_where_it_was_asked():
    today = timezone.localdate()
    dashboard = ReportFilters(start=today, end=today)
    assert dashboard.asked_again_url() == "/staff/reports/#exports-heading"

    queue = ReportFilters(
        start=today, end=today, queue=QueueFilters(size_class="large", older_than_days=30)
    )
    assert queue.asked_again_url() == (
        "/staff/queue/?size_class=large&older_than_days=30&sort=priority#queue-export"
    )
    # A Social Security number searched was kept only as its digest: it does not come back.
    sealed = ReportFilters.from_json(
        ReportFilters(start=today, end=today, queue=QueueFilters(search=SSN)).as_json()
    )
    assert sealed.asked_again_url() == "/staff/queue/?sort=priority#queue-export"
