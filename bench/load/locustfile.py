"""The simulated people of the load test (`python -m bench.load` runs this; see its docstring).

Each simulated person signs in with an account of their own (LOAD_PERSONAS, made by
bench/load/personas.py), so each has its own session cookie and CSRF token, read off the pages as a
browser would. Staff answer the TOTP step with their own secret. Requests are timed from the moment
everyone has signed in, for LOAD_SECONDS; then the run stops itself and writes what it measured to
LOAD_WINDOW (bench/load/report.py reads it). Redirects are never followed silently: each request
says what status it expects, and anything else is an error.
"""

import itertools
import json
import os
import random
import time
from urllib.parse import urljoin

import gevent
from gevent.event import Event
from locust import HttpUser, between, constant, events, task
from locust.exception import StopUser

from bench.load import pages
from tests.pdfs import plain_pdf

PASSWORD = "Demo-Recordkeeping-2026"  # noqa: S105 - the demo's (README.md), for every load account
PERSONAS = json.loads(open(os.environ["LOAD_PERSONAS"], encoding="utf-8").read())  # noqa: SIM115
USERS = int(os.environ["LOAD_USERS"])
SECONDS = float(os.environ["LOAD_SECONDS"])
SIGN_IN = "sign in"
# The queue benchmark's fair floor (bench/queue_floor.py), when the runner routes it.
FAIR_FLOOR = bool(os.environ.get("LOAD_FAIR_FLOOR"))
STEPS = ["organization", "business", "understanding", "employee-procedures", "records"]
SEARCHES = ["Harbor", "Summit Trading", "Pacific"]
PORTS = ["2704", "1001", "5301"]
# Each person waits this long between tasks, in seconds, at random.
WAIT_AT_LEAST, WAIT_AT_MOST = 0.5, 2.5
EVIDENCE = plain_pdf()

_everyone_in = Event()
_arrived = itertools.count(1)
_accounts = {kind: itertools.cycle(PERSONAS[kind]) for kind in PERSONAS}
# What the report reads: each timed request, and each error whenever it happened.
measured: dict = {
    "window": [None, None],
    "samples": {},
    "timeline": [],  # (when it ended, ms, name) of each: where the slowest fell
    "errors": [],
    "signed_in": 0,
}


def _arrive() -> None:
    """One more person ready; the last one starts the clock and schedules the end."""
    if next(_arrived) == USERS:
        measured["window"][0] = time.time()
        _everyone_in.set()
        gevent.spawn_later(SECONDS, _stop)


def _wait_for_everyone() -> None:
    if not _everyone_in.wait(timeout=180):
        raise RuntimeError("not everyone signed in within 180 s")


def _stop() -> None:
    measured["window"][1] = time.time()
    _environment.runner.quit()


_environment = None


@events.init.add_listener
def _keep(environment, **_kwargs) -> None:
    global _environment
    _environment = environment


@events.request.add_listener
def _record(request_type, name, response_time, exception, context, **_kwargs) -> None:
    if exception is not None:
        measured["errors"].append(f"{request_type} {name}: {exception}")
    elif _everyone_in.is_set() and measured["window"][1] is None:
        measured["samples"].setdefault(name, []).append(response_time)
        measured["timeline"].append((time.time(), response_time, name))


@events.user_error.add_listener
def _user_error(user_instance, exception, tb, **_kwargs) -> None:
    measured["errors"].append(f"{type(user_instance).__name__}: {exception!r}")


@events.quitting.add_listener
def _write(environment, **_kwargs) -> None:
    if measured["window"][1] is None:
        measured["window"][1] = time.time()
    with open(os.environ["LOAD_WINDOW"], "w", encoding="utf-8") as out:
        json.dump(measured, out)


