"""The embedded default (what `make demo` serves: SQLite, Celery eager, runserver) under overlapping
requests, for real: the demo's configuration in a subprocess, several people signed in, and for
RUN_SECONDS 32 workers reading pages and htmx fragments while others save wizard steps and scores.

A page's own requests overlap (htmx fragments, an autosave, a second tab), and every request once
wrote the session, so SQLite's single writer turned into 500s ("database is locked") and 400s
(SessionInterrupted). Nothing here may answer 5xx or 400, lose a session, or lose a save.
"""

import http.client
import os
import re
import secrets
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.http_visitor import Answer, Visitor, csrf_of, form_with, value_of, with_values
from tests.processes import free_port
from tests.totp import fresh_totp_code

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Demo-Recordkeeping-2026"  # README's demo accounts
RUN_SECONDS = float(os.environ.get("RKCP_CONCURRENCY_SECONDS", "30"))
WORKERS = 32


@dataclass
class Demo:
    base: str
    log: Path
    database: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """`make demo`'s steps on a fresh SQLite file, served by runserver on a free port. Its
    collectstatic is left out: no static file is asked for here, and it takes half a minute."""
    here = tmp_path_factory.mktemp("embedded")
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in {"CELERY_BROKER_URL", "CACHE_URL", "EMAIL_URL"}
        and not name.startswith(("PYTEST", "DJANGO_", "AWS_"))
    }
    environment |= {
        "DATABASE_URL": f"sqlite:///{here / 'db.sqlite3'}",
        "PRIVATE_MEDIA_ROOT": str(here / "private-media"),
        "PYTHONUNBUFFERED": "1",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "--noinput"], ["seed_demo"], ["seed_demo_participants"]):
        subprocess.run(manage + command, env=environment, cwd=ROOT, check=True, capture_output=True)
    port = free_port()
    log = here / "server.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
            env=environment,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=2).connect()
                break
            except OSError:
                assert server.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "the demo server did not start"
                time.sleep(0.2)
        yield Demo(f"http://127.0.0.1:{port}", log, here / "db.sqlite3")
    finally:
        server.terminate()
        server.wait(timeout=10)


def sign_in(demo: Demo, email: str, totp_secret: str | None = None) -> Visitor:
    visitor = Visitor(demo.base)
    page = visitor.get("/accounts/login/")
    data = {"csrfmiddlewaretoken": csrf_of(page.body), "login": email, "password": PASSWORD}
    answer = visitor.post("/accounts/login/", data)
    if totp_secret:
        assert answer.location == "/accounts/2fa/authenticate/", (email, answer.status)
        page = visitor.get(answer.location)
        code = {"csrfmiddlewaretoken": csrf_of(page.body), "code": fresh_totp_code(totp_secret)}
        answer = visitor.post("/accounts/2fa/authenticate/", code)
    assert (answer.status, answer.location) == (302, "/dashboard/"), (email, answer.status)
    return visitor


@dataclass
class Tally:
    """What every worker saw: a status histogram and anything a person would call broken."""

    statuses: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    saves: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def check(self, who: str, method: str, path: str, answer: Answer, expect: set[int]) -> bool:
        with self.lock:
            self.statuses[answer.status] += 1
            if answer.status in expect:
                return True
            if len(self.problems) < 50:
                where = f" -> {answer.location}" if answer.location else ""
                self.problems.append(f"{who} {method} {path}: {answer.status}{where}")
            return False

    def problem(self, message: str) -> None:
        with self.lock:
            self.problems.append(message)

    def guarded(self, work, *args) -> threading.Thread:
        """A worker whose own failure (a timeout, a page without its form) is a problem too."""

        def run():
            try:
                work(*args)
            except Exception as error:
                self.problem(f"{work.__name__} stopped: {error!r}")

        return threading.Thread(target=run)


def read(visitor: Visitor, who: str, paths: list, tally: Tally, until: float) -> None:
    """Pages and htmx fragments, in no order: a person with several tabs and a busy page."""
    while time.monotonic() < until:
        path = secrets.choice(paths)
        if isinstance(path, tuple):  # an htmx fragment that posts the form it sits in
            path, data = path
            answer = visitor.post(path, data, HX_Request="true")
            tally.check(who, "POST", path, answer, {200})
        else:
            tally.check(who, "GET", path, visitor.get(path), {200})


def save_scores(visitor: Visitor, pk: int, tally: Tally, until: float) -> None:
    """The reviewer saves the rubric again and again, and each save must be there when read back."""
    page_path, number = f"/staff/applications/{pk}/", 0
    while time.monotonic() < until:
        number += 1
        page = visitor.get(page_path)
        if not tally.check("reviewer", "GET", page_path, page, {200}):
            continue
        form = form_with(page.body, f"/staff/applications/{pk}/scores")
        score, note = secrets.choice(["1", "2", "3"]), f"Seen under load, save {number}."
        fields = with_values(form["fields"], score_1=score, notes_1=note, panel="i")
        answer = visitor.post(form["action"], fields)
        if not tally.check("reviewer", "POST", form["action"], answer, {302}):
            continue
        back = form_with(visitor.get(page_path).body, f"/staff/applications/{pk}/scores")
        if (value_of(back["fields"], "score_1"), value_of(back["fields"], "notes_1")) != (
            score,
            note,
        ):
            tally.problem(f"reviewer's score save {number} did not land")
        tally.saves["scores"] += 1


