"""Benchmark: every page of the review queue, and the workspace, against a fair floor.

    python -m bench.queue [--applications {10000,100000,1000000}] [--growth [--sizes A,B,C]]
                          [--rounds 100] [--warmup 20] [--old-baseline] [--deep-page N]
                          [--show-queries] [--explain] [--profile N]

The floor (`bench.queue_floor`) reads 25 application rows through an index and renders them
through the site's layout, behind the same login, middleware, session and second factor as the
queue. A supervisor (with an authenticator, as staff must have) asks for the queue's pages
(`bench.queue_pages`): the first page, two filtered and sorted pages, a port filter, a search by
an importer's name, by two common words of it and by an importer number, a page half-way
through the list (page 2,000 of 4,000 at 100,000 applications) and the last page; a reviewer
opens the workspace of the application they are reviewing. All through `django.test.Client` in this process, interleaved
with the floor round after round; each answer is checked (200, and exactly the rows expected).
Reported per page: median and 90th percentile, the median time executing SQL, and both ratios to
the floor's. `--old-baseline` times the old baseline (`bench.queue_baseline`) too, and prints
the row the old table had.

Queries are counted for every page with 10 applications, 1,000 and all of them (the counts not
cached, as after a workflow move: the most a page runs); each page's must be the same at every
size where it has rows. `seed_scale` makes the applications; how long it took is printed.

`--growth` runs the sizes one after another in one database (10,000, then 90,000 more, then
900,000 more) and reports each page's ratio at the largest over its ratio at the smallest.

Exits 1 when a page's ratio exceeds `MAX_RATIO` (median or p90) at any size measured, when a
page's query count changes with the size, when the first page runs more queries than its test
allows (`tests/reviews/test_queue_scale.py`), or, with `--growth`, when a page's median ratio grows
by more than `MAX_GROWTH`. See docs/benchmarks.md.
"""

import argparse
import io
import sys
import time
from urllib.parse import urlencode

from bench import common, queue_pages, queue_report

FEW, SOME = 10, 1_000
SIZES = (10_000, 100_000, 1_000_000)
FLOOR, OLD, WORKSPACE = "floor", "old baseline", "workspace"


class Bench:
    """A supervisor and a reviewer signed in, the reviewer's application in review, the pages."""

    def __init__(self) -> None:
        from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
        from django.test import Client
        from django.urls import reverse

        from certification import workflow
        from recordkeepers.models import Membership, StaffRole
        from reviews.services import review_claim
        from tests.factories import MembershipFactory, draft_application, staff_user

        supervisor = staff_user(StaffRole.SUPERVISOR, email="supervisor@bench.example.gov")
        self.supervisor_user = supervisor
        reviewer = staff_user(StaffRole.REVIEWER, email="reviewer@bench.example.gov")
        self.clients = {}
        for person in (supervisor, reviewer):
            TOTP.activate(person, generate_totp_secret())
            self.clients[person.pk] = Client()
            self.clients[person.pk].force_login(person)
        self.supervisor = self.clients[supervisor.pk]
        # A whole application (answers, attestation, events), in review by its reviewer.
        owner = MembershipFactory(role=Membership.Role.OWNER).user
        self.application = draft_application(owner=owner)
        workflow.application_submit(application=self.application, actor=owner)
        review_claim(application=self.application, actor=reviewer, no_conflict=True)
        self.queue = reverse("reviews:queue")
        self.urls = {
            FLOOR: reverse("bench-queue-floor"),
            OLD: reverse("bench-latest-applications"),
            WORKSPACE: reverse("reviews:workspace", args=[self.application.pk]),
        }
        self.client_of = {WORKSPACE: self.clients[reviewer.pk]}
        self.expected_rows: dict[str, int] = {FLOOR: 25, OLD: 25}
        self.in_database = 0.0  # of the last request: seconds spent executing SQL

    def add(self, page: queue_pages.Page) -> None:
        self.urls[page.name] = page.url
        self.expected_rows[page.name] = len(page.expected)

    def _timed(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.in_database += time.perf_counter() - started

    def fetch(self, url: str) -> bytes:
        response = self.supervisor.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: {response.status_code} {response.get('Location', '')}")
        return response.content

    def probe(self, url: str) -> bytes:
        """The page, or nothing when it is refused (a page past the end, say)."""
        import logging

        quiet = logging.getLogger("django.request")
        level = quiet.level
        quiet.setLevel(logging.ERROR)  # a refused page is an answer here, not a warning
        try:
            response = self.supervisor.get(url)
        finally:
            quiet.setLevel(level)
        if 400 <= response.status_code < 500:
            return b""
        if response.status_code != 200:
            raise SystemExit(f"{url}: {response.status_code} {response.get('Location', '')}")
        return response.content

    def link_after(self, query: dict[str, str], at: str, pk: int, number: int) -> str:
        """The address of page `number` of the listing `query` asks for, as "Next" on the page
        before would make it, that page ending with application `pk` (the queue's own helper,
        `link_after_row`, so that a deep page is reached without following "Next" to it)."""
        from django.http import QueryDict

        from reviews.forms import QueueFilterForm
        from reviews.selectors import QueueFilters, reviewer_choices
        from reviews.selectors.queue_pages import link_after_row

        filters = QueueFilters()
        if query:
            data = QueryDict(mutable=True)
            data.update(query)
            filters = QueueFilterForm(data, reviewers=reviewer_choices()).filters()
        parameters = link_after_row(
            user=self.supervisor_user, filters=filters, at=at, pk=pk, number=number
        )
        return f"{self.queue}?{urlencode(query | parameters)}"

    def get(self, name: str) -> float:
        """One GET of the page, timed; checks it answered 200 with the rows it must show."""
        from django.db import connection

        self.in_database = 0.0
        with connection.execute_wrapper(self._timed):
            started = time.perf_counter()
            response = self.client_of.get(name, self.supervisor).get(self.urls[name])
            elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"{name}: {response.status_code} {response.get('Location', '')}")
        content = response.content
        if name == WORKSPACE:
            if f"Review of {self.application.reference}".encode() not in content:
                raise SystemExit(f"{name}: not the workspace of {self.application.reference}")
            return elapsed
        shown = (
            content.count(b"<tr data-row")
            if name in (FLOOR, OLD)
            else len(queue_pages.shown(content))
        )
        if shown != self.expected_rows[name]:
            raise SystemExit(f"{name}: shows {shown} rows, expected {self.expected_rows[name]}")
        return elapsed

    def request(self, name: str):
        return lambda: self.get(name)


