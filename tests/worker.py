"""A real Celery worker, in its own process, consuming from the configured Redis broker.

The worker reads the test database (it must be PostgreSQL, which another process can reach), so tests
using it commit their data: they use `transactional_db` (or `live_server`). It stores files where the
test's own storage does (`PRIVATE_MEDIA_ROOT`), so the test can read what it wrote.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import kombu.pools
import pytest
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app

BASE_DIR = Path(__file__).resolve().parent.parent


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _private_media_root() -> dict[str, str]:
    location = settings.STORAGES["default"].get("OPTIONS", {}).get("location")
    return {"PRIVATE_MEDIA_ROOT": str(location)} if location else {}


class Worker:
    def __init__(self, process: subprocess.Popen, env: dict[str, str]):
        self.process = process
        self.env = env

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def kill(self) -> None:
        """SIGKILL the worker with its pool children and embedded beat, as a crashed host would:
        nothing gets to acknowledge, requeue or clean up."""
        with contextlib.suppress(ProcessLookupError):  # the group has already gone
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


def start_worker(
    *,
    extra_env: dict[str, str] | None = None,
    name: str = "test",
    beat_schedule: Path | None = None,
) -> Worker:
    """Start a worker and wait until it answers a ping. With `beat_schedule` (a file path), it also
    runs Celery beat embedded (`-B`), keeping beat's state in that file."""
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        **_private_media_root(),
        **(extra_env or {}),
    }
    hostname = f"{name}-{os.getpid()}@localhost"
    beat = ["--beat", f"--schedule={beat_schedule}"] if beat_schedule else []
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "--loglevel=INFO",
            f"--hostname={hostname}",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            *beat,
        ],
        cwd=BASE_DIR,
        env=env,
        # Its own process group, so `kill` reaches the pool's children and beat too.
        process_group=0,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the Celery worker exited with {process.returncode}")
        if celery_app.control.ping(destination=[hostname], timeout=0.5):
            return Worker(process, env)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    raise RuntimeError("the Celery worker did not answer a ping within 30 s")


def wait_until(condition: Callable[[], object], *, timeout: float, what: str) -> object:
    """Poll `condition` until it returns something true, and return that; fail after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {timeout} s")
        time.sleep(0.05)


def use_broker(url: str | None) -> None:
    """Point this process's Celery app at another broker (None: the configured one again), or at
    the same one restarted. The read and write URLs are what the app connects to, and they outrank
    a CELERY_BROKER_URL in the environment; the connections pooled for the old broker (by kombu,
    by the app, and by its control mailbox, which pings workers) are dropped."""
    kombu.pools.reset()
    celery_app.conf.broker_read_url = url
    celery_app.conf.broker_write_url = url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    celery_app.control.mailbox.__dict__.pop("producer_pool", None)


def _require_worker_services() -> None:
    from tests.conftest import skip_or_fail

    if connection.vendor != "postgresql":
        skip_or_fail("the Celery worker fixture needs PostgreSQL (DATABASE_URL)")
    if not settings.CELERY_BROKER_URL:
        skip_or_fail("the Celery worker fixture needs a broker (CELERY_BROKER_URL=redis://…)")


def _flush_broker() -> None:
    with celery_app.connection_for_write() as conn:
        conn.default_channel.client.flushdb()  # stray messages from an earlier run


class Workers:
    """Workers a test starts when it wants them (`start`), killed (`Worker.kill`) or stopped as it
    chooses; any still running are stopped at the end of the test. Email goes to `mail_dir`."""

    def __init__(self, tmp_path: Path):
        self.tmp_path = tmp_path
        self.mail_dir = tmp_path / "mail"
        self.mail_dir.mkdir()
        self.started: list[Worker] = []

    def start(self, *, beat: bool = False, extra_env: dict[str, str] | None = None) -> Worker:
        number = len(self.started) + 1
        worker = start_worker(
            extra_env={"EMAIL_URL": f"filemail:///{self.mail_dir}", **(extra_env or {})},
            name=f"worker{number}",
            beat_schedule=self.tmp_path / f"beat-schedule-{number}" if beat else None,
        )
        self.started.append(worker)
        return worker

    def stop_all(self) -> None:
        for worker in self.started:
            worker.stop()

    def emails(self) -> list[str]:
        """Every email the workers sent, one string each. Django's file backend writes a file per
        connection, named by the second and the connection object's id, and appends to it: two
        emails sent in the same second can share a file, separated by a line of 79 dashes."""
        separator = "\n" + "-" * 79 + "\n"
        return [
            message
            for path in sorted(self.mail_dir.iterdir())
            for message in path.read_text().split(separator)
            if message.strip()
        ]


@pytest.fixture
def celery_workers(transactional_db, tmp_path):
    """Start workers during the test (`celery_workers.start(beat=True, extra_env={…})`)."""
    _require_worker_services()
    celery_app.conf.task_always_eager = False
    _flush_broker()
    workers = Workers(tmp_path)
    yield workers
    workers.stop_all()
    celery_app.conf.task_always_eager = True


@pytest.fixture
def celery_worker(celery_workers):
    """One worker, started before the test; tasks enqueued by the test go through Redis to it."""
    worker = celery_workers.start()
    worker.mail_dir = celery_workers.mail_dir
    return worker
