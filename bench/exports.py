"""Benchmark: an export's memory stays bounded however many rows it writes.

    python -m bench.exports [--sizes 10000,100000] [--formats csv,xlsx]

In a throwaway database, `seed_scale` makes the applications (10,000, then 90,000 more), and at
each size a supervisor's export of the whole review queue is written as the worker writes it
(`reporting.services.export_run`), in a process of its own so that its peak resident memory
(`VmHWM`) is the export's alone. The floor is the same process writing the same export of a
period with no applications: Django, the worker's code, the query and the writer, minus the rows.

Reported per size and format: rows, seconds, peak RSS and its growth over the floor. Exits 1 when
the growth over the floor at the largest size exceeds `MAX_GROWTH_MB`, or grows by more than
`MAX_GROWTH_RATIO` from the smallest size to the largest (a bound that rises with the rows is not
a bound). See docs/benchmarks.md.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from io import StringIO

from bench import common

MAX_GROWTH_MB = 64
MAX_GROWTH_RATIO = 1.5
EMPTY_PERIOD = ("1990-01-01", "1990-01-07")
WHOLE_PERIOD = ("2000-01-01", "2099-12-31")


def _peak_rss_mb() -> float:
    """This process's peak resident memory since it started (VmHWM). Not `ru_maxrss`: Linux
    carries a parent's peak into a child across fork and exec, and the parent here has just made
    100,000 applications in memory."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def child(*, format: str, start: str, end: str, email: str) -> None:
    """One export, as the worker writes it; prints rows, seconds and peak RSS as JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from datetime import date

    from recordkeepers.models import User
    from reporting.filters import ReportFilters
    from reporting.models import ExportJob
    from reporting.services import export_run

    filters = ReportFilters(start=date.fromisoformat(start), end=date.fromisoformat(end))
    job = ExportJob.objects.create(
        requested_by=User.objects.get(email=email),
        dataset="queue",
        format=format,
        filters=filters.as_json(),
    )
    started = time.perf_counter()
    export_run(job_id=job.pk)
    seconds = time.perf_counter() - started
    job.refresh_from_db()
    assert job.status == "ready", job.error
    print(
        json.dumps(
            {
                "rows": job.rows_total,
                "seconds": seconds,
                "max_rss_mb": _peak_rss_mb(),
                "bytes": job.size_bytes,
            }
        )
    )


def _measure(database_url: str, *, format: str, period: tuple[str, str], email: str) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "false",  # as a production worker runs: no query log
    }
    env.pop("CELERY_BROKER_URL", None)  # the export runs here, in this child
    result = subprocess.run(  # noqa: S603 (our own module, our own arguments)
        [
            sys.executable,
            "-m",
            "bench.exports",
            "--child",
            format,
            period[0],
            period[1],
            email,
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-3000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def run(sizes: list[int], formats: list[str]) -> int:
    from django.core.management import call_command
    from django.db import connection

    from certification.selectors import handbook_edition_in_force
    from recordkeepers.models import StaffRole
    from tests.factories import staff_user

    handbook_edition_in_force()
    email = "supervisor@bench.example.gov"
    staff_user(StaffRole.SUPERVISOR, email=email)
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}{':' + db['PASSWORD'] if db.get('PASSWORD') else ''}"
        f"@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    print(json.dumps(common.machine()))
    floor = {f: _measure(database_url, format=f, period=EMPTY_PERIOD, email=email) for f in formats}
    seeded, results = 0, {}
    for size in sizes:
        started = time.perf_counter()
        call_command(
            "seed_scale", applications=size - seeded, seed=size, force=True, stdout=StringIO()
        )
        seeded = size
        print(f"seeded {size:,} applications in {time.perf_counter() - started:.0f} s")
        for f in formats:
            results[size, f] = _measure(database_url, format=f, period=WHOLE_PERIOD, email=email)
    status = 0
    print("\n| format | rows | seconds | peak RSS (MB) | over the floor (MB) |")
    print("|---|---:|---:|---:|---:|")
    for f in formats:
        print(f"| {f} floor | 0 | {floor[f]['seconds']:.2f} | {floor[f]['max_rss_mb']:.1f} | — |")
        growth = {}
        for size in sizes:
            r = results[size, f]
            growth[size] = r["max_rss_mb"] - floor[f]["max_rss_mb"]
            print(
                f"| {f} | {r['rows']:,} | {r['seconds']:.2f} | {r['max_rss_mb']:.1f} "
                f"| {growth[size]:.1f} |"
            )
        largest, smallest = growth[sizes[-1]], growth[sizes[0]]
        if largest > MAX_GROWTH_MB:
            print(f"FAIL {f}: {largest:.1f} MB over the floor at {sizes[-1]:,}")
            status = 1
        if smallest > 1 and largest / smallest > MAX_GROWTH_RATIO:
            print(f"FAIL {f}: the growth rose {largest / smallest:.2f}x with the rows")
            status = 1
    return status


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        format, start, end, email = sys.argv[2:6]
        child(format=format, start=start, end=end, email=email)
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--formats", default="csv,xlsx")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    formats = args.formats.split(",")
    return common.in_throwaway_database(lambda: run(sizes, formats))


if __name__ == "__main__":
    sys.exit(main())
