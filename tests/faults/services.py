"""Services of the tests' own, which they stop and start: a PostgreSQL cluster, a Redis, an SMTP
server, and a gunicorn serving the service from them.

Never the shared servers that DATABASE_URL, CACHE_URL and CELERY_BROKER_URL name: other work uses
those. Each fixture stops what it started when it is left, whatever happened in the test.
"""

import glob
import os
import pwd
import shutil
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest

from tests.conftest import skip_or_fail
from tests.processes import free_port, listening

ROOT = Path(__file__).resolve().parent.parent.parent


def wait_for(condition, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what}: not within {timeout} s")
        time.sleep(0.05)


# --- PostgreSQL -------------------------------------------------------------------------------------
def _postgres_bindir() -> Path | None:
    """The server's programs: where pg_config says, else the newest Debian-style install."""
    if pg_config := shutil.which("pg_config"):
        bindir = Path(
            subprocess.run([pg_config, "--bindir"], capture_output=True, text=True).stdout.strip()
        )
        if (bindir / "initdb").exists():
            return bindir
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    return Path(found[-1]).parent if found else None


class PrivatePostgres:
    """A throwaway cluster on a free port, with trust authentication for `postgres` on 127.0.0.1.

    initdb and the server refuse to run as root; as root, they run as the `postgres` system user."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.port = free_port()
        self.datadir = Path(tempfile.mkdtemp(prefix="rkcp-faults-pg-"))
        self._as: list[str] = []
        if os.geteuid() == 0:
            os.chown(self.datadir, pwd.getpwnam("postgres").pw_uid, -1)
            self._as = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str) -> None:
        subprocess.run(
            [*self._as, *args], check=True, capture_output=True, cwd=tempfile.gettempdir()
        )

    def initdb(self) -> None:
        self._run(
            str(self.bindir / "initdb"),
            *("-D", str(self.datadir), "-U", "postgres", "--auth=trust", "--no-sync"),
            *("-E", "UTF8", "--locale=C"),
        )

    def start(self) -> None:
        options = (
            f"-c port={self.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.datadir} -c fsync=off -c full_page_writes=off"
        )
        self._run(
            str(self.bindir / "pg_ctl"),
            *("-D", str(self.datadir), "-l", str(self.datadir / "server.log"), "-o", options),
            *("-w", "-t", "30", "start"),
        )

    def stop(self) -> None:
        """A clean, fast shutdown, as a restart does: open sessions are ended at once."""
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-m", "fast", "-w", "stop")

    def running(self) -> bool:
        return (self.datadir / "postmaster.pid").exists()

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(
            self.url(database).replace("postgres://", "postgresql://"), autocommit=True
        )

    def query(self, database: str, sql: str, *params: object) -> list[tuple]:
        with self.connect(database) as conn:
            return conn.execute(sql, params).fetchall()

    def remove(self) -> None:
        if self.running():
            self.stop()
        shutil.rmtree(self.datadir, ignore_errors=True)


@pytest.fixture(scope="session")
def private_postgres() -> Iterator[PrivatePostgres]:
    """A cluster of the tests' own holding `template_rkcp`, the service's schema migrated once;
    a test makes its own database from it (`CREATE DATABASE … TEMPLATE template_rkcp`)."""
    bindir = _postgres_bindir()
    if bindir is None:
        skip_or_fail("needs PostgreSQL's server programs (initdb, pg_ctl)")
    server = PrivatePostgres(bindir)
    try:
        server.initdb()
        server.start()
        with server.connect() as conn:
            conn.execute("CREATE DATABASE template_rkcp")
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=service_env(database_url=server.url("template_rkcp")),
            check=True,
        )
        yield server
    finally:
        server.remove()


# --- Redis ------------------------------------------------------------------------------------------
class RedisServer:
    """A Redis of the test's own, on a free port, holding nothing on disk: stopped and started
    again, it comes back empty, as a restarted broker without persistence does."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def url(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                *("redis-server", "--bind", "127.0.0.1", "--port", str(self.port)),
                *("--save", "", "--appendonly", "no", "--daemonize", "no"),
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for(lambda: listening(self.port), timeout=10, what="redis-server listening")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def private_redis() -> Iterator[RedisServer]:
    if shutil.which("redis-server") is None:
        skip_or_fail("needs redis-server")
    server = RedisServer()
    try:
        server.start()
        yield server
    finally:
        server.stop()


# --- SMTP -------------------------------------------------------------------------------------------
@dataclass
class Mailbox:
    messages: list[dict] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class _SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough of RFC 5321 for Django's SMTP backend: greeting, EHLO, MAIL, RCPT, DATA, QUIT."""

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        mailbox: Mailbox = self.server.mailbox  # type: ignore[attr-defined]
        sender, recipients = "", []
        self.reply("220 faults.test ESMTP")
        while line := self.rfile.readline():
            command = line.decode("ascii", "replace").strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in {"EHLO", "HELO"}:
                self.reply("250 faults.test")
            elif verb == "MAIL":
                sender, recipients = command.split(":", 1)[1].strip(), []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip().strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                body = []
                while (data := self.rfile.readline()) not in (b".\r\n", b""):
                    body.append(data.decode("utf-8", "replace"))
                with mailbox.lock:
                    mailbox.messages.append(
                        {"from": sender, "to": recipients, "data": "".join(body)}
                    )
                self.reply("250 OK: queued")
            elif verb in {"RSET", "NOOP"}:
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


class SmtpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int) -> None:
        super().__init__(("127.0.0.1", port), _SmtpHandler)
        self.mailbox = Mailbox()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    def received(self) -> list[dict]:
        with self.mailbox.lock:
            return list(self.mailbox.messages)

    def close(self) -> None:
        self.shutdown()
        self.server_close()


# --- The web service --------------------------------------------------------------------------------
def service_env(*, database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a process of the service pointed at the tests' own services. Settings
    the outer test run was given for the shared servers are replaced, never inherited."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DATABASE_", "CACHE_", "CELERY_", "EMAIL_", "DJANGO_", "RKCP_"))
    }
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "CACHE_URL": "locmemcache://",
        "CELERY_BROKER_URL": "",
        "EMAIL_URL": "consolemail://",
        "PYTHONPATH": str(ROOT),
        **extra,
    }


class Gunicorn:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.log = log
        self._log_file = log.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                *("--bind", f"127.0.0.1:{self.port}", "--workers", "1", "--threads", "4"),
                *("--timeout", "60", "--graceful-timeout", "5"),
            ],
            cwd=ROOT,
            env={**env, "DJANGO_DEBUG": "false", "DJANGO_ALLOWED_HOSTS": "127.0.0.1"},
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for(self._up, timeout=60, what="gunicorn serving")
        except RuntimeError:
            self.stop()
            raise RuntimeError(f"gunicorn did not start:\n{self.output()}") from None

    def _up(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.output()}")
        return listening(self.port)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log_file.close()
