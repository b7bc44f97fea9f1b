"""The workspace's queries do not grow with what the application holds: the criteria of its edition,
its evidence files, the rounds of CBP's questions (with their answers and files) and its events are
each read in a fixed number of queries, and with the page's parts in the cache they are not read at
all. Opening the workspace writes nothing."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certification import workflow
from certification.evidence.services import evidence_add, information_request_add_evidence
from certification.models import Criterion, Demonstration
from certification.selectors import handbook_edition_in_force
from certification.services.drafts import application_attest
from certification.services.handbook import handbook_edition_create_draft, handbook_edition_publish
from certification.services.information_requests import information_request_save_answers
from reviews.services import review_claim
from tests.factories import draft_application

# The page's queries, counted, when its parts are read and rendered (the first visit after any
# change, `reviews.views.workspace_parts`): the session and the user with their groups and
# authenticator (4); the application, who may see it (2: a recusal, links to the organization) and
# whether the user declared no conflict (1); the stamp the cached parts are keyed by (1); the
# edition, criteria, scores, pinned thresholds and compliance finding (5); the answers (1); the
# evidence (1); the rounds, their questions and the questions' files (3); the events (1); the unread
# messages in the header (1); the designated individuals listed (1). Without any round of
# questions, the questions and their files are not read. With the parts in the cache, only the
# first 9 and the header's are left.
WORKSPACE_QUERIES = 22
CACHED_QUERIES = 10
WITHOUT_ROUNDS = WORKSPACE_QUERIES - 2


def claimed_application(owner, reviewer, *, files: int = 0, rounds: int = 0):
    """A submitted application claimed by `reviewer`, with `files` evidence files and `rounds`
    answered rounds of questions, each answered with a file (so two more events each)."""
    application = draft_application(owner=owner, attested=False)
    demonstrations = Demonstration.values
    for n in range(files):
        application.refresh_from_db()
        evidence_add(
            application=application,
            actor=owner,
            demonstration=demonstrations[n % len(demonstrations)],
            upload=SimpleUploadedFile(f"procedure-{n}.txt", b"Records are kept for 5 years.\n"),
            expected_version=application.version,
        )
    application.refresh_from_db()
    application_attest(
        application=application,
        actor=owner,
        signer_name="Owner",
        signer_title="Compliance manager",
        expected_version=application.version,
    )
    workflow.application_submit(application=application, actor=owner)
    review_claim(application=application, actor=reviewer, no_conflict=True)
    for n in range(rounds):
        application.refresh_from_db()
        request = workflow.application_request_information(
            application=application,
            actor=reviewer,
            questions=[workflow.Question(text=f"Send SOP-{n}.", demonstration="iii")],
            due=timezone.localdate() + timedelta(days=30),
        )
        item = request.items.get()
        information_request_save_answers(
            information_request=request, actor=owner, answers={item.pk: f"SOP-{n} is attached."}
        )
        information_request_add_evidence(
            item=item, actor=owner, upload=SimpleUploadedFile(f"sop-{n}.txt", b"Within 5 days.\n")
        )
        application.refresh_from_db()
        workflow.application_answer_information_request(application=application, actor=owner)
    return application


def workspace_queries(client, application, *, cached: bool = False) -> list[str]:
    """The queries of one visit to the workspace: with its parts in the cache, or (by default)
    with none, as on the first visit after a change."""
    if not cached:
        cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("reviews:workspace", args=[application.pk]))
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def cached_queries(client, application) -> list[str]:
    """The queries of a visit with the workspace's parts in the cache: after a visit that put them
    there."""
    workspace_queries(client, application)
    return workspace_queries(client, application, cached=True)


def writes(queries: list[str]) -> list[str]:
    return [
        sql for sql in queries if sql.split(None, 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}
    ]


@pytest.mark.django_db
def test_the_workspace_reads_the_same_with_20_or_40_criteria(as_staff, owner_a, owner_b, reviewer):
    client = as_staff(reviewer)
    twenty = claimed_application(owner_a, reviewer)
    assert twenty.handbook_edition.criteria.count() == 20
    workspace_queries(client, twenty)  # first request of the session: the session is refreshed
    baseline = len(workspace_queries(client, twenty))

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
    assert len(workspace_queries(client, forty)) == baseline == WITHOUT_ROUNDS, baseline
    cached = [len(cached_queries(client, a)) for a in (twenty, forty)]
    assert cached == [CACHED_QUERIES, CACHED_QUERIES], cached


@pytest.mark.django_db
def test_the_workspace_reads_the_same_with_1_or_5_files_rounds_and_events(
    as_staff, owner_a, owner_b, reviewer
):
    client = as_staff(reviewer)
    one = claimed_application(owner_a, reviewer, files=1, rounds=1)
    five = claimed_application(owner_b, reviewer, files=5, rounds=5)
    assert (one.evidence.count(), five.evidence.count()) == (2, 10)  # each round adds a file
    assert (one.information_requests.count(), five.information_requests.count()) == (1, 5)
    assert five.events.count() >= one.events.count() + 8  # two events more for each round
    workspace_queries(client, one)  # first request of the session: the session is refreshed

    read_one = workspace_queries(client, one)
    read_five = workspace_queries(client, five)

    assert len(read_one) == len(read_five) == WORKSPACE_QUERIES, (len(read_one), len(read_five))
    cached = [len(cached_queries(client, a)) for a in (one, five)]
    assert cached == [CACHED_QUERIES, CACHED_QUERIES], cached
    page = client.get(reverse("reviews:workspace", args=[five.pk])).text
    for n in range(5):  # and the page does show them all
        assert f"procedure-{n}.txt" in page and f"sop-{n}.txt" in page
        assert f"SOP-{n} is attached." in page


@pytest.mark.django_db
def test_opening_the_workspace_writes_nothing(as_staff, owner_a, reviewer, supervisor):
    application = claimed_application(owner_a, reviewer, files=1, rounds=1)
    client = as_staff(reviewer)
    workspace_queries(client, application)  # the session's first request refreshes it
    assert writes(workspace_queries(client, application)) == []
    assert writes(workspace_queries(client, application, cached=True)) == []
    # A supervisor opening an application nobody has claimed yet (its thresholds not yet pinned).
    waiting = draft_application(owner=owner_a)
    workflow.application_submit(application=waiting, actor=owner_a)
    client = as_staff(supervisor)
    workspace_queries(client, waiting)
    assert writes(workspace_queries(client, waiting)) == []
    assert writes(workspace_queries(client, waiting, cached=True)) == []