def _seed(applications: int) -> float:
    """Add `applications` with seed_scale, then VACUUM ANALYZE; the seconds seeding took."""
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    out = io.StringIO()
    # A seed of its own each time: seed_scale adds to what is there.
    call_command("seed_scale", applications=applications, seed=applications, force=True, stdout=out)
    seeded = time.perf_counter() - started
    # What autovacuum would soon do after a bulk load: planner statistics, and the visibility map
    # that lets counts use index-only scans.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    # Seeding moves nothing in the workflow, so the queue's cached counts are cleared by hand.
    cache.clear()
    print(
        f"{out.getvalue().strip()} VACUUM ANALYZE: {time.perf_counter() - started - seeded:.1f} s.",
        file=sys.stderr,
    )
    return seeded


def _count_queries(bench: Bench, names: list[str]) -> dict[str, list[str]]:
    """The statements of one request of each page, with the queue's counts not cached (the first
    request after a workflow move: the most a page runs) and no session refresh among them."""
    from django.core.cache import cache

    statements: dict[str, list[str]] = {}
    for name in names:
        for _ in range(3):
            bench.get(name)  # a refresh of the session's idle timeout, when due, happens here
            cache.clear()
            statements[name] = common.queries(bench.request(name))
            if not any(
                sql.lstrip().upper().startswith("UPDATE") and "django_session" in sql
                for sql in statements[name]
            ):
                break
    return statements


def _time(bench: Bench, names: list[str], rounds: int, warmup: int) -> tuple[dict, dict]:
    """Untimed rounds, then timed ones, rotating which page goes first so that none always runs
    after another's garbage; each page's times and times executing SQL."""
    for _ in range(warmup):
        for name in names:
            bench.get(name)
    samples: dict[str, list[float]] = {name: [] for name in names}
    in_database: dict[str, list[float]] = {name: [] for name in names}
    for index in range(rounds):
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            samples[name].append(bench.get(name))
            in_database[name].append(bench.in_database)
    return samples, in_database


