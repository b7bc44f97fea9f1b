"""The projection of when a review starts and ends: the pure model, table-driven and as properties,
and the workload read from the database."""

import ast
import importlib
import inspect
import pkgutil
from datetime import date, timedelta

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from certification import workflow
from certification.models import Application, WorkloadSettings
from certification.scheduling import (
    project_review_start,
    projection_for_application,
    projections_for_new_application,
    workload_current,
)
from recordkeepers.models import Membership, StaffRole
from tests.factories import MembershipFactory, draft_application, staff_user

TODAY = date(2027, 1, 17)


def project(**kwargs):
    arguments = {
        "ahead": 0,
        "reviewers": 2,
        "capacity": 8,
        "open_work": 0,
        "target_days": 30,
        "today": TODAY,
    }
    return project_review_start(**(arguments | kwargs))


# (case, arguments, days until the start or None, over capacity)
CASES = [
    ("nobody at work", {}, 0, False),
    ("free places for all ahead", {"open_work": 10, "ahead": 5}, 0, False),
    ("the last free place", {"open_work": 15, "ahead": 0}, 0, False),
    ("every place taken", {"open_work": 16, "ahead": 0}, 30, True),
    ("one free place, one ahead", {"open_work": 15, "ahead": 1}, 30, True),
    ("a whole period of places ahead", {"open_work": 16, "ahead": 15}, 30, True),
    ("into the second period", {"open_work": 16, "ahead": 16}, 60, True),
    ("reviewers over capacity first work off the excess", {"open_work": 20, "ahead": 12}, 60, True),
    ("a mixed line turns over at its mean", {"open_work": 16, "turnover_days": 45.5}, 46, True),
    ("one reviewer", {"reviewers": 1, "capacity": 1, "open_work": 1, "ahead": 2}, 90, True),
]