class Person(HttpUser):
    abstract = True
    wait_time = between(WAIT_AT_LEAST, WAIT_AT_MOST)

    def request(self, method: str, name: str, path: str, *, expect: int, **kwargs):
        """One request, marked as an error unless it answers `expect`."""
        with self.client.request(
            method, path, name=name, allow_redirects=False, catch_response=True, **kwargs
        ) as response:
            if response.status_code != expect:
                where = response.headers.get("Location", "")
                response.failure(f"{response.status_code} (expected {expect}) {where}".strip())
            return response

    def get(self, name: str, path: str, *, expect: int = 200):
        return self.request("GET", name, path, expect=expect)

    def post_form(self, name: str, page, path: str, *, expect: int = 302, button=None, **kw):
        """Send the form of `page` that posts to `path`, as a person pressing `button` would."""
        form = pages.form_posting_to(page.text, path)
        return self.request(
            "POST", name, form.action or path, expect=expect, data=form.data(button=button, **kw)
        )

    def sign_in(self, email: str, secret: str | None) -> None:
        page = self.get(f"{SIGN_IN}: page", "/accounts/login/")
        form = pages.form_posting_to(page.text, "/accounts/login/")
        data = [(k, v) for k, v in form.data() if k not in {"login", "password"}]
        data += [("login", email), ("password", PASSWORD)]
        response = self.request(
            "POST", f"{SIGN_IN}: password", "/accounts/login/", expect=302, data=data
        )
        if secret:
            step = response.headers.get("Location", "")
            page = self.get(f"{SIGN_IN}: code page", step)
            form = pages.form_posting_to(page.text, step)
            # A code with some of its 30 seconds left, so that it is still current when checked.
            if pages.seconds_left_in_period() < 4:
                gevent.sleep(pages.seconds_left_in_period() + 0.1)
            data = [(k, v) for k, v in form.data() if k != "code"]
            data.append(("code", pages.totp_code(secret)))
            response = self.request("POST", f"{SIGN_IN}: code", step, expect=302, data=data)
        if response.headers.get("Location") != "/dashboard/":
            raise StopUser()
        measured["signed_in"] += 1

    def on_start(self) -> None:
        try:
            self.sign_in(**self.account())
        finally:
            _arrive()
        _wait_for_everyone()
        # Everyone is let go at the same instant; were they all to ask for a page at once, the
        # first seconds would measure one burst of 50 requests (and the bursts after it, as they
        # all wait and come back together), not 50 people each at their own pace. Each starts at
        # a moment of their own within one wait, as they would be when the clock starts.
        gevent.sleep(random.uniform(0, WAIT_AT_MOST))  # noqa: S311

    def account(self) -> dict:
        raise NotImplementedError


class Applicant(Person):
    weight = 4

    def account(self) -> dict:
        persona = next(_accounts["applicants"])
        self.application = persona["application"]
        return {"email": persona["email"], "secret": None}

    def step(self, slug: str) -> str:
        return f"/applications/{self.application}/{slug}/"

    @task(3)
    def open_step(self) -> None:
        self.get("applicant: open a step", self.step(random.choice(STEPS)))  # noqa: S311

    @task(3)
    def save_step(self) -> None:
        path = self.step(random.choice(STEPS))  # noqa: S311
        page = self.get("applicant: open a step", path)
        self.post_form("applicant: save a step", page, path, button="Save and continue")

    @task(1)
    def upload_evidence(self) -> None:
        path = self.step("understanding")
        page = self.get("applicant: open a step", path)
        form = pages.form_posting_to(page.text, path)
        self.request(
            "POST",
            "applicant: upload evidence",
            form.action,
            expect=302,
            data=form.data(button="Save and continue"),
            files={"evidence": ("records-policy.pdf", EVIDENCE, "application/pdf")},
        )

    @task(1)
    def check_answers(self) -> None:
        self.get("applicant: check your answers", self.step("check-your-answers"))

    @task(1)
    def dashboard(self) -> None:
        self.get("applicant: dashboard", "/dashboard/")


