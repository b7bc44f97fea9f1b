"""Benchmark: the supervisors' dashboard (`/staff/reports/`) against the queue's fair floor.

    python -m bench.dashboard [--applications 100000] [--rounds 30] [--warmup 5]

In a throwaway database, `seed_scale --history` makes the applications waiting for CBP, 30% more
decided or withdrawn over the past year, their decisions and every event their statuses imply (the
dashboard's figures over time come from the event log), and the history is tallied by day as the
nightly run would have (`tally_closed_days`). A supervisor with an authenticator asks for the
dashboard with its default filters (the last thirteen weeks) and for the floor (`bench.queue_floor`:
25 application rows through the site's layout, behind the same login, middleware, session and
second factor), interleaved round after round through `django.test.Client` in this process. The
dashboard is timed twice over: as it is read again when nothing has happened since (its figures
kept, reporting.figures.kept), and right after an event (the history's version moved on before
each request, untimed), when its figures are worked out afresh from the tallies and the log since.
Each dashboard answer is checked: 200, and the figures that the seeded history must fill have
numbers (received, decided and withdrawn each week; decisions by size class; the times to
decision and to answer).

Queries are counted with 10 applications, 1,000 and all of them, the cache cleared first (the
most the page runs); they must be the same at every size.

Exits 1 when the dashboard's median ratio to the floor exceeds `MAX_RATIO`, or when its query
count changes with the size; the ratio after an event is reported beside it. See
docs/benchmarks.md.
"""

import argparse
import io
import re
import statistics
import sys
import time
from html import unescape

from bench import common
from bench.common import MAX_RATIO, MS
from bench.queue import _count_queries, _time  # the queue bench's counting and interleaving
from bench.queue_report import FLOOR, Stage

DASHBOARD = "dashboard"
# The same page when the program's history has just moved on (an event written before each
# request): its figures are worked out afresh, from the tallies and the log since.
MOVED = "dashboard, after an event"
FEW, SOME = 10, 1_000
# The figures the seeded history must fill, and in each the columns that must add up to more than 0
# (none: the table must have rows). The participants' figures stay empty: seed_scale makes none.
MUST_SHOW = {
    "flow": ("Received", "Decided", "Withdrawn"),
    "outcomes-by-size-class": ("Certified", "Denied"),
    "decision-times": (),
    "answer-times": (),
    "queue-depth": (),
}
FIGURE = re.compile(r'<figure class="rkcp-figure" id="fig-([a-z0-9-]+)"(.*?)</figure>', re.S)
HEADER = re.compile(r'<th scope="col">(.*?)</th>', re.S)
ROW = re.compile(r"<tr>\s*<th scope=\"row\">.*?</th>(.*?)</tr>", re.S)
CELL = re.compile(r"<td>(.*?)</td>", re.S)


def figure_tables(content: str) -> dict[str, tuple[list[str], list[list[str]]]]:
    """Each figure's table as the page shows it: its key, its columns (the category's first) and
    the text of its cells, row by row."""
    tables = {}
    for key, body in FIGURE.findall(content):
        columns = [unescape(column).strip() for column in HEADER.findall(body)]
        rows = [
            [unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in CELL.findall(row)]
            for row in ROW.findall(body)
        ]
        tables[key] = (columns, rows)
    return tables


def empty_figures(content: str) -> list[str]:
    """What `MUST_SHOW` asks for and the page does not show: each a few words."""
    tables = figure_tables(content)
    missing = []
    for key, columns in MUST_SHOW.items():
        if key not in tables:
            missing.append(f"no figure {key}")
            continue
        header, rows = tables[key]
        if not rows:
            missing.append(f"{key} has no rows")
        for column in columns:
            if column not in header:
                missing.append(f"{key} has no column {column}")
                continue
            index = header.index(column) - 1  # the first column is each row's category
            total = sum(int(row[index].replace(",", "") or 0) for row in rows)
            if total == 0:
                missing.append(f"{key}: {column} is 0")
    return missing


class Bench:
    """A supervisor with an authenticator, signed in; the dashboard and the floor. Duck-typed to
    what `bench.queue`'s `_time` and `_count_queries` use (`get`, `request`, `in_database`)."""

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
        dashboard = reverse("reporting:dashboard")
        self.urls = {DASHBOARD: dashboard, MOVED: dashboard, FLOOR: reverse("bench-queue-floor")}
        self.floor_rows = 25
        # Ten applications' history may have no decision in the last thirteen weeks: its figures are
        # checked once there are enough.
        self.check_figures = True
        self.in_database = 0.0  # of the last request: seconds spent executing SQL

    def _timed(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.in_database += time.perf_counter() - started

    def get(self, name: str) -> float:
        """One GET of the page, timed; checks it answered 200 with what it must show."""
        from django.db import connection

        from certification.models import HISTORY_VERSION
        from common import cache_versions

        if name == MOVED:  # what writing an event does to what is kept (untimed)
            cache_versions.bump(HISTORY_VERSION)
        self.in_database = 0.0
        with connection.execute_wrapper(self._timed):
            started = time.perf_counter()
            response = self.client.get(self.urls[name])
            elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"{name}: {response.status_code} {response.get('Location', '')}")
        if name == FLOOR:
            shown = response.content.count(b"<tr data-row")
            if shown != self.floor_rows:
                raise SystemExit(f"floor: shows {shown} rows, expected {self.floor_rows}")
        elif self.check_figures:
            missing = empty_figures(response.content.decode())
            if missing:
                raise SystemExit(f"dashboard: {'; '.join(missing)}")
        return elapsed

    def request(self, name: str):
        return lambda: self.get(name)


