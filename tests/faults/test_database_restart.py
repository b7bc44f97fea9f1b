"""PostgreSQL restarted under the service: a wizard step saved, and a decision issued, while the
database is down or going down.

The service runs in gunicorn against a PostgreSQL cluster of the test's own (tests/faults/services.py),
which the test stops and starts: between loading the page and sending it, and in the middle of the
request's transaction (held there by a table lock the test takes, then released by the server
ending every session as it stops). Either way the person gets a 503 page asking them to try again,
nothing of the save is in the database afterwards, and the same form sent again once the database is
back is saved whole.
"""

import json
import re
import subprocess
import sys
import threading
from contextlib import suppress
from html import unescape

import psycopg
import pytest
import requests
from django.urls import reverse

from certification.wizard import steps as wizard
from tests.faults.services import (
    ROOT,
    Gunicorn,
    PrivatePostgres,
    RedisServer,
    service_env,
    wait_for,
)

pytestmark = [pytest.mark.postgres]

DATABASE = "rkcp_faults"
BETWEEN = "between the page and the post"
MID_TRANSACTION = "in the middle of the save's transaction"


class Stack:
    def __init__(self, postgres: PrivatePostgres, web: Gunicorn, env: dict[str, str]):
        self.postgres = postgres
        self.web = web
        self.env = env

    def seed(self, scenario: str) -> dict:
        done = subprocess.run(
            [sys.executable, "-m", "tests.faults.seed", scenario],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(done.stdout.strip().splitlines()[-1])

    def one(self, sql: str, *params: object):
        return self.postgres.query(DATABASE, sql, *params)[0][0]

    def browser(self, session: str) -> requests.Session:
        browser = requests.Session()
        browser.cookies.set("sessionid", session, domain="127.0.0.1")
        return browser


@pytest.fixture(scope="module")
def stack(private_postgres, tmp_path_factory):
    """gunicorn serving from the private cluster, with a broker no worker reads: a decision's
    letter and emails stay asked for, where the test can see them."""
    with private_postgres.connect() as conn:
        conn.execute(f"CREATE DATABASE {DATABASE} TEMPLATE template_rkcp")
    broker = RedisServer()
    web = None
    try:
        broker.start()
        env = service_env(
            database_url=private_postgres.url(DATABASE),
            CELERY_BROKER_URL=broker.url(0),
            PRIVATE_MEDIA_ROOT=str(tmp_path_factory.mktemp("private-media")),
        )
        web = Gunicorn(env, tmp_path_factory.mktemp("gunicorn") / "gunicorn.log")
        yield Stack(private_postgres, web, env)
    finally:
        if web is not None:
            web.stop()
        broker.stop()
        if not private_postgres.running():
            private_postgres.start()
        with private_postgres.connect() as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


def hidden(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert match, f"no {name} on the page"
    return unescape(match.group(1))


def assert_try_again_page(answer: requests.Response, *, sent: bool) -> None:
    """503, plain words, nothing technical, an accessible page of the service's layout."""
    assert answer.status_code == 503, (answer.headers.get("Location"), answer.text[:2000])
    assert answer.headers["Content-Type"].startswith("text/html")
    assert int(answer.headers["Retry-After"]) > 0
    assert "no-store" in answer.headers["Cache-Control"]
    page = answer.text
    assert '<html lang="en">' in page
    assert re.search(r"<title>Sorry, the service is unavailable for a moment \|", page)
    assert len(re.findall(r"<h1[ >]", page)) == 1
    assert 'id="main-content"' in page and 'href="#main-content"' in page
    assert "The service could not reach its database" in page
    if sent:
        assert "Nothing from the page you were on was saved" in page
        assert "send them again" in page
    for technical in ("Traceback", "OperationalError", "psycopg", "connection", "Exception", "500"):
        assert technical not in page, technical


WAITING = "SELECT count(*), min(pid) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE %s"


def wait_for_lock_wait(stack: Stack, statement: str) -> int:
    """Until the request's transaction is waiting for the test's lock at `statement`; its
    server process's id."""
    wait_for(
        lambda: stack.one(WAITING, statement + "%"),
        timeout=20,
        what=f"the request waiting at {statement}",
    )
    return stack.postgres.query(DATABASE, WAITING, statement + "%")[0][1]


def post_while_the_database_goes_down(
    stack: Stack, browser: requests.Session, url: str, form: dict, *, moment: str, table: str
) -> requests.Response:
    """POST `form`, the database stopping at `moment`. MID_TRANSACTION: the request's transaction
    has made its first writes and waits for `table`, which the test holds locked, when its
    session is ended and the server stops."""
    if moment == BETWEEN:
        stack.postgres.stop()
        return browser.post(url, form, allow_redirects=False, timeout=60)
    answers: list[requests.Response] = []
    holder = stack.postgres.connect(DATABASE)
    holder.autocommit = False
    holder.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")  # reads go on; writes wait
    sender = threading.Thread(
        target=lambda: answers.append(browser.post(url, form, allow_redirects=False, timeout=60))
    )
    sender.start()
    try:
        verb = "UPDATE" if table == "certification_demonstrationresponse" else "INSERT INTO"
        waiting = wait_for_lock_wait(stack, f'{verb} "{table}"')
        # The request's session is ended first, while the lock still holds it back, and then the
        # server stops. Stopping the server alone ends every session at once, the test's lock
        # holder among them, and a request freed by the holder's end could finish its
        # transaction before its own end reached it (seen about once in five runs).
        stack.one("SELECT pg_terminate_backend(%s, 10000)", waiting)
        stack.postgres.stop()
    finally:
        sender.join(60)
        with suppress(psycopg.Error):
            holder.close()
    assert answers, "the request did not finish"
    return answers[0]


@pytest.mark.parametrize("moment", [BETWEEN, MID_TRANSACTION])
def test_a_wizard_step_saved_while_the_database_restarts_is_saved_whole_when_sent_again(
    stack, moment
):
    seed = stack.seed("wizard")
    application = seed["application"]
    url = stack.web.base + reverse("certification:wizard-step", args=[seed["key"], wizard.RECORDS])
    browser = stack.browser(seed["session"])
    page = browser.get(url, timeout=30)
    assert page.status_code == 200, page.text[:2000]
    version = stack.one("SELECT version FROM certification_application WHERE id = %s", application)
    events = stack.one(
        "SELECT count(*) FROM certification_event WHERE application_id = %s", application
    )
    form = {
        **seed["answers"],
        "retrieval_days": 7,
        "narrative": "Brokers' files are checked monthly, then filed by entry number.",
        "version": hidden(page.text, "version"),
        "csrfmiddlewaretoken": hidden(page.text, "csrfmiddlewaretoken"),
        "action": "continue",
    }

    answer = post_while_the_database_goes_down(
        stack, browser, url, form, moment=moment, table="certification_demonstrationresponse"
    )
    assert_try_again_page(answer, sent=True)
    assert_try_again_page(
        browser.get(stack.web.base + reverse("dashboard"), timeout=30), sent=False
    )

    stack.postgres.start()
    # Nothing of the save: not the answers, nor the version, the event or the attestation's removal
    # (the statements made before the transaction was cut off).
    assert (
        stack.one(
            "SELECT narrative FROM certification_demonstrationresponse "
            "WHERE application_id = %s AND demonstration = 'iii'",
            application,
        )
        == seed["narrative"]
    )
    assert (
        stack.one("SELECT version FROM certification_application WHERE id = %s", application)
        == version
    )
    assert (
        stack.one("SELECT count(*) FROM certification_event WHERE application_id = %s", application)
        == events
    )
    assert (
        stack.one(
            "SELECT count(*) FROM certification_attestation WHERE application_id = %s", application
        )
        == 1
    )

    again = browser.post(url, form, allow_redirects=False, timeout=30)
    assert again.status_code == 302, again.text[:2000]
    assert again.headers["Location"] == reverse(
        "certification:wizard-step", args=[seed["key"], wizard.INDIVIDUALS]
    )
    answers, narrative = stack.postgres.query(
        DATABASE,
        "SELECT answers, narrative FROM certification_demonstrationresponse "
        "WHERE application_id = %s AND demonstration = 'iii'",
        application,
    )[0]
    assert (answers["retrieval_days"], narrative) == (7, form["narrative"])
    assert (
        stack.one("SELECT version FROM certification_application WHERE id = %s", application)
        == version + 1
    )
    assert (
        stack.one("SELECT count(*) FROM certification_event WHERE application_id = %s", application)
        == events + 1
    )
    assert (
        stack.one(
            "SELECT count(*) FROM certification_attestation WHERE application_id = %s", application
        )
        == 0
    )


def decision_rows(stack: Stack, application: int) -> dict:
    return {
        "status": stack.one(
            "SELECT status FROM certification_application WHERE id = %s", application
        ),
        "decisions": stack.one(
            "SELECT count(*) FROM certification_decision WHERE application_id = %s", application
        ),
        "decided events": stack.one(
            "SELECT count(*) FROM certification_event WHERE application_id = %s "
            "AND verb = 'application.decided'",
            application,
        ),
        "letters": stack.one(
            "SELECT count(*) FROM certification_letter WHERE application_id = %s AND status = 'pending'",
            application,
        ),
    }


@pytest.mark.parametrize("moment", [BETWEEN, MID_TRANSACTION])
def test_a_decision_issued_while_the_database_restarts_is_recorded_whole_when_sent_again(
    stack, moment
):
    seed = stack.seed("decision")
    application = seed["application"]
    url = stack.web.base + reverse("reviews:sign-off", args=[application])
    browser = stack.browser(seed["session"])
    page = browser.get(url, timeout=30)
    assert page.status_code == 200, page.text[:2000]
    notifications = stack.one(
        "SELECT count(*) FROM certification_notification WHERE application_id = %s", application
    )
    form = {
        "decision": "certified",
        "csrfmiddlewaretoken": hidden(page.text, "csrfmiddlewaretoken"),
    }

    answer = post_while_the_database_goes_down(
        stack, browser, url, form, moment=moment, table="certification_letter"
    )
    assert_try_again_page(answer, sent=True)

    stack.postgres.start()
    assert decision_rows(stack, application) == {
        "status": "recommended",
        "decisions": 0,
        "decided events": 0,
        "letters": 0,
    }
    assert (
        stack.one(
            "SELECT count(*) FROM certification_notification WHERE application_id = %s", application
        )
        == notifications
    )

    again = browser.post(url, form, allow_redirects=False, timeout=30)
    assert again.status_code == 302, again.text[:2000]
    assert again.headers["Location"] == reverse("reviews:record", args=[application])
    assert decision_rows(stack, application) == {
        "status": "certified",
        "decisions": 1,
        "decided events": 1,
        "letters": 1,
    }
    # The applicant is told, in the service and (once a worker sends it) by email.
    assert (
        stack.one(
            "SELECT count(*) FROM certification_notification n JOIN certification_event e "
            "ON n.event_id = e.id WHERE e.application_id = %s AND e.verb = 'application.decided' "
            "AND n.recipient_id = %s AND n.send_email",
            application,
            seed["owner"],
        )
        == 1
    )
