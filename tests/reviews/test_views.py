"""The queue and the claim and assign pages, through the test client, and who may open them."""

import re

from django.urls import reverse

from certification import workflow
from certification.models import ApplicationStatus
from recordkeepers.models import StaffRole
from reviews.models import ConflictDeclaration
from tests.factories import draft_application, staff_user


def staff_urls(application):
    return [
        ("get", reverse("reviews:dashboard")),
        ("get", reverse("reviews:queue")),
        ("get", reverse("reviews:claim", args=[application.pk])),
        ("post", reverse("reviews:claim", args=[application.pk])),
        ("get", reverse("reviews:assign", args=[application.pk])),
        ("post", reverse("reviews:assign", args=[application.pk])),
        ("post", reverse("reviews:bulk-assign")),
        ("post", reverse("reviews:letter-retry", args=[1])),
    ]


def test_recordkeepers_get_404_on_every_staff_url(client, owner_a, submitted):
    client.force_login(owner_a)
    for method, url in staff_urls(submitted):
        assert getattr(client, method)(url).status_code == 404, url
    submitted.refresh_from_db()
    assert submitted.assigned_reviewer is None


def test_the_queue_lists_filters_and_explains(as_staff, reviewer, submitted):
    client = as_staff(reviewer)
    page = client.get(reverse("reviews:queue"))
    assert page.status_code == 200
    assert submitted.reference in page.text
    assert "Why this is here" in page.text
    assert "Waited 0 of 45 target days" in page.text  # a small importer's target
    filtered = client.get(reverse("reviews:queue"), {"size_class": "large"})
    assert submitted.reference not in filtered.text
    bad = client.get(reverse("reviews:queue"), {"port": "27"})
    assert bad.status_code == 400
    assert "Enter a port as 4 digits" in bad.text
    assert "<title>Error: Review queue" in bad.text
    assert 'href="#id_port"' in bad.text  # the error summary links to the field
    assert "<title>Error:" not in page.text


def test_a_filter_s_form_is_made_once_then_its_html_and_filters_come_from_the_cache(
    as_staff, reviewer, submitted, monkeypatch
):
    from reviews.forms import QueueFilterForm

    client = as_staff(reviewer)
    made = []
    original = QueueFilterForm.__init__

    def counting(self, *args, **kwargs):
        made.append(args[0] if args else None)
        original(self, *args, **kwargs)

    monkeypatch.setattr(QueueFilterForm, "__init__", counting)
    small = reverse("reviews:queue") + "?size_class=small"
    first, second = client.get(small), client.get(small)
    assert len(made) == 1  # the second page from the cache
    assert submitted.reference in first.text and submitted.reference in second.text
    assert 'value="small" selected' in second.text
    # A wrong value: its errors shown each time (the form is made again to show them).
    bad = reverse("reviews:queue") + "?port=27"
    for _ in range(2):
        response = client.get(bad)
        assert response.status_code == 400 and "Enter a port as 4 digits" in response.text


def test_the_filter_form_shows_what_was_asked_and_the_reviewers_of_now(
    as_staff, supervisor, reviewer, submitted
):
    """The form's HTML is cached by what it shows: each filter and reviewer list has its own."""
    client = as_staff(supervisor)
    for size in ("small", "large", "small"):
        page = client.get(reverse("reviews:queue"), {"size_class": size, "page": "1"})
        assert f'<option value="{size}" selected>' in page.text
    # In the "Assigned" filter and in bulk assignment.
    assert page.text.count(f'<option value="{reviewer.pk}">{reviewer}</option>') == 2
    reviewer.full_name = "Renamed Reviewer"
    reviewer.save()
    page = client.get(reverse("reviews:queue"), {"size_class": "small"})
    assert page.text.count(f'<option value="{reviewer.pk}">Renamed Reviewer</option>') == 2
    bad = client.get(reverse("reviews:queue"), {"port": "27"})
    assert "Enter a port as 4 digits" in bad.text
    assert "Enter a port as 4 digits" not in client.get(reverse("reviews:queue")).text


