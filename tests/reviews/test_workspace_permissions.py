"""The workspace finds an application (`workspace_application_get`) and asks what the user may do
there (`reviews.rules.workspace_permissions`) in fewer reads than the queue's query and the two
permissions take: it must find exactly what the queue's `queue_visible_to` finds (which
test_visibility_oracle.py holds to the oracle) and answer as the permissions do."""

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from certification import workflow
from recordkeepers.rules import may
from reviews.rules import workspace_permissions
from reviews.selectors.queue import queue_visible_to
from reviews.selectors.workspace import workspace_application_get
from reviews.services import review_assign, review_claim
from tests.factories import draft_application
from tests.reviews.test_visibility_oracle import demo  # noqa: F401 (a fixture)

STAFF = [
    "assigned reviewer",
    "unassigned reviewer",
    "conflicted reviewer",
    "recused reviewer",
    "supervisor",
    "admin",
]


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize("persona", STAFF)
def test_the_workspace_finds_what_the_queue_finds_with_the_same_permissions(demo, persona):  # noqa: F811
    user = demo["personas"][persona]
    in_queue = set(queue_visible_to(user=user).values_list("pk", flat=True))
    found = 0
    for application in demo["applications"]:
        where = f"{persona} on {application} ({application.status})"
        if application.pk not in in_queue:
            with pytest.raises(Http404):
                workspace_application_get(user=user, pk=application.pk)
            continue
        found += 1
        got = workspace_application_get(user=user, pk=application.pk)
        expected = (
            may(user, "reviews.open_workspace", application),
            may(user, "reviews.score_application", application),
        )
        assert workspace_permissions(user, got) == expected, where
    if persona not in {"conflicted reviewer", "recused reviewer"}:
        assert found > 0  # not passing by finding nothing


def submitted(owner):
    application = draft_application(owner=owner)
    workflow.application_submit(application=application, actor=owner)
    return application


def test_workspace_permissions_agree_with_the_permissions(
    owner_a, owner_b, reviewer, other_reviewer, supervisor, cbp_admin
):
    submitted(owner_a)  # nobody's yet
    review_claim(application=submitted(owner_a), actor=reviewer, no_conflict=True)
    review_claim(application=submitted(owner_b), actor=other_reviewer, no_conflict=True)
    # Assigned by a supervisor: the reviewer has not declared no conflict yet.
    review_assign(application=submitted(owner_b), actor=supervisor, reviewer=reviewer)
    # Declared, but waiting for the applicant's answers: not in review.
    asking = submitted(owner_a)
    review_claim(application=asking, actor=reviewer, no_conflict=True)
    asking.refresh_from_db()
    workflow.application_request_information(
        application=asking,
        actor=reviewer,
        questions=[workflow.Question(text="Send the schedule.", demonstration="iii")],
        due=timezone.localdate() + timedelta(days=30),
    )

    outcomes = []
    for user in (reviewer, other_reviewer, supervisor, cbp_admin):
        for application in queue_visible_to(user=user).select_related("organisation"):
            expected = (
                may(user, "reviews.open_workspace", application),
                may(user, "reviews.score_application", application),
            )
            assert workspace_permissions(user, application) == expected, (user, application)
            outcomes.append(expected)
    # Every combination the rules allow came up: the comparison above is not vacuous.
    assert set(outcomes) == {(False, False), (True, False), (True, True)}
