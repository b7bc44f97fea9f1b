"""Several nodes of the service on one machine, for tests of scale-out: moto's standalone S3 server,
gunicorn web nodes and Celery workers, each in its own process, sharing the test's own PostgreSQL
database, its Redis and one bucket; and a browser that reaches the web nodes as one site.

The nodes read the test's database, so tests using them commit their data (`transactional_db`, as
tests/worker.py explains). Every process is stopped when the cluster is left, whatever happened.
"""

import http.client
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

import boto3
import pytest
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app
from tests.processes import free_port

ROOT = Path(__file__).resolve().parent.parent
BUCKET = "rkcp-scale-out"
REGION = "us-east-1"
# Any key will do for moto; the nodes' boto3 reads them from the environment.
S3_KEYS = {"AWS_ACCESS_KEY_ID": "scale-out-test", "AWS_SECRET_ACCESS_KEY": "scale-out-test"}
# The one public name of the site, which a load balancer passes on to every node as the Host;
# development's ALLOWED_HOSTS has it.
SITE = "localhost"


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        """SIGTERM, as an orchestrator stops a node; `wait_stopped` waits for it."""
        if self.popen.poll() is None:
            self.popen.terminate()

    def wait_stopped(self) -> None:
        """Wait for the node to stop; then end whatever is left of its process group."""
        with suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=20)
        with suppress(ProcessLookupError):  # the group has gone with its leader
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait()


@dataclass
class WebNode(Process):
    port: int = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class Cluster:
    s3: object  # a boto3 client of the bucket's server, for the test's own look at the bucket
    private_media_root: Path  # where the nodes would write files if they used the disk
    web: list[WebNode] = field(default_factory=list)
    workers: dict[str, Process] = field(default_factory=dict)  # by Celery hostname
    started: list[Process] = field(default_factory=list)

    def logs(self) -> str:
        return "\n".join(f"--- {p.name} ---\n{p.output()[-3000:]}" for p in self.started)

    def wait(self, condition: Callable[[], object], *, timeout: float, what: str) -> object:
        """Poll `condition` until it returns something true, and return that; fail after
        `timeout`, or when a node has exited, with the nodes' logs."""
        deadline = time.monotonic() + timeout
        while True:
            for process in self.started:
                if process.popen.poll() is not None:
                    pytest.fail(f"{process.name} exited while waiting for {what}\n{self.logs()}")
            result = condition()
            if result:
                return result
            if time.monotonic() > deadline:
                pytest.fail(f"{what}: not within {timeout} s\n{self.logs()}")
            time.sleep(0.1)

    def stored_object(self, key: str) -> bytes:
        return self.s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()

    def bucket_listing(self) -> dict[str, int]:
        """Every object's key and size, as the S3 server lists them."""
        pages = self.s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET)
        return {item["Key"]: item["Size"] for page in pages for item in page.get("Contents", [])}

    def files_on_disk(self) -> list[Path]:
        return [p for p in self.private_media_root.rglob("*") if p.is_file()]


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def node_environment(here: Path, s3_endpoint: str) -> dict[str, str]:
    """What every node is given: the test's own database, broker, cache and secret key (sessions
    are signed with it), and the bucket. The test run's own service variables are not inherited."""
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "AWS_", "PYTEST", "CELERY_", "RKCP_", "RATE_LIMIT_"))
        and name not in {"DATABASE_URL", "CACHE_URL", "EMAIL_URL", "PRIVATE_MEDIA_ROOT"}
    }
    return inherited | {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": _database_url(),
        "CACHE_URL": os.environ["CACHE_URL"],
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "EMAIL_URL": f"filemail:///{here / 'mail'}",
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": s3_endpoint,
        "AWS_S3_REGION_NAME": REGION,
        **S3_KEYS,
        "PRIVATE_MEDIA_ROOT": str(here / "private-media"),
        "PYTHONUNBUFFERED": "1",
    }


def _spawn(name: str, module_and_args: list[str], *, env: dict[str, str], here: Path) -> Process:
    log = here / f"{name}.log"
    with log.open("wb") as out:
        popen = subprocess.Popen(
            [sys.executable, "-m", *module_and_args],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            process_group=0,  # so that stopping reaches gunicorn's workers and Celery's pool
        )
    return Process(name, popen, log)