def save_wizard(visitor: Visitor, pk: str, tally: Tally, until: float) -> None:
    """The applicant's answers saved step after step, as "Save and continue" and the autosave do."""
    steps, number = ["understanding", "employee-procedures", "records"], 0
    while time.monotonic() < until:
        number += 1
        path = f"/applications/{pk}/{steps[number % len(steps)]}/"
        page = visitor.get(path)
        if not tally.check("owner", "GET", path, page, {200}):
            continue
        narrative = f"Answered under load, save {number}."
        action = "autosave" if number % 2 else "continue"
        fields = with_values(form_with(page.body, path)["fields"], narrative=narrative)
        answer = visitor.post(path, with_values(fields, action=action))
        if not tally.check("owner", "POST", path, answer, {302}):
            continue
        if value_of(form_with(visitor.get(path).body, path)["fields"], "narrative") != narrative:
            tally.problem(f"owner's wizard save {number} ({path}) did not land")
        tally.saves["wizard steps"] += 1


def invite(visitor: Visitor, tally: Tally, until: float, sent: list[str]) -> None:
    """The owner invites colleagues; each invitation's email goes once its transaction commits."""
    path, number = "/organization/members/", 0
    while time.monotonic() < until:
        number += 1
        page = visitor.get(path)
        if not tally.check("owner", "GET", path, page, {200}):
            continue
        email = f"colleague{number}@acme-imports.example"
        answer = visitor.post(path, {"csrfmiddlewaretoken": csrf_of(page.body), "email": email})
        if tally.check("owner", "POST", path, answer, {302}):
            sent.append(email)
            tally.saves["invitations"] += 1
        time.sleep(0.5)


def test_the_embedded_database_is_written_ahead(demo):
    """WAL is a property of the file (settings' init_command made it so), so any connection sees it."""
    with sqlite3.connect(demo.database) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_overlapping_requests_on_the_embedded_default(demo, capsys):
    owner = sign_in(demo, "owner@acme-imports.example")
    member = sign_in(demo, "member@acme-imports.example")
    participant = sign_in(demo, "owner@fairview-medical.example")
    reviewer = sign_in(demo, "reviewer@cbp.example.gov", "JBSWY3DPEHPK3PXPJBSWY3DP")
    supervisor = sign_in(demo, "supervisor@cbp.example.gov", "KRSXG5CTMVRXEZLUKRSXG5CT")
    in_review = 3  # the application the reviewer scores
    with sqlite3.connect(demo.database) as connection:  # the demo's Acme draft, by its reference
        (draft,) = connection.execute(
            "SELECT reference FROM certification_application WHERE id = 1"
        ).fetchone()
    scores = form_with(reviewer.get(f"/staff/applications/{in_review}/").body, "/scores")
    totals = [
        (f"/staff/applications/{in_review}/scores/{part}/totals", scores["fields"])
        for part in ("i", "ii", "iii")
    ]
    participant_pages = sorted(set(re.findall(r'href="(/[^"#?]+)"', participant.get("/").body)))
    readers = [
        (owner, "owner", ["/dashboard/", f"/applications/{draft}/", "/organization/members/"], 6),
        (member, "member", [f"/applications/{draft}/records/", "/messages/", "/dashboard/"], 5),
        (
            participant,
            "participant",
            [p for p in participant_pages if not p.startswith(("/accounts/", "/static/"))],
            4,
        ),
        (reviewer, "reviewer", ["/staff/", f"/staff/applications/{in_review}/", *totals], 9),
        (supervisor, "supervisor", ["/staff/queue/", "/staff/", "/staff/applications/5/"], 5),
    ]
    tally, invited = Tally(), []
    until = time.monotonic() + RUN_SECONDS
    workers = [
        tally.guarded(save_scores, reviewer, in_review, tally, until),
        tally.guarded(save_wizard, owner, draft, tally, until),
        tally.guarded(invite, owner, tally, until, invited),
    ]
    for visitor, who, paths, count in readers:
        workers += [tally.guarded(read, visitor, who, paths, tally, until) for _ in range(count)]
    assert len(workers) == WORKERS
    started = time.monotonic()
    for worker in workers:
        # A tenth of a second apart: runserver keeps at most 10 connections waiting to be
        # accepted, and resets the rest of a burst (a browser keeps its few connections open).
        worker.start()
        time.sleep(0.1)
    for worker in workers:
        worker.join(timeout=RUN_SECONDS + 90)
    elapsed = time.monotonic() - started
    total = sum(tally.statuses.values())
    with capsys.disabled():
        print(
            f"\nEmbedded default, {WORKERS} workers for {elapsed:.1f} s (load average "
            f"{' / '.join(f'{n:.1f}' for n in os.getloadavg())}): {total} requests, "
            f"{total / elapsed:.1f}/s; statuses {dict(sorted(tally.statuses.items()))}; "
            f"saves {dict(tally.saves)}"
        )

    assert not [s for s in tally.statuses if s >= 500 or s == 400], tally.problems
    assert tally.problems == []
    assert min(tally.saves[kind] for kind in ("scores", "wizard steps", "invitations")) > 0
    output = demo.output()
    assert "database is locked" not in output and "Traceback" not in output, output[-3000:]
    # Eager Celery sent each invitation's email inside its request, to the console.
    assert [email for email in invited if f"To: {email}" not in output] == []
