"""Scale-out, exercised: two web nodes (gunicorn) and two Celery workers sharing one PostgreSQL, one
Redis and one S3-compatible bucket (moto's standalone server), as a deployment of many nodes does.

What one node writes, the others serve. Evidence uploaded through web node 1 is downloaded through
web node 2, byte for byte, and lies in the bucket, not on a disk. Letters rendered by each of the
two workers are served by both web nodes. A session begun on one web node is good on the other, and
ended there is ended everywhere (sessions are rows in the database); failed sign-ins counted by one
node refuse a sign-in on the other (allauth counts them in the cache, which must be Redis).

The nodes read this test's own database, so the tests commit their data (`transactional_db`).
"""

import hashlib
import re
import secrets

import pytest
from celery.signals import after_task_publish
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection, transaction
from django.urls import reverse

from certification.models import Evidence, Letter, LetterStatus
from certification.wizard import steps as wizard
from config.celery import app as celery_app
from tests.cluster import BUCKET, Browser, Cluster, Reply, WebNode, running_cluster
from tests.conftest import skip_or_fail
from tests.factories import PASSWORD, decide, draft_application
from tests.http_visitor import csrf_of, form_with
from tests.pdfs import plain_pdf

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.usefixtures("handbook_in_force", "letter_templates"),
]

# Two failed sign-ins per account: whether a third is refused shows whether the nodes count together.
LOGIN_FAILED_LIMIT = "10/m/ip,2/5m/key"
TOO_MANY = "Too many failed login attempts"
RENDER_TASK = "certification.tasks.render_letter"


@pytest.fixture(scope="module")
def cluster(django_db_setup, tmp_path_factory):
    # Checked here rather than by the markers alone: this fixture starts before theirs is checked.
    if connection.vendor != "postgresql":
        skip_or_fail("the scale-out test needs PostgreSQL (DATABASE_URL)")
    if not settings.CELERY_BROKER_URL:
        skip_or_fail("the scale-out test needs a broker (CELERY_BROKER_URL=redis://…)")
    if "redis" not in settings.CACHES["default"]["BACKEND"].lower():
        skip_or_fail("the scale-out test needs the shared cache (CACHE_URL=redis://…)")
    here = tmp_path_factory.mktemp("scale-out")
    with running_cluster(here, extra_env={"RATE_LIMIT_LOGIN_FAILED": LOGIN_FAILED_LIMIT}) as nodes:
        yield nodes


@pytest.fixture
def nodes(cluster, transactional_db) -> Cluster:
    celery_app.conf.task_always_eager = False  # the letters' renders go through Redis
    return cluster


def with_web_password(user) -> None:
    """Store `user`'s password under a hasher the nodes accept: the tests' own (MD5, for speed) is
    not among the nodes' PASSWORD_HASHERS."""
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt())
    user.save(update_fields=["password"])


def try_sign_in(browser: Browser, node: WebNode, email: str, password: str = PASSWORD) -> Reply:
    login = reverse("account_login")
    page = browser.get(node, login)
    assert page.status == 200, page.status
    fields = {"csrfmiddlewaretoken": csrf_of(page.text), "login": email, "password": password}
    return browser.post(node, login, fields)


def signed_in(node: WebNode, user) -> Browser:
    browser = Browser()
    answer = try_sign_in(browser, node, user.email)
    assert (answer.status, answer.location) == (302, reverse("dashboard")), answer.status
    return browser


def test_evidence_uploaded_through_one_web_node_is_downloaded_through_the_other_from_the_bucket(
    nodes, owner_a
):
    web1, web2 = nodes.web
    with_web_password(owner_a)
    application = draft_application(owner=owner_a, attested=False)
    browser = signed_in(web1, owner_a)
    notes = f"Entry files are kept for five years. Batch {secrets.token_hex(8)}.\n".encode()
    uploads = {"SOP-08 retrieval.pdf": plain_pdf(), "linking notes.txt": notes}

    step = reverse("certification:wizard-step", args=[application.url_key, wizard.RECORDS])
    page = browser.get(web1, step)
    assert page.status == 200, page.status
    form = form_with(page.text, step)  # the step's fields, its CSRF token and version among them
    answer = browser.post_multipart(
        web1,
        step,
        [*form["fields"], ("action", "continue")],
        [("evidence", name, "application/octet-stream", data) for name, data in uploads.items()],
    )
    assert answer.status == 302, f"{answer.status}\n{nodes.logs()}"

    stored = {e.original_name: e for e in Evidence.objects.filter(application=application)}
    assert set(stored) == set(uploads)
    listing = nodes.bucket_listing()
    for name, data in uploads.items():
        evidence = stored[name]
        download = browser.get(web2, reverse("certification:evidence-download", args=[evidence.pk]))
        assert download.status == 200, download.status
        assert download.body == data
        assert download.headers["Content-Disposition"].startswith("attachment")
        # In the bucket, under the random name its row keeps, and private.
        assert listing[evidence.file.name] == len(data)
        assert nodes.stored_object(evidence.file.name) == data
        grants = nodes.s3.get_object_acl(Bucket=BUCKET, Key=evidence.file.name)["Grants"]
        assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
        assert all("URI" not in grant["Grantee"] for grant in grants)  # no AllUsers group
    assert nodes.files_on_disk() == []


