"""The workspace's queries do not grow with the number of criteria (the issue asks for a bound at
40): the criteria, the saved scores and the answers are each read in one query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certification import workflow
from certification.models import Criterion
from certification.selectors import handbook_edition_in_force
from certification.services.handbook import handbook_edition_create_draft, handbook_edition_publish
from reviews.services import review_claim
from tests.factories import draft_application

# With 20 or with 40 criteria the page takes the same number of queries, and no more than this.
WORKSPACE_QUERIES = (
    28  # measured: session and user, the application, criteria, scores, answers, evidence, timeline
)


def claimed_application(owner, reviewer):
    application = draft_application(owner=owner)
    workflow.application_submit(application=application, actor=owner)
    review_claim(application=application, actor=reviewer, no_conflict=True)
    return application


def workspace_queries(client, application) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("reviews:workspace", args=[application.pk]))
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.django_db
def test_the_workspace_reads_the_same_with_20_or_40_criteria(
    client, enrol_totp, owner_a, owner_b, reviewer
):
    enrol_totp(reviewer)
    client.force_login(reviewer)
    twenty = claimed_application(owner_a, reviewer)
    assert twenty.handbook_edition.criteria.count() == 20
    workspace_queries(client, twenty)  # first request of the process: settings rows are created
    baseline = workspace_queries(client, twenty)

    draft = handbook_edition_create_draft(based_on=handbook_edition_in_force(), title="Forty")
    for n, criterion in enumerate(list(draft.criteria.all())):
        Criterion.objects.create(
            edition=draft,
            demonstration=criterion.demonstration,
            code=f"{criterion.demonstration}.x{n}",
            position=100 + n,
            title=f"Extra {n}",
            weight=2,
            guidance="More to look at.",
        )
    handbook_edition_publish(edition=draft)
    forty = claimed_application(owner_b, reviewer)
    assert forty.handbook_edition.criteria.count() == 40
    assert workspace_queries(client, forty) == baseline <= WORKSPACE_QUERIES, baseline
