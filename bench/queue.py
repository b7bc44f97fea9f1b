"""Benchmark: the review queue's pages over 100,000 applications, against a baseline page listing
25 rows of the same table.

    python -m bench.queue [--applications 100000] [--rounds 100] [--warmup 20] [--show-queries]
                          [--explain] [--profile N]

A supervisor (with an authenticator, as staff must have) signed in with `force_login` asks for
the queue's first page and two filtered, sorted pages, and a baseline page (`bench.queue_baseline`)
that lists 25 applications with one query and no joins. All GETs go through `django.test.Client`
in this process, interleaved round after round, as in `bench.step_save`; what counts is each
page's median over the baseline's. Reported for each: the median and 90th percentile, and the
median time spent executing SQL (the rest is Python: the view, the ORM, the template). The
applications are made by `manage.py seed_scale`.

Before that, with 10 applications, it counts the first page's queries; after seeding, it counts
them again. Exits 1 when a ratio exceeds `MAX_RATIO`, when the two counts differ, or when the page
runs more queries than its test allows (`tests/reviews/test_queue_scale.py`).

The database is chosen as for `bench.step_save`, and is likewise a throwaway test database. See
docs/benchmarks.md.
"""

import argparse
import io
import statistics
import sys
import time

from bench import common
from bench.common import MAX_RATIO, MS, p90

FEW = 10
BASELINE = "baseline"
FIRST_PAGE = "first page"
# The two filtered pages: a narrow filter deep into the results, sorted by age; and a filter that
# matches many (unassigned at the busiest port), sorted by import volume.
PAGES = {
    FIRST_PAGE: "",
    "size, flag, age, page 3": "?size_class=small&risk_flag=fta&sort=age&page=3",
    "unassigned, port, volume": "?assigned=unassigned&port=2704&sort=volume",
}


class Bench:
    """A supervisor signed in, and the pages to time."""

    def __init__(self) -> None:
        from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
        from django.test import Client
        from django.urls import reverse

        from recordkeepers.models import StaffRole
        from tests.factories import staff_user

        supervisor = staff_user(StaffRole.SUPERVISOR, email="supervisor@bench.example.gov")
        TOTP.activate(supervisor, generate_totp_secret())
        self.client = Client()
        self.client.force_login(supervisor)
        queue = reverse("reviews:queue")
        self.urls = {BASELINE: reverse("bench-latest-applications")} | {
            name: queue + query for name, query in PAGES.items()
        }
        self.in_database = 0.0  # of the last request: seconds spent executing SQL

    def _timed(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.in_database += time.perf_counter() - started

    def get(self, name: str, *, rows: int | None = 25) -> float:
        """One GET of the page; checks it answered with `rows` rows (any number when None)."""
        from django.db import connection

        self.in_database = 0.0
        with connection.execute_wrapper(self._timed):
            started = time.perf_counter()
            response = self.client.get(self.urls[name])
            elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"{name}: {response.status_code} {response.get('Location', '')}")
        # The baseline marks its rows; the queue has a supervisor's checkbox on each.
        marker = b"<tr data-row>" if name == BASELINE else b'name="applications"'
        shown = response.content.count(marker)
        if rows is not None and shown != rows:
            raise SystemExit(f"{name}: expected {rows} rows, the page shows {shown}")
        return elapsed

    def request(self, name: str):
        return lambda: self.get(name, rows=None)


