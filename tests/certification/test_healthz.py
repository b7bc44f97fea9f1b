import pytest

from certification.celery import app as celery_app


@pytest.mark.django_db
def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_is_unhealthy_when_the_configured_broker_is_unreachable(client):
    celery_app.conf.task_always_eager = False
    old = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:9/0"  # the discard port: nothing listens
    try:
        response = client.get("/healthz")
    finally:
        celery_app.conf.broker_url = old
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"].startswith("error")


@pytest.mark.redis
@pytest.mark.django_db
def test_healthz_reports_a_reachable_broker(client, settings):
    from tests.conftest import skip_or_fail

    if not settings.CELERY_BROKER_URL:
        skip_or_fail("needs a broker: set CELERY_BROKER_URL=redis://…")
    celery_app.conf.task_always_eager = False
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == "ok"
