"""A real Celery worker, in its own process, consuming from the configured Redis broker.

The worker reads the test database (it must be PostgreSQL, which another process can reach), so tests
using it commit their data: they use `transactional_db` (or `live_server`).
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from certification.celery import app as celery_app

BASE_DIR = Path(__file__).resolve().parent.parent


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


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
                self.process.kill()
                self.process.wait()


def start_worker(*, extra_env: dict[str, str] | None = None, name: str = "test") -> Worker:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "DJANGO_SETTINGS_MODULE": "certification.settings",
        **(extra_env or {}),
    }
    hostname = f"{name}-{os.getpid()}@localhost"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "certification",
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "--loglevel=INFO",
            f"--hostname={hostname}",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=BASE_DIR,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the Celery worker exited with {process.returncode}")
        if celery_app.control.ping(destination=[hostname], timeout=0.5):
            return Worker(process, env)
    process.kill()
    raise RuntimeError("the Celery worker did not answer a ping within 30 s")


@pytest.fixture
def celery_worker(transactional_db, tmp_path):
    """Start a worker; tasks enqueued by the test go through Redis to it. Email goes to files."""
    from tests.conftest import skip_or_fail

    if connection.vendor != "postgresql":
        skip_or_fail("the Celery worker fixture needs PostgreSQL (DATABASE_URL)")
    if not settings.CELERY_BROKER_URL:
        skip_or_fail("the Celery worker fixture needs a broker (CELERY_BROKER_URL=redis://…)")
    celery_app.conf.task_always_eager = False
    with celery_app.connection_for_write() as conn:
        conn.default_channel.client.flushdb()  # stray messages from an earlier run
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    # Four slashes: an absolute path, as in SQLite URLs.
    worker = start_worker(extra_env={"EMAIL_URL": f"filemail:///{mail_dir}"})
    worker.mail_dir = mail_dir
    yield worker
    worker.stop()
    celery_app.conf.task_always_eager = True
