"""Project-level pages that belong to no app: the health check load balancers probe."""

import os
from functools import lru_cache
from urllib.parse import urlsplit

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from redis.backoff import NoBackoff
from redis.retry import Retry

from config.celery import app as celery_app

# A probe that cannot reach the broker answers within about this many seconds.
BROKER_TIMEOUT_SECONDS = 2


@lru_cache(maxsize=4)
def broker_client(url: str) -> redis.Redis:
    """One client per broker URL for the life of the process, whose pooled connection every probe
    reuses: a probe every few seconds from each load balancer would otherwise open (and leave for
    the server to close) a connection each time. A connection the server dropped (a restarted
    broker) is noticed when the pool hands it out and replaced, so the next probe is truthful.
    Named, so that `CLIENT LIST` tells these connections from the workers'."""
    return redis.Redis.from_url(
        url,
        socket_connect_timeout=BROKER_TIMEOUT_SECONDS,
        socket_timeout=BROKER_TIMEOUT_SECONDS,
        retry=Retry(NoBackoff(), 1),
        client_name=f"rkcp-healthz-{os.getpid()}",
    )


def _check_broker(url: str) -> None:
    """Raise unless the broker answers now."""
    if urlsplit(url).scheme in {"redis", "rediss"}:
        broker_client(url).ping()
        return
    # Another transport (the service runs on Redis): a connection of its own, as kombu makes it.
    with celery_app.connection_for_write(url) as conn:
        conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness of what the service depends on: the database always, the broker when configured."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:
        checks["database"] = f"error: {type(error).__name__}"
    if settings.CELERY_BROKER_URL:
        try:
            _check_broker(settings.CELERY_BROKER_URL)
            checks["broker"] = "ok"
        except Exception as error:
            checks["broker"] = f"error: {type(error).__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )
