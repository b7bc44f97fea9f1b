"""Project-level pages that belong to no app: the health check load balancers probe, and the page
shown when a request fails."""

import os
import sys
from functools import lru_cache
from urllib.parse import urlsplit

import redis
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.views import defaults
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


# A request that failed because the database could not be reached (stopped, restarting, failing
# over, out of connections) is told to try again shortly; every other failure is a 500.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def _database_unavailable(error: BaseException | None) -> bool:
    seen = 0
    while error is not None and seen < 5:  # raised while handling it, the cause is in the chain
        if isinstance(error, DATABASE_UNAVAILABLE):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500. Django calls it inside the handling of the exception, wherever it was raised
    (a view, a middleware, the session's load), so the exception is the one being handled.

    The 503 page is rendered, like 500.html, without the request: its context processors would ask
    the database again. A write that failed this way was not committed, since every service is
    one transaction; the person is told to send it again, and optimistic locking turns a repeat
    of something that did commit into a clear refusal rather than a second write."""
    if not _database_unavailable(sys.exception()):
        return defaults.server_error(request)
    response = HttpResponse(
        loader.get_template("503.html").render({"sent_form": request.method == "POST"}),
        status=503,
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response