def _answers(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    try:
        conn.request("GET", parts.path)
        return conn.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        conn.close()


def _worker_command(hostname: str) -> list[str]:
    return [
        "celery",
        "-A",
        "config",
        "worker",
        "--pool=prefork",
        "--concurrency=1",
        "--loglevel=INFO",  # each task's "received" and "succeeded" lines, with its id
        f"--hostname={hostname}",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]


@contextmanager
def running_cluster(
    here: Path, *, web_nodes: int = 2, workers: int = 2, extra_env: dict[str, str] | None = None
) -> Iterator[Cluster]:
    """Start the S3 server, the web nodes and the workers together, wait until each answers (the
    S3 server, every web node's /healthz, every worker's ping), create the bucket, and stop them
    all on the way out."""
    s3_port = free_port()
    s3_endpoint = f"http://127.0.0.1:{s3_port}"
    env = node_environment(here, s3_endpoint) | (extra_env or {})
    with celery_app.connection_for_write() as conn:
        conn.default_channel.client.flushdb()  # stray messages from an earlier run
    cluster = Cluster(
        s3=boto3.client(
            "s3",
            endpoint_url=s3_endpoint,
            region_name=REGION,
            aws_access_key_id=S3_KEYS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=S3_KEYS["AWS_SECRET_ACCESS_KEY"],
        ),
        private_media_root=here / "private-media",
    )
    try:
        server = ["moto.server", "--host=127.0.0.1", f"--port={s3_port}"]
        cluster.started.append(_spawn("s3", server, env=env, here=here))
        for number in range(1, web_nodes + 1):
            port = free_port()
            gunicorn = ["gunicorn", "config.wsgi", f"--bind=127.0.0.1:{port}", "--workers=1"]
            spawned = _spawn(f"web{number}", [*gunicorn, "--access-logfile=-"], env=env, here=here)
            node = WebNode(spawned.name, spawned.popen, spawned.log, port=port)
            cluster.web.append(node)
            cluster.started.append(node)
        for number in range(1, workers + 1):
            hostname = f"scale-out{number}-{os.getpid()}@localhost"
            worker = _spawn(f"worker{number}", _worker_command(hostname), env=env, here=here)
            cluster.workers[hostname] = worker
            cluster.started.append(worker)

        def ready() -> bool:
            if not _answers(f"{s3_endpoint}/"):
                return False
            if not all(_answers(f"{node.base}/healthz") for node in cluster.web):
                return False
            pongs = celery_app.control.ping(destination=list(cluster.workers), timeout=0.5)
            return {name for pong in pongs for name in pong} == set(cluster.workers)

        cluster.wait(ready, timeout=45, what="the S3 server, every web node and worker answering")
        cluster.s3.create_bucket(Bucket=BUCKET)
        yield cluster
    finally:
        for process in cluster.started:
            process.stop()
        for process in cluster.started:
            process.wait_stopped()


# --- A browser -------------------------------------------------------------------------------------
@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


class Browser:
    """One person's browser, as behind a load balancer that sends each request to the node the test
    names: one cookie jar for the site, and the site's one name as every request's Host (allauth
    counts failed sign-ins per host and account). Redirects are answers to look at, not to follow."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(
        self, node: WebNode, path: str, body: bytes | None = None, content_type: str = ""
    ) -> Reply:
        headers = {"Host": SITE}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            # A browser's POST carries its page's origin, which Django's CSRF check compares.
            headers |= {"Content-Type": content_type, "Origin": f"http://{SITE}"}
        conn = http.client.HTTPConnection("127.0.0.1", node.port, timeout=60)
        try:
            conn.request("GET" if body is None else "POST", path, body=body, headers=headers)
            response = conn.getresponse()
            reply = Reply(response.status, response.headers, response.read())
        finally:
            conn.close()
        for header in reply.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0":  # Django's way of deleting a cookie
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return reply

    def get(self, node: WebNode, path: str) -> Reply:
        return self.request(node, path)

    def post(self, node: WebNode, path: str, fields: dict | list) -> Reply:
        pairs = list(fields.items()) if isinstance(fields, dict) else fields
        body = urllib.parse.urlencode(pairs).encode()
        return self.request(node, path, body, "application/x-www-form-urlencoded")

    def post_multipart(self, node: WebNode, path: str, fields: list, files: list) -> Reply:
        """`files`: (field, filename, content type, bytes), as a browser's file input sends them."""
        boundary = secrets.token_hex(16)
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, value in fields
        ]
        parts += [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"'
            f"\r\nContent-Type: {content_type}\r\n\r\n".encode()
            + content
            + b"\r\n"
            for name, filename, content_type, content in files
        ]
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request(node, path, body, f"multipart/form-data; boundary={boundary}")