def seed(applications: int) -> tuple[float, str]:
    """Add `applications` waiting for CBP, with history, then VACUUM ANALYZE; the seconds seeding
    took and what seed_scale said."""
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection

    from reporting.figures.tallies import tally_closed_days

    started = time.perf_counter()
    out = io.StringIO()
    call_command(
        "seed_scale",
        applications=applications,
        seed=applications,  # a seed of its own each time: seed_scale adds to what is there
        force=True,
        history=True,
        stdout=out,
    )
    seeded = time.perf_counter() - started
    # The history was written after the fact: tallied from the start, as the nightly run would
    # have tallied it day by day (reporting.figures.tallies).
    tally_closed_days(again=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    cache.clear()  # seeding moves nothing in the workflow: the cached figures are cleared by hand
    return seeded, out.getvalue().strip()


def report(stage: Stage, queries: dict[int, int], host: dict[str, str]) -> None:
    """The table on standard error for reading, and rows for docs/benchmarks.md on standard out."""
    counts = " / ".join(str(queries[size]) for size in sorted(queries))
    sizes = " / ".join(f"{size:,}" for size in sorted(queries))
    print(
        f"{stage.size:,} applications waiting for CBP, with history (seed_scale took "
        f"{stage.seeding:.1f} s); {stage.rounds} rounds after {stage.warmup} warm-up\n"
        f"machine: {', '.join(f'{k} {v}' for k, v in host.items())}\nfloor's query: {stage.floor_plan}\n"
        f"dashboard queries with {sizes} applications: {counts}",
        file=sys.stderr,
    )
    print(
        "| Date | Applications | Page | Median / p90 ms (SQL) | Ratio median / p90 | Queries |\n"
        "|---|---|---|---|---|---|"
    )
    for name in (FLOOR, DASHBOARD, MOVED):
        in_sql = statistics.median(stage.in_database[name]) * MS
        ratios = "" if name == FLOOR else "{:.2f} / {:.2f}".format(*stage.ratios(name))
        print(
            f"| {host['date']} | {stage.size:,} | {name} | {stage.median(name) * MS:.1f} / "
            f"{stage.p90(name) * MS:.1f} ({in_sql:.1f}) | {ratios} "
            f"| {counts if name == MOVED else ''} |"
        )


def failures(stage: Stage, queries: dict[int, int]) -> list[str]:
    found = []
    median_ratio = stage.ratios(DASHBOARD)[0]
    if median_ratio > MAX_RATIO:
        found.append(f"the dashboard takes {median_ratio:.2f}× the floor (at most {MAX_RATIO})")
    if len(set(queries.values())) > 1:
        runs = ", ".join(f"{n} queries with {size:,}" for size, n in sorted(queries.items()))
        found.append(f"the dashboard runs {runs}")
    return found


def run(*, applications: int, rounds: int, warmup: int) -> int:
    from django.test.utils import override_settings

    from bench import queue_floor  # imports models: once Django is set up
    from certification.models import Application

    queries: dict[int, int] = {}
    seeding, total = 0.0, 0
    with override_settings(ROOT_URLCONF="bench.queue_floor"):
        bench = Bench()
        for size in sorted({FEW, SOME, applications}):
            if size > applications:
                continue
            took, said = seed(size - total)
            seeding, total = seeding + took, size
            print(said, file=sys.stderr)
            bench.floor_rows = min(25, Application.objects.count())
            bench.check_figures = size >= SOME
            queries[size] = len(_count_queries(bench, [DASHBOARD])[DASHBOARD])
        samples, in_database = _time(bench, [FLOOR, DASHBOARD, MOVED], rounds, warmup)
        stage = Stage(
            size=applications,
            seeding=seeding,
            rounds=rounds,
            warmup=warmup,
            floor_plan=queue_floor.checked_plan(),
            samples=samples,
            in_database=in_database,
            urls=bench.urls,
        )
        report(stage, queries, common.machine())
    found = failures(stage, queries)
    for failure in found:
        print(f"FAIL: {failure}", file=sys.stderr)
    return 1 if found else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.dashboard", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--applications",
        type=int,
        default=100_000,
        help="applications waiting for CBP, made by seed_scale --history (default 100000); "
        "30%% more are decided or withdrawn",
    )
    parser.add_argument("--rounds", type=int, default=30, help="timed rounds (default 30)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed rounds first (default 5)")
    args = parser.parse_args(argv)
    if args.rounds < 10:
        parser.error("--rounds must be at least 10")
    if args.applications < FEW:
        parser.error(f"--applications must be at least {FEW}")
    return common.in_throwaway_database(
        lambda: run(applications=args.applications, rounds=args.rounds, warmup=args.warmup)
    )


if __name__ == "__main__":
    sys.exit(main())