def run(
    *,
    sizes: list[int],
    rounds: int,
    warmup: int,
    old_baseline: bool,
    deep_page: int,
    show_queries: bool,
    explain: bool,
    profile: int,
) -> int:
    from django.test.utils import override_settings

    from bench import queue_floor  # imports models: once Django is set up
    from certification.models import Application

    # The first page's query budget is stated once, in the test that pins it.
    from tests.reviews.test_queue_scale import QUEUE_PAGE_QUERIES, SESSION_SAVE_QUERIES

    stages: list[queue_report.Stage] = []
    queries: dict[str, dict[int, int]] = {}
    kinds: dict[str, dict[int, str]] = {}  # how each page is reached at each size
    with override_settings(ROOT_URLCONF="bench.queue_floor"):
        bench = Bench()  # its application is one of the first ten
        seeding, total = _seed(FEW - 1), FEW
        terms = queue_pages.search_terms(exclude=bench.application.pk)
        pages = queue_pages.pages(terms=terms)
        if deep_page:
            next(page for page in pages if page.number == queue_pages.DEEP).number = deep_page
        for size in sorted({FEW, SOME, *sizes}):
            if size > total:
                seeding, total = seeding + _seed(size - total), size
            names = [*queue_pages.prepare(bench, pages, size), WORKSPACE]
            bench.get(WORKSPACE)
            # The floor lists 25 of every application there is.
            for name in (FLOOR, OLD):
                bench.expected_rows[name] = min(25, Application.objects.count())
            statements = _count_queries(bench, [FLOOR, *([OLD] if old_baseline else []), *names])
            for name, sql in statements.items():
                queries.setdefault(name, {})[size] = len(sql)
            for page in pages:
                if page.name in names:
                    kinds.setdefault(page.name, {})[size] = queue_pages.kind(page.url, page)
            if size not in sizes:
                continue
            plan = queue_floor.checked_plan()
            timed = [FLOOR, *([OLD] if old_baseline else []), *names]
            samples, in_database = _time(bench, timed, rounds, warmup)
            stage = queue_report.Stage(
                size=size,
                seeding=seeding,
                rounds=rounds,
                warmup=warmup,
                floor_plan=plan,
                samples=samples,
                in_database=in_database,
                urls={p.name: p.url for p in pages if p.name in names},
            )
            queue_report.print_stage(stage, queries, common.machine())
            stages.append(stage)
        if explain:
            for name, sql in statements.items():
                queue_report.explain(name, sql)
        if profile:
            for name in timed:
                common.profile(name, bench.request(name), profile)
    if show_queries:
        for name, sql in statements.items():
            print(f"--- {name} queries", file=sys.stderr)
            for number, statement in enumerate(sql, 1):
                print(f"{number:3}  {statement}", file=sys.stderr)
    failures = queue_report.failures(
        stages, queries, kinds, first_page_budget=QUEUE_PAGE_QUERIES - SESSION_SAVE_QUERIES
    )
    if len(stages) > 1:
        failures += queue_report.growth(stages)
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    return 1 if failures else 0


def _sizes(text: str) -> list[int]:
    sizes = sorted({int(size.replace("_", "").replace(",", "")) for size in text.split(",")})
    if len(sizes) < 2 or sizes[0] < SOME:
        raise argparse.ArgumentTypeError(f"two or more sizes of at least {SOME}, e.g. 1000,10000")
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.queue", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--applications",
        type=int,
        default=100_000,
        help="applications in the queue, made by seed_scale: 10000, 100000 (the default) or "
        "1000000; at least 1000",
    )
    parser.add_argument(
        "--growth",
        action="store_true",
        help="run at each of --sizes in one database and report each page's ratio growth",
    )
    parser.add_argument(
        "--sizes",
        type=_sizes,
        default=list(SIZES),
        help="with --growth: the sizes, comma-separated (default 10000,100000,1000000)",
    )
    parser.add_argument("--rounds", type=int, default=100, help="timed rounds (default 100)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed rounds first (default 20)")
    parser.add_argument(
        "--old-baseline",
        action="store_true",
        help="time the old baseline (no index) too, and print the old table's row",
    )
    parser.add_argument(
        "--deep-page",
        type=int,
        default=0,
        metavar="N",
        help="the deep page's number (default: half-way through the queue)",
    )
    parser.add_argument(
        "--show-queries", action="store_true", help="print the SQL of one request of each page"
    )
    parser.add_argument(
        "--explain", action="store_true", help="EXPLAIN ANALYZE each page's SELECTs (PostgreSQL)"
    )
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="after timing, profile N more requests of each page: time in SQL, then cProfile",
    )
    args = parser.parse_args(argv)
    if args.rounds < 10:
        parser.error("--rounds must be at least 10")
    # Page 3 of the narrow filter needs enough applications to have a page 3.
    if args.applications < SOME:
        parser.error(f"--applications must be at least {SOME}")
    sizes = args.sizes if args.growth else [args.applications]
    return common.in_throwaway_database(
        lambda: run(
            sizes=sizes,
            rounds=args.rounds,
            warmup=args.warmup,
            old_baseline=args.old_baseline,
            deep_page=args.deep_page,
            show_queries=args.show_queries,
            explain=args.explain,
            profile=args.profile,
        )
    )


if __name__ == "__main__":
    sys.exit(main())