def _seed(applications: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    out = io.StringIO()
    call_command("seed_scale", applications=applications, force=True, stdout=out)
    print(out.getvalue().strip(), file=sys.stderr)
    # What autovacuum would soon do after a bulk load: planner statistics, and the visibility map
    # that lets counts use index-only scans. Without it the first minutes of timings would differ
    # from the rest for a reason no production queue has.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def _explain(name: str, statements: list[str]) -> None:
    """EXPLAIN ANALYZE each SELECT of a page (PostgreSQL only)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        print("--explain needs PostgreSQL", file=sys.stderr)
        return
    with connection.cursor() as cursor:
        for number, sql in enumerate(statements, 1):
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plan = "\n".join(line for (line,) in cursor.fetchall())
            print(f"--- {name}, query {number}\n{sql}\n{plan}", file=sys.stderr)


def run(
    *,
    applications: int,
    rounds: int,
    warmup: int,
    show_queries: bool,
    explain: bool,
    profile: int,
) -> int:
    from django.core.cache import cache
    from django.test.utils import override_settings

    # The query budget is stated once, in the test that pins it and says what each query is.
    from tests.reviews.test_queue_scale import QUEUE_PAGE_QUERIES

    with override_settings(ROOT_URLCONF="bench.queue_baseline"):
        bench = Bench()
        _seed(FEW)
        bench.get(FIRST_PAGE, rows=FEW)  # the first request of a process makes the settings row
        # The queries are counted with the queue's counts not cached (the first request after a
        # workflow move): the most a page runs. Seeding moves nothing in the workflow, so the cache
        # is cleared by hand here; the timed rounds then read the counts as they are between moves.
        cache.clear()
        few_queries = common.queries(bench.request(FIRST_PAGE))
        _seed(applications - FEW)
        cache.clear()
        many_queries = common.queries(bench.request(FIRST_PAGE))

        for _ in range(warmup):
            for name in bench.urls:
                bench.get(name)
        samples: dict[str, list[float]] = {name: [] for name in bench.urls}
        in_database: dict[str, list[float]] = {name: [] for name in bench.urls}
        names = list(bench.urls)
        for index in range(rounds):
            # Rotate which goes first, so none always runs after another's garbage.
            shift = index % len(names)
            for name in names[shift:] + names[:shift]:
                samples[name].append(bench.get(name))
                in_database[name].append(bench.in_database)
        page_queries = {name: common.queries(bench.request(name)) for name in bench.urls}
        if explain:
            for name, statements in page_queries.items():
                _explain(name, statements)
        if profile:
            for name in bench.urls:
                common.profile(name, bench.request(name), profile)

    if show_queries:
        for name, statements in page_queries.items():
            print(f"--- {name} queries", file=sys.stderr)
            for number, sql in enumerate(statements, 1):
                print(f"{number:3}  {sql}", file=sys.stderr)
    host = common.machine()
    baseline = statistics.median(samples[BASELINE])
    ratios = {name: statistics.median(samples[name]) / baseline for name in PAGES}
    print(
        f"{applications} applications; {rounds} rounds after {warmup} warm-up; {host['cpu']} × "
        f"{host['cores']}, Python {host['python']}, {host['database']}",
        file=sys.stderr,
    )
    for name, times in samples.items():
        ratio = "" if name == BASELINE else f", ratio {ratios[name]:.2f}"
        print(
            f"{name:>24}: median {statistics.median(times) * MS:.2f} ms "
            f"(executing SQL {statistics.median(in_database[name]) * MS:.2f} ms), "
            f"p90 {p90(times) * MS:.2f} ms, {len(page_queries[name])} queries{ratio}",
            file=sys.stderr,
        )
    print(
        f"first page's queries: {len(few_queries)} with {FEW} applications, "
        f"{len(many_queries)} with {applications} (budget {QUEUE_PAGE_QUERIES}); "
        f"ratio target ≤ {MAX_RATIO}",
        file=sys.stderr,
    )
    # A row for the results table in docs/benchmarks.md.
    cells = " | ".join(
        f"{statistics.median(samples[name]) * MS:.1f} / {p90(samples[name]) * MS:.1f} "
        f"({statistics.median(in_database[name]) * MS:.1f})"
        for name in bench.urls
    )
    print(
        f"| {host['date']} | {host['cpu']}, {host['cores']} cores | {host['python']} "
        f"| {host['database']} | {applications} | {rounds} | {cells} "
        f"| {' / '.join(f'{ratio:.2f}' for ratio in ratios.values())} "
        f"| {len(few_queries)} / {len(many_queries)} |"
    )
    failed = False
    for name, ratio in ratios.items():
        if ratio > MAX_RATIO:
            print(
                f"FAIL: the queue's {name} takes {ratio:.2f}× the baseline's time", file=sys.stderr
            )
            failed = True
    if len(few_queries) != len(many_queries):
        print(
            f"FAIL: the first page ran {len(few_queries)} queries with {FEW} applications and "
            f"{len(many_queries)} with {applications}",
            file=sys.stderr,
        )
        failed = True
    if len(many_queries) > QUEUE_PAGE_QUERIES:
        print(
            f"FAIL: the first page ran {len(many_queries)} queries; its budget is "
            f"{QUEUE_PAGE_QUERIES}",
            file=sys.stderr,
        )
        failed = True
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.queue", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--applications",
        type=int,
        default=100_000,
        help="applications in the queue, made by seed_scale (default 100000)",
    )
    parser.add_argument("--rounds", type=int, default=100, help="timed rounds (default 100)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed rounds first (default 20)")
    parser.add_argument(
        "--show-queries", action="store_true", help="print the SQL of one request of each page"
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="print EXPLAIN ANALYZE of each page's SELECTs (PostgreSQL)",
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
    if args.applications < 1000:
        parser.error("--applications must be at least 1000")

    return common.in_throwaway_database(
        lambda: run(
            applications=args.applications,
            rounds=args.rounds,
            warmup=args.warmup,
            show_queries=args.show_queries,
            explain=args.explain,
            profile=args.profile,
        )
    )


if __name__ == "__main__":
    sys.exit(main())