class Reviewer(Person):
    weight = 4

    def account(self) -> dict:
        persona = next(_accounts["reviewers"])
        self.applications = persona["applications"]
        return {"email": persona["email"], "secret": persona["secret"]}

    @task(3)
    def first_page(self) -> None:
        self.get("queue: first page", "/staff/queue/")

    @task(2)
    def filtered(self) -> None:
        self.get("queue: status and sort", "/staff/queue/?status=submitted&sort=age")

    @task(1)
    def port(self) -> None:
        self.get("queue: port", f"/staff/queue/?port={random.choice(PORTS)}")  # noqa: S311

    @task(2)
    def search(self) -> None:
        self.get("queue: search", f"/staff/queue/?search={random.choice(SEARCHES)}")  # noqa: S311

    @task(1)
    def numbered_then_next(self) -> None:
        """From the first page, the furthest page the pager numbers, then Next past it."""
        path = "/staff/queue/"
        page = self.get("queue: first page", path)
        link = pages.furthest_page(page.text)
        if link is None:
            return
        path = urljoin(path, link)
        page = self.get("queue: numbered page", path)
        link = pages.pager_link(page.text, "Next page")
        if link is not None:
            self.get("queue: deep page", urljoin(path, link))

    @task(1)
    def last_then_previous(self) -> None:
        """From the first page, the last page, then Previous from there: the deepest pages."""
        path = "/staff/queue/"
        page = self.get("queue: first page", path)
        link = pages.pager_link(page.text, "last page")
        if link is None:
            return
        path = urljoin(path, link)
        page = self.get("queue: last page", path)
        link = pages.pager_link(page.text, "Previous page")
        if link is not None:
            self.get("queue: deep page", urljoin(path, link))

    @task(3)
    def workspace(self) -> None:
        self.get("workspace", f"/staff/applications/{random.choice(self.applications)}/")  # noqa: S311

    @task(2)
    def save_scores(self) -> None:
        path = f"/staff/applications/{random.choice(self.applications)}/"  # noqa: S311
        page = self.get("workspace", path)
        form = pages.form_posting_to(page.text, f"{path}scores")
        scores = {
            name: random.choice([v for v in values if v.isdigit()])  # noqa: S311
            for name, values in form.radios.items()
            if name.startswith("score_")
        }
        self.request(
            "POST",
            "workspace: save scores",
            form.action,
            expect=302,
            data=form.data(button="Save all scores", choose=scores),
        )

    @task(1)
    def dashboard(self) -> None:
        self.get("staff dashboard", "/staff/")


class Supervisor(Person):
    weight = 1
    # Each supervisor certifies the applications kept for them (bench/load/personas.py) at task
    # numbers drawn for each between these: at about 1.5 s a task, spread over the run's first
    # 50 s rather than all at its start (the worker then renders a letter or two at a time, not
    # all of them while everyone starts).
    SIGN_OFF_BETWEEN = (3, 33)

    def account(self) -> dict:
        persona = next(_accounts["supervisors"])
        self.sign, self.view, self.done = list(persona["sign"]), persona["view"], 0
        self.sign_off_at = set(random.sample(range(*self.SIGN_OFF_BETWEEN), len(self.sign)))
        return {"email": persona["email"], "secret": persona["secret"]}

    @task
    def work(self) -> None:
        self.done += 1
        if self.sign and self.done in self.sign_off_at:
            self.sign_off()
        else:
            random.choices(  # noqa: S311
                [self.sign_off_page, self.queue, self.dashboard], weights=[3, 2, 1]
            )[0]()

    def sign_off_page(self) -> None:
        self.get("sign-off page", f"/staff/applications/{self.view}/sign-off")

    def sign_off(self) -> None:
        """Certify the next application kept for this person to sign off: a letter and an email
        for the worker."""
        path = f"/staff/applications/{self.sign.pop()}/sign-off"
        page = self.get("sign-off page", path)
        self.post_form("sign-off: certify", page, path, choose={"decision": "certified"})

    def queue(self) -> None:
        self.get("queue: first page", "/staff/queue/")

    def dashboard(self) -> None:
        self.get("staff dashboard", "/staff/")


class Floor(HttpUser):
    """The floor every page is held to, probed all through the run: every 0.1 s, some 600 times,
    because its p95 is what every page is divided by. Probed every 0.25 s (230 samples), the same
    service's /healthz p95 came out anywhere from 18 to 54 ms from one run to the next, while the
    pages' p95s held steady; a probe costs 2 ms of one core."""

    fixed_count = 1
    wait_time = constant(0.1)

    def on_start(self) -> None:
        _arrive()
        _wait_for_everyone()

    @task
    def healthz(self) -> None:
        with self.client.get(
            "/healthz", name="/healthz", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} (expected 200)")


class FairFloor(Person):
    """The queue benchmark's fair floor, probed all through the run by a signed-in reviewer: 25
    rows read through an index, rendered through the site's layout (bench/queue_floor.py)."""

    abstract = not FAIR_FLOOR
    fixed_count = 1
    wait_time = constant(0.25)

    def account(self) -> dict:
        persona = next(_accounts["reviewers"])
        return {"email": persona["email"], "secret": persona["secret"]}

    @task
    def fair_floor(self) -> None:
        self.get("fair floor", "/bench/queue-floor")