def test_a_reviewer_claims_with_the_declaration(as_staff, reviewer, submitted):
    client = as_staff(reviewer)
    url = reverse("reviews:claim", args=[submitted.pk])
    refused = client.post(url, {"version": submitted.version})
    assert refused.status_code == 400
    assert "no conflict of interest" in refused.text
    response = client.post(url, {"version": submitted.version, "no_conflict": "on"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.assigned_reviewer, submitted.status) == (
        reviewer,
        ApplicationStatus.IN_REVIEW,
    )
    # Taken: the next reviewer cannot.
    other = staff_user(StaffRole.REVIEWER, email="third@cbp.example.gov")
    client = as_staff(other)
    assert client.get(url).status_code == 404  # not in their queue any more


def test_an_application_withdrawn_meanwhile_cannot_be_claimed(
    as_staff, reviewer, submitted, supervisor
):
    client = as_staff(reviewer)
    url = reverse("reviews:claim", args=[submitted.pk])
    old_version = submitted.version
    workflow.application_withdraw(application=submitted, actor=submitted.created_by)
    assert client.post(url, {"version": old_version, "no_conflict": "on"}).status_code == 404


def test_a_supervisor_assigns_and_bulk_assigns(as_staff, supervisor, reviewer, owner_b, submitted):
    other = draft_application(owner=owner_b)
    workflow.application_submit(application=other, actor=owner_b)
    client = as_staff(supervisor)
    response = client.post(
        reverse("reviews:assign", args=[submitted.pk]), {"reviewer": reviewer.pk}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("reviews:bulk-assign"), {"reviewer": reviewer.pk, "applications": [other.pk]}
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.assigned_reviewer == reviewer
    assert ConflictDeclaration.objects.filter(declared_by=supervisor).count() == 2


def test_a_link_blocks_an_assignment_until_a_reason_is_given(as_staff, supervisor, submitted):
    linked = staff_user(StaffRole.REVIEWER, email="pat@acme.example")
    client = as_staff(supervisor)
    url = reverse("reviews:assign", args=[submitted.pk])
    refused = client.post(url, {"reviewer": linked.pk})
    assert refused.status_code == 400
    assert "acme.example" in refused.text
    submitted.refresh_from_db()
    assert submitted.assigned_reviewer is None
    client.post(url, {"reviewer": linked.pk, "override_reason": "Former domain, no relation."})
    submitted.refresh_from_db()
    assert submitted.assigned_reviewer == linked


def test_reviewers_cannot_assign(as_staff, reviewer, other_reviewer, submitted):
    client = as_staff(reviewer)
    url = reverse("reviews:assign", args=[submitted.pk])
    assert client.post(url, {"reviewer": other_reviewer.pk}).status_code == 403
    assert client.post(reverse("reviews:bulk-assign"), {}).status_code == 403


def test_the_queue_says_its_numbers_with_separators_and_its_priority_in_words(as_staff, supervisor):
    from tests.reviews.test_queue import submitted_application

    large = submitted_application(size=("21000", "500000000"), flags=("adcvd", "fta"), days_ago=3)
    page = as_staff(supervisor).get(reverse("reviews:queue"))
    assert page.status_code == 200
    text = " ".join(page.text.split())
    assert "21,000 entries a year" in text
    assert "21000" not in text
    assert f"{large.reference} is here because: </span>Waited 3 of " in text
    assert "target days; Large importer; 2 risk flags.</p>" in text
    assert re.search(r"<strong>\d+\.\d priority points</strong>", text)
    assert "<li>2 risk flags: adds " in text
    assert "<li>Waited 3 of" in text and ": adds " in text


def test_the_record_links_to_the_workspace_only_while_the_review_is_open(
    as_staff, claimed, supervisor, owner_b, reviewer, handbook_in_force
):
    from tests.factories import decide

    client = as_staff(supervisor)
    link = "Open the review workspace"
    in_review = client.get(reverse("reviews:record", args=[claimed.pk]))
    assert link in in_review.text
    certified = decide(owner=owner_b, reviewer=reviewer, supervisor=supervisor).application
    decided = client.get(reverse("reviews:record", args=[certified.pk]))
    assert decided.status_code == 200
    assert link not in decided.text  # the workspace is a 404 once decided
    assert client.get(reverse("reviews:workspace", args=[certified.pk])).status_code == 404
