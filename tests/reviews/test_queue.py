"""The review queue: who sees what, filters, sorts, the database's priority against the formula,
and a query count that does not grow with the number of applications."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certification import workflow
from certification.models import Application, InformationRequest, WorkloadSettings
from recordkeepers.models import Membership, StaffRole
from reviews.selectors import QueueFilters, queue, queue_counts, queue_page, why_here
from tests.factories import MembershipFactory, OrganisationFactory, draft_application

NOW = timezone.now()


def submitted_application(*, size=("120", "3500000"), flags=(), ports=("2704",), days_ago=0):
    organisation = OrganisationFactory(
        entries_per_year=int(size[0]), import_value=size[1], risk_flags=list(flags)
    )
    owner = MembershipFactory(organisation=organisation, role=Membership.Role.OWNER).user
    application = draft_application(owner=owner)
    organisation.refresh_from_db()
    organisation.ports = list(ports)
    organisation.risk_flags = list(flags)
    organisation.save()
    workflow.application_submit(application=application, actor=owner)
    Application.objects.filter(pk=application.pk).update(
        submitted_at=NOW - timedelta(days=days_ago)
    )
    application.refresh_from_db()
    return application


@pytest.fixture
def mixed(db, reviewer):
    micro_old = submitted_application(size=("10", "200000"), days_ago=50)
    large_new = submitted_application(
        size=("20000", "500000000"), flags=("adcvd", "fta", "ftz", "pga", "drawback"), days_ago=3
    )
    small_answered = submitted_application(size=("100", "2000000"), ports=("1001",), days_ago=20)
    # The small importer's review has started, a question was asked and answered.
    workflow.application_assign(application=small_answered, actor=reviewer, reviewer=reviewer)
    workflow.application_start_review(application=small_answered, actor=reviewer)
    workflow.application_request_information(
        application=small_answered,
        actor=reviewer,
        questions=["Send the SOP."],
        due=timezone.localdate() + timedelta(days=10),
    )
    # Answered, as the applicant's answer leaves it (certification.workflow).
    InformationRequest.objects.filter(application=small_answered).update(answered_at=NOW)
    Application.objects.filter(pk=small_answered.pk).update(status="in_review", answers_unread=True)
    return {"micro_old": micro_old, "large_new": large_new, "small_answered": small_answered}


def test_the_database_priority_is_the_formula(mixed, supervisor):
    workload = WorkloadSettings.current()
    rows = list(queue(user=supervisor, filters=QueueFilters(), now=NOW))
    assert len(rows) == 3
    for row in rows:
        assert row.priority == pytest.approx(why_here(row, workload, NOW).value, abs=1e-6)
    # Waiting 50 of 30 days outranks five risk flags three days in, and the fresh answers.
    assert rows[0].pk == mixed["micro_old"].pk
    answered = next(r for r in rows if r.pk == mixed["small_answered"].pk)
    assert answered.answers_arrived
    assert ("Answers to CBP's questions just arrived", 5.0) in why_here(
        answered, workload, NOW
    ).parts


def test_filters_and_sorts(mixed, supervisor, reviewer):
    def pks(**filters):
        return [r.pk for r in queue(user=supervisor, filters=QueueFilters(**filters), now=NOW)]

    assert pks(size_class="micro") == [mixed["micro_old"].pk]
    assert pks(risk_flag="ftz") == [mixed["large_new"].pk]
    assert pks(port="1001") == [mixed["small_answered"].pk]
    assert pks(port="100") == []  # a port is matched whole
    assert pks(status="in_review") == [mixed["small_answered"].pk]
    assert set(pks(assigned="unassigned")) == {mixed["micro_old"].pk, mixed["large_new"].pk}
    assert pks(assigned=str(reviewer.pk)) == [mixed["small_answered"].pk]
    assert set(pks(older_than_days=15)) == {mixed["micro_old"].pk, mixed["small_answered"].pk}
    assert pks(search=mixed["large_new"].reference.lower()) == [mixed["large_new"].pk]
    assert pks(sort="age")[0] == mixed["micro_old"].pk
    assert pks(sort="volume")[0] == mixed["large_new"].pk


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"size_class": "micro"},
        {"port": "1001"},
        {"assigned": "others"},
        {"size_class": "large", "assigned": "unassigned", "sort": "volume"},
    ],
)
def test_a_queue_page_counts_what_the_filters_leave(mixed, supervisor, reviewer, filters):
    for user in (supervisor, reviewer):
        rows = list(queue(user=user, filters=QueueFilters(**filters), now=NOW))
        page = queue_page(user=user, filters=QueueFilters(**filters), page=1, per_page=25, now=NOW)
        assert page.count == len(rows)
        assert [row.pk for row, _ in page.rows] == [row.pk for row in rows]
        assert page.counts == queue_counts(user=user)


def test_an_unfiltered_queue_page_counts_once_and_explains_every_row(mixed, supervisor):
    page = queue_page(
        user=supervisor, filters=QueueFilters(sort="age"), page="1", per_page=2, now=NOW
    )
    assert page.count == page.counts["total"] == 3
    assert page.num_pages == 2
    assert [row.pk for row, _ in page.rows] == [mixed["micro_old"].pk, mixed["small_answered"].pk]
    workload = WorkloadSettings.current()
    for row, why in page.rows:
        assert why == why_here(row, workload, NOW)
        assert why.value == pytest.approx(row.priority, abs=1e-6)


def test_reviewers_see_what_they_may_claim_and_what_is_theirs(mixed, reviewer, other_reviewer):
    theirs = {r.pk for r in queue(user=other_reviewer, filters=QueueFilters(), now=NOW)}
    assert theirs == {mixed["micro_old"].pk, mixed["large_new"].pk}
    mine = {r.pk for r in queue(user=reviewer, filters=QueueFilters(assigned="me"), now=NOW)}
    assert mine == {mixed["small_answered"].pk}
    counts = queue_counts(user=reviewer)
    assert (counts["total"], counts["mine"], counts["unassigned"]) == (3, 1, 2)


def test_a_page_of_the_queue_takes_the_same_queries_for_3_or_30_applications(mixed, supervisor):
    def page_queries():
        cache.clear()  # the counts as after a workflow move, not from the cache
        with CaptureQueriesContext(connection) as captured:
            rows = list(queue(user=supervisor, filters=QueueFilters(), now=NOW)[:25])
            [(r.organisation.legal_name, r.assigned_reviewer) for r in rows]
            queue_counts(user=supervisor)
        return len(captured.captured_queries)

    page_queries()  # the first request of a process creates the workload settings row
    few = page_queries()
    for days in range(27):
        submitted_application(days_ago=days)
    assert page_queries() == few


def test_the_counts_are_kept_until_a_workflow_move(mixed, supervisor, owner_b):
    from certification import workflow
    from tests.factories import draft_application

    first = queue_counts(user=supervisor)
    with CaptureQueriesContext(connection) as captured:
        assert queue_counts(user=supervisor) == first
    assert len(captured.captured_queries) == 0
    # A submission is a move of the workflow: the next read counts afresh.
    application = draft_application(owner=owner_b)
    workflow.application_submit(application=application, actor=owner_b)
    after = queue_counts(user=supervisor)
    assert (after["total"], after["submitted"]) == (first["total"] + 1, first["submitted"] + 1)


def test_the_queue_s_list_of_reviewers_follows_people_and_groups(as_staff, supervisor, reviewer):
    """Kept in the cache between pages (reviewer_choices), and made stale by any change to a
    person or their groups (reviews/signals.py)."""
    from django.contrib.auth.models import Group

    from tests.factories import staff_user

    client = as_staff(supervisor)

    def offered() -> list[str]:
        page = client.get(reverse("reviews:queue"))
        bulk = page.text[page.text.index('id="bulk-reviewer"') :]
        return re.findall(r'<option value="\d+">([^<]+)</option>', bulk[: bulk.index("</select>")])

    submitted_application()
    before = offered()
    assert str(reviewer) in before
    newcomer = staff_user(StaffRole.REVIEWER, email="newcomer@cbp.example.gov")
    assert str(newcomer) in offered()  # joined the group
    newcomer.full_name = "Quinn Newcomer"
    newcomer.save()
    assert "Quinn Newcomer" in offered()  # renamed
    newcomer.groups.remove(Group.objects.get(name=StaffRole.REVIEWER.value))
    assert "Quinn Newcomer" not in offered()  # left the group
    reviewer.is_active = False
    reviewer.save()
    assert str(reviewer) not in offered()  # account switched off


def test_the_queue_s_priorities_follow_the_workload_settings_an_admin_saves(as_staff, supervisor):
    """The settings are kept in the cache between pages (selectors.workload_settings), and made
    stale when an admin saves them (reviews/signals.py)."""
    client = as_staff(supervisor)
    submitted_application(size=("10", "200000"), days_ago=40)  # micro: 30 target days

    def scores() -> list[str]:
        return re.findall(
            r"<strong>([^<]*priority point[^<]*)</strong>",
            client.get(reverse("reviews:queue")).text,
        )

    before = scores()
    assert len(before) == 1 and scores() == before  # the second page from the cache, the same
    settings_row = WorkloadSettings.current()
    settings_row.target_days_micro = 15  # overdue twice as long: a higher priority
    settings_row.save()
    after = scores()
    assert len(after) == 1 and after != before
    assert float(after[0].split()[0]) > float(before[0].split()[0])


def test_a_row_says_answers_are_overdue_only_while_a_request_waits_past_its_day(
    mixed, as_staff, supervisor, reviewer
):
    asked = mixed["micro_old"]
    workflow.application_assign(application=asked, actor=reviewer, reviewer=reviewer)
    workflow.application_start_review(application=asked, actor=reviewer)
    workflow.application_request_information(
        application=asked,
        actor=reviewer,
        questions=["Send the SOP."],
        due=timezone.localdate() + timedelta(days=10),
    )
    request = InformationRequest.objects.get(application=asked)

    def overdue() -> set[int]:
        rows = queue(user=supervisor, filters=QueueFilters(), now=NOW)
        whole = {row.pk for row in rows if row.information_overdue}
        paged = {row.pk for row in rows[:25] if row.information_overdue}
        assert whole == paged  # the listing and a page agree
        return whole

    assert overdue() == set()  # due in ten days
    InformationRequest.objects.filter(pk=request.pk).update(due=NOW.date() - timedelta(days=1))
    assert overdue() == {asked.pk}
    page = as_staff(supervisor).get(reverse("reviews:queue"))
    assert page.text.count("Answers overdue") == 1
    # The small importer's request was answered, though its day passed too: not overdue.
    InformationRequest.objects.filter(application=mixed["small_answered"]).update(
        due=NOW.date() - timedelta(days=5)
    )
    InformationRequest.objects.filter(pk=request.pk).update(answered_at=NOW)
    assert overdue() == set()
