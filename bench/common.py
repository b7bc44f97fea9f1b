"""What the benchmarks share: choosing the database, the throwaway test database they run in,
the machine's description, percentiles, capturing a request's queries and profiling it.

Nothing here imports Django at module level: `choose_database` must set `DATABASE_URL` before
Django reads its settings.
"""

import cProfile
import io
import os
import platform
import pstats
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import urlsplit, urlunsplit

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/rkcp_bench"
MAX_RATIO = 2.0
MS = 1000


def choose_database() -> str:
    """Set DATABASE_URL (before Django reads its settings) and say which database was chosen."""
    if os.environ.get("DATABASE_URL"):
        return "DATABASE_URL"
    try:
        import psycopg

        # The server's maintenance database: the bench's own is made by the test-database machinery.
        maintenance = urlunsplit(urlsplit(DEFAULT_DATABASE_URL)._replace(path="/postgres"))
        psycopg.connect(maintenance, connect_timeout=2).close()
    except Exception as error:  # whatever the reason, PostgreSQL is not there to use
        print(
            f"PostgreSQL not reachable ({error.__class__.__name__}): using SQLite", file=sys.stderr
        )
        return "SQLite (PostgreSQL not reachable)"
    os.environ["DATABASE_URL"] = DEFAULT_DATABASE_URL
    return DEFAULT_DATABASE_URL


def in_throwaway_database(run: Callable[[], int]) -> int:
    """Set Django up and call `run` in a test database made for it and dropped after, with DEBUG
    off as in production. Returns what `run` returns (the exit status)."""
    chosen = choose_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    print(f"database: {chosen}", file=sys.stderr)
    # WhiteNoise looks for collected static files, which only production builds have.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    # DEBUG off, as in production: with it on, Django keeps every query and templates do more.
    setup_test_environment(debug=False)
    old_name = connection.settings_dict["NAME"]
    # autoclobber: a test database left by an interrupted run is dropped and made again.
    connection.creation.create_test_db(verbosity=1, autoclobber=True)
    try:
        return run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=1)
        teardown_test_environment()


def machine() -> dict[str, str]:
    from django.db import connection

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    else:
        import sqlite3

        database = f"SQLite {sqlite3.sqlite_version}"
    # The cores this process may run on, as `nproc` counts them.
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "date": datetime.now(UTC).date().isoformat(),
        "cpu": cpu,
        "cores": str(cores),
        "python": platform.python_version(),
        "database": database,
    }


def p90(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=10)[-1]


def queries(request: Callable[[], float]) -> list[str]:
    """The SQL of one call of `request`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        request()
    return [query["sql"] for query in captured.captured_queries]


def profile(name: str, request: Callable[[], float], requests: int) -> None:
    """Where a request's time goes: the median time inside the database, then a cProfile."""
    from django.db import connection

    in_database = [0.0]

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            in_database[0] += time.perf_counter() - started

    totals, database = [], []
    with connection.execute_wrapper(timed):
        for _ in range(requests):
            in_database[0] = 0.0
            totals.append(request())
            database.append(in_database[0])
    print(
        f"{name}: median {statistics.median(totals) * MS:.2f} ms, of which executing SQL "
        f"{statistics.median(database) * MS:.2f} ms",
        file=sys.stderr,
    )
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        request()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(60)
    stats.sort_stats("tottime").print_stats(30)
    print(f"--- cProfile of {requests} {name} requests\n{out.getvalue()}", file=sys.stderr)
