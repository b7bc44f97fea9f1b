"""`/healthz`: the database, and the broker when one is configured, each checked on every probe."""

import shutil
import time

import pytest
import redis

from tests.certification.test_letters_worker import RedisServer
from tests.conftest import skip_or_fail


@pytest.mark.django_db
def test_healthz_reports_the_database(client, settings):
    settings.CELERY_BROKER_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_is_unhealthy_when_the_configured_broker_is_unreachable(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"  # the discard port: nothing listens
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"].startswith("error")


@pytest.mark.redis
@pytest.mark.django_db
def test_healthz_reports_a_reachable_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == "ok"


# --- The broker's probe reuses one connection, and stays truthful ---------------------------------


@pytest.fixture
def broker(settings):
    """A Redis of the test's own, which the health check probes as the broker."""
    if shutil.which("redis-server") is None:
        skip_or_fail("needs redis-server")
    server = RedisServer()
    server.start()
    settings.CELERY_BROKER_URL = server.url
    yield server
    server.stop()


def connections_received(url: str) -> int:
    """How many connections the server has accepted since it started (`INFO stats`), counting the
    one this asks over."""
    with redis.Redis.from_url(url) as client:
        return client.info("stats")["total_connections_received"]


@pytest.mark.django_db
def test_probes_reuse_one_broker_connection(client, broker):
    assert client.get("/healthz").status_code == 200  # opens the process's one connection
    before = connections_received(broker.url)
    for _ in range(20):
        response = client.get("/healthz")
        assert response.json()["checks"]["broker"] == "ok"
    # The second reading's own connection is the only one opened since the first.
    assert connections_received(broker.url) - before == 1


@pytest.mark.django_db
def test_a_stopped_broker_is_an_error_at_once_and_a_restarted_one_is_ok_again(client, broker):
    assert client.get("/healthz").status_code == 200
    broker.stop()
    started = time.monotonic()
    response = client.get("/healthz")
    assert time.monotonic() - started < 5
    assert response.status_code == 503
    assert response.json()["checks"]["broker"].startswith("error")
    broker.start()  # on the same port
    response = client.get("/healthz")
    assert response.status_code == 200, response.json()
    assert response.json()["checks"] == {"database": "ok", "broker": "ok"}
