"""Redis, the cache and the broker, stopped and started again under the service.

While it is down, people sign in (a recordkeeper; a supervisor with a second factor), pages open
and a supervisor issues a decision: the cache is missed, not an error (common/cache.py), and the
decision's letter and emails, which could not be sent to the broker, stay asked for in the
database. Redis comes back empty, as a restarted broker without persistence does; the worker that
was running throughout reconnects, beat's sweeps send what is waiting, the letter is rendered and
the applicant's email goes out. The web process uses the cache again.
"""

import time

import pytest
import redis
from django.test import Client
from django.urls import reverse

from certification import workflow
from certification.models import Decision, Letter, Notification
from reviews.models import Recommendation
from tests.factories import PASSWORD, draft_application, start_review
from tests.totp import fresh_totp_code
from tests.worker import use_broker, wait_until

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.usefixtures("handbook_in_force", "letter_templates"),
]

# Beat's sweeps every second; a letter sent to the queue is taken as lost after 2 s.
SWEEPS = {"RKCP_SWEEP_SECONDS": "1", "RKCP_LETTER_QUEUE_GRACE_SECONDS": "2"}


@pytest.fixture
def own_redis(private_redis, settings):
    """The private Redis as this process's cache and broker, and the workers' (tests/worker.py)."""
    settings.CELERY_BROKER_URL = private_redis.url(0)
    settings.CACHES = {
        "default": {
            "BACKEND": "common.cache.DegradingRedisCache",
            "LOCATION": private_redis.url(1),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    use_broker(private_redis.url(0))
    yield private_redis
    use_broker(None)


def sign_in(email: str, totp_secret: str | None = None) -> Client:
    browser = Client()
    answer = browser.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    if totp_secret:
        assert answer.status_code == 302 and answer["Location"] == reverse("mfa_authenticate")
        answer = browser.post(reverse("mfa_authenticate"), {"code": fresh_totp_code(totp_secret)})
    assert answer.status_code == 302, answer.content[:2000]
    assert answer["Location"] == reverse("dashboard")
    return browser


def test_with_redis_down_people_sign_in_and_decide_and_the_work_is_done_once_it_is_back(
    own_redis, celery_workers, enrol_totp, owner_a, reviewer, supervisor
):
    secret = enrol_totp(supervisor)
    application = draft_application(owner=owner_a)
    workflow.application_submit(application=application, actor=owner_a)
    start_review(application=application, reviewer=reviewer)
    workflow.application_recommend(application=application, actor=reviewer, outcome="certified")
    Recommendation.objects.create(application=application, reviewer=reviewer, outcome="certified")
    celery_workers.start(beat=True, extra_env={"CACHE_URL": own_redis.url(1), **SWEEPS})

    own_redis.stop()
    recordkeeper = sign_in(owner_a.email)
    assert recordkeeper.get(reverse("dashboard")).status_code == 200
    staff = sign_in(supervisor.email, secret)
    for page in (reverse("reviews:queue"), reverse("reviews:sign-off", args=[application.pk])):
        assert staff.get(page).status_code == 200, page
    started = time.monotonic()
    answer = staff.post(
        reverse("reviews:sign-off", args=[application.pk]), {"decision": "certified"}
    )
    took = time.monotonic() - started
    assert answer.status_code == 302, answer.content[:2000]
    assert answer["Location"] == reverse("reviews:record", args=[application.pk])
    assert took < 10, f"deciding took {took:.1f} s with Redis down"
    assert staff.get(answer["Location"]).status_code == 200
    application.refresh_from_db()
    assert application.status == "certified"
    decision = Decision.objects.get(application=application)
    letter = Letter.objects.get(decision=decision)
    assert (letter.status, letter.queued_at) == ("pending", None)  # asked for; its send failed
    told = Notification.objects.filter(
        event__application=application, event__verb="application.decided", recipient=owner_a
    )
    assert told.get().emailed_at is None

    own_redis.start()  # empty: whatever the broker held is gone
    use_broker(own_redis.url(0))  # this process's pooled connections were to the stopped server
    wait_until(
        lambda: Letter.objects.filter(pk=letter.pk, status="ready").exists(),
        timeout=60,
        what="the letter rendered once Redis is back",
    )
    wait_until(
        lambda: not told.filter(emailed_at=None).exists(),
        timeout=30,
        what="the applicant's email sent once Redis is back",
    )
    assert Letter.objects.filter(decision=decision).count() == 1
    to_owner = [e for e in celery_workers.emails() if f"To: {owner_a.email}" in e]
    decided = [e for e in to_owner if "CBP has decided on the application" in e]
    assert len(decided) == 1 and application.reference in decided[0]  # sent, and once

    # The web process uses the cache again once Redis answers (after at most common.cache's pause).
    time.sleep(2.1)
    assert staff.get(reverse("reviews:queue")).status_code == 200
    assert redis.Redis.from_url(own_redis.url(1)).dbsize() > 0
