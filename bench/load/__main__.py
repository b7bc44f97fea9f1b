"""The service under load: `python -m bench.load [--users 50 --seconds 60 --applications 10000]`.

1. Makes a throwaway PostgreSQL database (`rkcp_load`, beside DATABASE_URL's, else on the local
   server), migrates it, seeds the demo (with DEBUG on, which `seed_demo` needs), adds the bulk
   applications (`seed_scale`) and one account for each simulated user (bench/load/personas.py).
2. Starts, all on 127.0.0.1: a Celery worker and gunicorn (DEBUG off, collected static files, plain
   HTTP, as bench/lighthouse.py serves), with Redis as broker and cache (LOAD_BROKER_URL, default
   db 8; LOAD_CACHE_URL, default db 11; both emptied first).
3. Runs locust headless (bench/load/locustfile.py): applicants, reviewers, supervisors and a
   /healthz prober, each simulated person signed in with a session of their own. Requests are
   measured from the moment all have signed in, for --seconds.
4. Waits for the worker to finish the letters and emails the run asked for, then prints the table
   (bench/load/report.py) and exits 1 on any error, any page whose p95 is above 4x the floor's, or
   any letter or email left undone.
"""

import argparse
import importlib.util
import json
import math
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.lighthouse import drop_database, manage, wait_for
from bench.lighthouse import environment as lighthouse_environment
from bench.load import report

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PYTHON = sys.executable
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
DATABASE_NAME = "rkcp_load"
BROKER_URL = os.environ.get("LOAD_BROKER_URL", "redis://127.0.0.1:6379/8")
CACHE_URL = os.environ.get("LOAD_CACHE_URL", "redis://127.0.0.1:6379/11")
WORKER_WAIT_SECONDS = 180
# The worker runs at this lower CPU priority than the web processes (docs/operations.md).
WORKER_NICENESS = 10


def throwaway_database() -> tuple[str, str]:
    """(the throwaway database's URL, its server's maintenance URL); made empty."""
    import psycopg

    server = urlsplit(os.environ.get("DATABASE_URL") or DEFAULT_SERVER)
    maintenance = urlunsplit(server._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True, connect_timeout=5) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE_NAME}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    return urlunsplit(server._replace(path=f"/{DATABASE_NAME}")), maintenance


def missing_services() -> str:
    """What the load test needs and cannot reach: PostgreSQL, Redis; empty when both answer."""
    import psycopg
    import redis

    server = urlsplit(os.environ.get("DATABASE_URL") or DEFAULT_SERVER)
    missing = []
    try:
        psycopg.connect(urlunsplit(server._replace(path="/postgres")), connect_timeout=3).close()
    except psycopg.Error:
        missing.append("PostgreSQL")
    try:
        redis.Redis.from_url(BROKER_URL, socket_connect_timeout=3).ping()
    except redis.RedisError:
        missing.append("Redis")
    return " and ".join(missing)


def environment(database_url: str, scratch: Path, *, debug: bool, services: bool) -> dict[str, str]:
    """The settings of every process. Seeding runs with eager tasks and the embedded cache, so
    that the worker is given only what the load asks for."""
    env = lighthouse_environment(database_url, str(scratch / "static"), debug=debug)
    env |= {
        "PRIVATE_MEDIA_ROOT": str(scratch / "media"),
        "EMAIL_URL": f"filemail:///{scratch / 'mail'}",
    }
    if services:
        env |= {"CELERY_BROKER_URL": BROKER_URL, "CACHE_URL": CACHE_URL}
    return env


def share(users: int, weight: int) -> int:
    """Accounts enough for the people of a kind locust may spawn: its weight's share of `users`
    (the locustfile's weights are 4, 4 and 1), rounded up, and two to spare."""
    return math.ceil(users * weight / 9) + 2


def fair_floor_routed() -> bool:
    """Whether the queue benchmark's fair floor is there to route beside the service's pages."""
    return importlib.util.find_spec("bench.queue_floor") is not None


def shell(code: str, env: dict[str, str]) -> None:
    subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [PYTHON, "manage.py", "shell", "-c", code],
        cwd=BASE_DIR,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def empty_redis() -> None:
    import redis

    for url in (BROKER_URL, CACHE_URL):
        redis.Redis.from_url(url).flushdb()


def start(
    command: list[str], env: dict[str, str], log: Path, *, niceness: int = 0
) -> subprocess.Popen:
    """A long-running process in its own group (so that stopping it reaches its children), its
    output kept in `log` and shown only if the run fails; `niceness` lowers its CPU priority."""
    with log.open("wb") as out:
        return subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            ["nice", f"-n{niceness}", *command] if niceness else command,
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            process_group=0,
        )


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def worker_work(env: dict[str, str], since: dict[str, int], out: Path) -> dict:
    """The letters (by status) and emails asked for since `since`, and the last ids now."""
    shell(
        "from bench.load.personas import work; "
        f"work(letter={since['letter']}, notification={since['notification']}, out={str(out)!r})",
        env,
    )
    return json.loads(out.read_text())