def test_letters_rendered_by_each_worker_are_served_by_both_web_nodes(
    nodes, owner_a, reviewer, supervisor
):
    web1, web2 = nodes.web
    with_web_password(owner_a)
    task_of_letter: dict[int, str] = {}

    def note(sender=None, headers=None, body=None, **kwargs):
        task_of_letter[body[1]["letter_id"]] = headers["id"]

    after_task_publish.connect(note, sender=RENDER_TASK, weak=False)
    try:
        # One transaction, so the renders are sent together when it commits: while one worker
        # renders (taking no other message meanwhile: acks_late, a prefetch of one), the other
        # takes the next letter.
        with transaction.atomic():
            decisions = [
                decide(owner=owner_a, reviewer=reviewer, supervisor=supervisor, outcome=outcome)
                for outcome in ("denied", "denied", "denied", "certified")
            ]
    finally:
        after_task_publish.disconnect(note, sender=RENDER_TASK)
    letters = Letter.objects.filter(decision__in=decisions)
    assert sorted(task_of_letter) == sorted(letters.values_list("pk", flat=True))
    nodes.wait(
        lambda: letters.filter(status=LetterStatus.READY).count() == len(decisions),
        timeout=40,
        what=f"{len(decisions)} letters ready",
    )

    def renderers() -> dict[int, list[str]]:
        """Each letter's workers, from the line a worker logs when a task of its has run."""
        found: dict[int, list[str]] = {letter_id: [] for letter_id in task_of_letter}
        for hostname, worker in nodes.workers.items():
            log = worker.output()
            for letter_id, task_id in task_of_letter.items():
                if re.search(rf"{re.escape(RENDER_TASK)}\[{task_id}\] succeeded", log):
                    found[letter_id].append(hostname)
        return found if all(found.values()) else {}

    by_letter = nodes.wait(renderers, timeout=10, what="each render logged by its worker")
    assert all(len(hosts) == 1 for hosts in by_letter.values()), by_letter
    assert {hosts[0] for hosts in by_letter.values()} == set(nodes.workers), by_letter

    browser = signed_in(web2, owner_a)
    listing = nodes.bucket_listing()
    for letter in letters:
        path = reverse("certification:letter-download", args=[letter.pk])
        served = [browser.get(node, path) for node in (web1, web2)]
        assert [reply.status for reply in served] == [200, 200]
        assert [reply.headers["Content-Type"] for reply in served] == ["application/pdf"] * 2
        stored = nodes.stored_object(letter.file.name)
        assert listing[letter.file.name] == len(stored)
        assert stored.startswith(b"%PDF-")
        assert served[0].body == served[1].body == stored
        assert hashlib.sha256(stored).hexdigest() == letter.sha256  # as the worker recorded it
    assert nodes.files_on_disk() == []


def test_a_session_and_the_sign_in_limits_are_shared_by_the_web_nodes(nodes, owner_a, owner_b):
    web1, web2 = nodes.web
    with_web_password(owner_a)
    with_web_password(owner_b)

    # Signed in through node 1: node 2 knows the session, and signing out there ends it on node 1.
    browser = signed_in(web1, owner_a)
    dashboard = browser.get(web2, reverse("dashboard"))
    assert dashboard.status == 200, dashboard.location
    assert "Acme Imports LLC" in dashboard.text
    token = csrf_of(dashboard.text)
    assert (
        browser.post(web2, reverse("account_logout"), {"csrfmiddlewaretoken": token}).status == 302
    )
    assert browser.get(web1, reverse("dashboard")).location.startswith(reverse("account_login"))

    # One wrong password on each node reaches the limit of two, and the right one is then refused
    # by both, which neither would do counting alone.
    someone = Browser()
    for node in (web1, web2):
        wrong = try_sign_in(someone, node, owner_b.email, password="Not-The-Password-1")
        assert wrong.status == 200, wrong.status
        assert "not correct" in wrong.text and TOO_MANY not in wrong.text
    for node in (web1, web2):
        refused = try_sign_in(someone, node, owner_b.email)
        assert refused.status == 200 and TOO_MANY in refused.text, (
            refused.status,
            refused.location,
        )
    assert someone.get(web2, reverse("dashboard")).location.startswith(reverse("account_login"))