@pytest.mark.parametrize(
    ("arguments", "wait", "over"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_projected_start(arguments, wait, over):
    projection = project(**arguments)
    assert projection.starts_on == TODAY + timedelta(days=wait)
    assert projection.decided_by == projection.starts_on + timedelta(days=30)
    assert projection.over_capacity is over
    assert projection.starts_now is (wait == 0)
    assert projection.reason == ""


@pytest.mark.parametrize(
    ("reviewers", "capacity", "reason"),
    [(0, 8, "No reviewer is active"), (3, 0, "Reviewer capacity is set to 0")],
)
def test_no_places_means_no_projection(reviewers, capacity, reason):
    projection = project(reviewers=reviewers, capacity=capacity, ahead=4)
    assert projection.starts_on is None
    assert projection.decided_by is None
    assert reason in projection.reason
    assert projection.sentence == "CBP cannot yet estimate when the review will start."


def test_the_sentence_says_when_and_why_it_is_later_than_usual():
    late = project(reviewers=1, capacity=1, open_work=1, target_days=45)
    assert late.sentence == (
        "CBP expects to start reviewing it by about March 3, 2027, and to decide by about "
        "April 17, 2027. Many applications are waiting, so this is later than usual."
    )
    assert project(target_days=45).sentence == (
        "CBP expects to start reviewing it shortly, and to decide by about March 3, 2027."
    )


@pytest.mark.parametrize(
    "arguments",
    [{"ahead": -1}, {"open_work": -1}, {"target_days": 0}, {"turnover_days": 0}],
)
def test_impossible_inputs_are_refused(arguments):
    with pytest.raises(ValueError):
        project(**arguments)


counts = st.integers(min_value=0, max_value=500)


@given(
    ahead=counts,
    reviewers=st.integers(min_value=1, max_value=40),
    capacity=st.integers(min_value=1, max_value=20),
    open_work=counts,
    target_days=st.integers(min_value=1, max_value=365),
)
def test_more_ahead_never_starts_sooner(ahead, reviewers, capacity, open_work, target_days):
    def start(n):
        return project(
            ahead=n,
            reviewers=reviewers,
            capacity=capacity,
            open_work=open_work,
            target_days=target_days,
        )

    now, behind = start(ahead), start(ahead + 1)
    assert behind.starts_on >= now.starts_on
    assert now.over_capacity is (now.starts_on > TODAY)
    assert behind.over_capacity or not now.over_capacity


@given(ahead=counts, reviewers=st.integers(min_value=1, max_value=40), open_work=counts)
def test_another_reviewer_never_makes_it_later(ahead, reviewers, open_work):
    fewer = project(ahead=ahead, reviewers=reviewers, open_work=open_work)
    more = project(ahead=ahead, reviewers=reviewers + 1, open_work=open_work)
    assert more.starts_on <= fewer.starts_on


# --- From the database ----------------------------------------------------------------------------


def submitted_application(*, days_ago: int) -> Application:
    owner = MembershipFactory(role=Membership.Role.OWNER).user
    application = draft_application(owner=owner)
    workflow.application_submit(application=application, actor=owner)
    Application.objects.filter(pk=application.pk).update(
        submitted_at=timezone.now() - timedelta(days=days_ago)
    )
    application.refresh_from_db()
    return application


@pytest.fixture
def two_places(db, reviewer, other_reviewer):
    """Two reviewers with room for one application each, both taken; two more waiting."""
    WorkloadSettings.objects.update_or_create(pk=1, defaults={"reviewer_capacity": 1})
    assigned = submitted_application(days_ago=9)
    started = submitted_application(days_ago=8)
    oldest_waiting = submitted_application(days_ago=5)
    newest_waiting = submitted_application(days_ago=1)
    workflow.application_assign(application=assigned, actor=reviewer, reviewer=reviewer)
    workflow.application_assign(application=started, actor=other_reviewer, reviewer=other_reviewer)
    workflow.application_start_review(application=started, actor=other_reviewer)
    # Neither a decided application nor work held by a former reviewer takes a place.
    former = staff_user(StaffRole.REVIEWER, email="former@cbp.example.gov")
    decided = submitted_application(days_ago=30)
    held = submitted_application(days_ago=30)
    for application in (decided, held):
        workflow.application_assign(application=application, actor=former, reviewer=former)
    Application.objects.filter(pk=decided.pk).update(status="certified")
    former.is_active = False
    former.save()
    return {
        "assigned": assigned,
        "started": started,
        "oldest_waiting": oldest_waiting,
        "newest_waiting": newest_waiting,
    }


def test_the_workload_counts_places_open_work_and_the_line(two_places, django_assert_num_queries):
    WorkloadSettings.current()
    with django_assert_num_queries(3):  # the settings, the reviewers, one aggregate
        workload = workload_current()
    assert (workload.reviewers, workload.capacity, workload.slots) == (2, 1, 2)
    assert workload.open_work == 2
    # The former reviewer's application still waits for CBP but is not "submitted, unassigned".
    assert workload.waiting == 2
    assert workload.waiting_by_size["small"] == 2
    assert workload_current(ahead_of=two_places["newest_waiting"]).waiting == 1
    assert workload_current(ahead_of=two_places["oldest_waiting"]).waiting == 0


def test_a_new_application_waits_behind_everyone(two_places):
    today = timezone.localdate()
    projections = projections_for_new_application(today=today)
    # 2 open + 2 waiting + itself on 2 places: 3 decisions first, 2 a period of 45 days (small).
    small = projections["small"]
    assert small.over_capacity
    assert small.starts_on == today + timedelta(days=90)
    assert small.decided_by == today + timedelta(days=135)
    assert projections["micro"].starts_on == small.starts_on
    assert projections["micro"].decided_by == small.starts_on + timedelta(days=30)


def test_a_submitted_application_counts_only_those_before_it(two_places):
    today = timezone.localdate()
    oldest = projection_for_application(application=two_places["oldest_waiting"])
    newest = projection_for_application(application=two_places["newest_waiting"])
    assert oldest.starts_on == today + timedelta(days=45)
    assert newest.starts_on == today + timedelta(days=45)
    assert oldest.over_capacity and newest.over_capacity


def test_an_application_a_reviewer_holds_starts_shortly(two_places):
    projection = projection_for_application(application=two_places["assigned"])
    assert projection.starts_now and not projection.over_capacity
    assert projection.decided_by == timezone.localdate() + timedelta(days=45)


def test_only_a_submitted_application_has_a_projection(two_places, owner_a):
    assert projection_for_application(application=two_places["started"]) is None
    assert projection_for_application(application=draft_application(owner=owner_a)) is None


def test_with_no_reviewer_nothing_is_projected(db):
    application = submitted_application(days_ago=2)
    projection = projection_for_application(application=application)
    assert projection.starts_on is None
    assert "No reviewer is active" in projection.reason


@pytest.mark.parametrize(
    "module",
    [
        "certification.workflow",
        "reviews.scoring",
        "reviews.scoring.scores",
        "reviews.scoring.demonstrations",
        "reviews.scoring.suggestion",
    ],
)
def test_what_decides_never_reads_the_workload(module):
    """Workload shapes scheduling only: nothing that decides or scores imports the projection."""
    imported = __import__(module, fromlist=["_"])
    # A package: each of its modules.
    modules = [imported] + [
        importlib.import_module(info.name)
        for info in pkgutil.walk_packages(getattr(imported, "__path__", []), f"{module}.")
    ]
    names = [
        f"{getattr(node, 'module', None) or ''}.{alias.name}"
        for source in modules
        for node in ast.walk(ast.parse(inspect.getsource(source)))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]
    assert names  # the walk found the imports
    # Case-sensitive on purpose: WorkloadSettings also holds the answer and appeal deadlines,
    # which a decision may state.
    assert not [name for name in names if "scheduling" in name or "workload" in name]