def wait_for_worker(env: dict[str, str], since: dict[str, int], out: Path) -> dict:
    deadline = time.monotonic() + WORKER_WAIT_SECONDS
    while True:
        work = worker_work(env, since, out)
        unfinished = sum(n for status, n in work["letters"].items() if status != "ready")
        if (not unfinished and work["emails_sent"] == work["emails_asked"]) or (
            time.monotonic() > deadline
        ):
            return work
        time.sleep(2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50, help="simulated people (default 50)")
    parser.add_argument("--seconds", type=int, default=60, help="measured seconds (default 60)")
    parser.add_argument(
        "--applications", type=int, default=10_000, help="bulk applications (default 10,000)"
    )
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOAD_PORT", "8401")))
    parser.add_argument("--gunicorn-workers", type=int, default=4)
    parser.add_argument(
        "--worker-niceness",
        type=int,
        default=WORKER_NICENESS,
        help=f"the Celery worker's CPU niceness (default {WORKER_NICENESS}; 0: the web's priority)",
    )
    parser.add_argument(
        "--floor",
        default=report.FLOOR,
        help=f"the request each page is held to (default {report.FLOOR})",
    )
    parser.add_argument(
        "--if-services",
        action="store_true",
        help="skip (exit 0) when PostgreSQL or Redis does not answer, as `make bench` runs it",
    )
    args = parser.parse_args()
    missing = missing_services()
    if missing:
        print(f"Load test skipped: {missing} not reachable.", file=sys.stderr)
        return 0 if args.if_services else 2
    base_url = f"http://127.0.0.1:{args.port}"

    database_url, maintenance = throwaway_database()
    scratch = Path(tempfile.mkdtemp(prefix="rkcp-load-"))
    (scratch / "mail").mkdir()
    seeding = environment(database_url, scratch, debug=True, services=False)
    serving = environment(database_url, scratch, debug=False, services=True)
    server = worker = None
    failed = True
    try:
        print(f"Seeding the demo and {args.applications:,} applications…", file=sys.stderr)
        started = time.monotonic()
        manage("migrate", "--noinput", "-v0", env=seeding)
        manage("seed_demo", env=seeding)
        manage("seed_demo_participants", env=seeding)
        manage("seed_scale", f"--applications={args.applications}", "--force", env=seeding)
        personas = scratch / "personas.json"
        shell(
            "from bench.load.personas import make; "
            f"make(applicants={share(args.users, 4)}, reviewers={share(args.users, 4) + 1}, "
            f"supervisors={share(args.users, 1)}, "
            f"out={str(personas)!r})",
            seeding,
        )
        manage("collectstatic", "--noinput", "-v0", env=serving)
        print(f"Seeded in {time.monotonic() - started:.0f} s.", file=sys.stderr)
        since = worker_work(serving, {"letter": 0, "notification": 0}, scratch / "work.json")
        since = {"letter": since["last_letter"], "notification": since["last_notification"]}

        empty_redis()
        worker = start(
            [PYTHON, "-m", "celery", "-A", "config", "worker", "--pool=prefork",
             "--concurrency=1", "--loglevel=INFO", f"--hostname=load-{os.getpid()}@localhost",
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            serving,
            scratch / "worker.log",
            # As docs/operations.md runs it beside the web processes: a letter can wait a moment
            # for a core, a person waiting for a page should not wait for a letter.
            niceness=args.worker_niceness,
        )  # fmt: skip
        fair_floor = fair_floor_routed()
        server = start(
            [PYTHON, "-m", "gunicorn", "config.wsgi", f"--bind=127.0.0.1:{args.port}",
             f"--workers={args.gunicorn_workers}"],
            serving | ({"DJANGO_SETTINGS_MODULE": "bench.load.settings"} if fair_floor else {}),
            scratch / "gunicorn.log",
        )  # fmt: skip
        wait_for(f"{base_url}/healthz")

        window = scratch / "window.json"
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        locust = subprocess.run(  # noqa: S603 - our own interpreter and arguments
            [PYTHON, "-m", "locust", "-f", str(Path(__file__).with_name("locustfile.py")),
             "--headless", f"--users={args.users}", f"--spawn-rate={max(args.users / 5, 1)}",
             f"--host={base_url}", "--only-summary", "--loglevel=WARNING",
             # A safety net: the locustfile stops the run itself, --seconds after all signed in.
             f"--run-time={args.seconds + 240}s", "--stop-timeout=10"],
            cwd=BASE_DIR,
            env={**os.environ, "LOAD_PERSONAS": str(personas), "LOAD_USERS": str(args.users),
                 "LOAD_SECONDS": str(args.seconds), "LOAD_WINDOW": str(window),
                 "LOAD_FAIR_FLOOR": "1" if fair_floor else ""},
        )  # fmt: skip
        load = os.getloadavg()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        print(
            "The load generator (locust) used "
            f"{after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime:.1f} s of CPU.",
            file=sys.stderr,
        )
        work = wait_for_worker(serving, since, scratch / "work.json")
        result = report.Result.read(window=window, floor=args.floor, work=work, load=load)
        print(report.table(result, users=args.users, applications=args.applications))
        problems = result.problems()
        if locust.returncode not in (0, 1):  # 1: locust saw failures, which the table lists
            problems.append(f"locust exited with {locust.returncode}")
        for problem in problems:
            print(f"FAILED: {problem}")
        failed = bool(problems)
        return 1 if failed else 0
    finally:
        stop(server)
        stop(worker)
        if failed:
            for log in ("gunicorn.log", "worker.log"):
                path = scratch / log
                if path.exists():
                    print(f"--- last lines of {log}", *path.read_text().splitlines()[-40:],
                          sep="\n", file=sys.stderr)  # fmt: skip
        shutil.rmtree(scratch, ignore_errors=True)
        drop_database(maintenance, database_url)


if __name__ == "__main__":
    sys.exit(main())
