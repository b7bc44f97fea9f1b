"""Sessions are written when they change, or once a minute to keep the idle timeout sliding; the page's
countdown never promises more time than the server keeps. Time passes by editing the stored session."""

import re
import time
from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from common.middleware import REFRESHED_AT, SECONDS_LEFT_HEADER, SIGNED_IN_AT

pytestmark = pytest.mark.django_db


def _row(client) -> Session:
    return Session.objects.get(pk=client.session.session_key)


def _age_session(client, *, seconds: float) -> None:
    """As if the session's last refresh happened `seconds` ago: its stamp and its expiry both move."""
    key = client.session.session_key
    store = SessionStore(session_key=key)
    store[REFRESHED_AT] = time.time() - seconds
    store.save()
    Session.objects.filter(pk=key).update(
        expire_date=timezone.now() + timedelta(seconds=client.session.get_expiry_age() - seconds)
    )


def _page_seconds(response) -> int:
    return int(re.search(r'data-session-idle-seconds="(\d+)"', response.text).group(1))


def _session_writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if "django_session" in q["sql"]
        and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    ]


@pytest.fixture
def signed_in(client, owner_a):
    client.force_login(owner_a)
    assert client.get(reverse("dashboard")).status_code == 200  # the first request stamps it
    return client


def test_a_request_within_the_minute_does_not_write_the_session(signed_in):
    before = _row(signed_in)
    with CaptureQueriesContext(connection) as queries:
        response = signed_in.get(reverse("dashboard"))
    assert response.status_code == 200
    assert _session_writes(queries.captured_queries) == []
    after = _row(signed_in)
    assert (after.expire_date, after.session_data) == (before.expire_date, before.session_data)


def test_a_request_after_the_minute_pushes_the_end_on(signed_in, settings):
    _age_session(signed_in, seconds=61)
    before = _row(signed_in).expire_date
    assert before < timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)

    with CaptureQueriesContext(connection) as queries:
        response = signed_in.get(reverse("dashboard"))
    assert response.status_code == 200
    assert len(_session_writes(queries.captured_queries)) == 1
    after = _row(signed_in).expire_date
    assert after > before + timedelta(seconds=60)
    assert after >= timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 2)


def test_a_session_left_idle_for_the_configured_minutes_is_signed_out(signed_in, settings):
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_TIMEOUT_MINUTES * 60
    # Idle for all but half a minute: still signed in, and the request pushes the end on.
    _age_session(signed_in, seconds=settings.SESSION_COOKIE_AGE - 30)
    assert signed_in.get(reverse("dashboard")).status_code == 200
    # Then idle for the whole timeout: signed out, and sent to sign in again.
    _age_session(signed_in, seconds=settings.SESSION_COOKIE_AGE + 1)
    response = signed_in.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_the_page_counts_down_from_what_the_server_keeps(signed_in, settings):
    # The last refresh was 50 s ago, so this request does not refresh: the page must count from
    # the stored end, not from a full timeout.
    _age_session(signed_in, seconds=50)
    response = signed_in.get(reverse("dashboard"))
    kept = (_row(signed_in).expire_date - timezone.now()).total_seconds()
    assert kept < settings.SESSION_COOKIE_AGE - 45  # not refreshed
    for said in (_page_seconds(response), int(response[SECONDS_LEFT_HEADER])):
        assert kept - 3 <= said <= kept

    # After a refresh both say the whole timeout again (less the second it took).
    _age_session(signed_in, seconds=61)
    response = signed_in.get(reverse("dashboard"), headers={"HX-Request": "true"})
    assert int(response[SECONDS_LEFT_HEADER]) >= settings.SESSION_COOKIE_AGE - 2
    assert _page_seconds(response) <= settings.SESSION_COOKIE_AGE


def test_a_visitor_without_a_session_is_given_none(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    assert SECONDS_LEFT_HEADER not in response
    assert not Session.objects.exists()


def test_signing_out_ends_the_session_and_its_countdown(signed_in):
    response = signed_in.post(reverse("account_logout"))
    assert response.status_code == 302
    assert SECONDS_LEFT_HEADER not in response
    assert signed_in.get(reverse("dashboard")).status_code == 302


def _signed_in_ago(client, *, hours: float) -> None:
    """As if the person signed in `hours` ago (and used the session all along)."""
    store = SessionStore(session_key=client.session.session_key)
    store[SIGNED_IN_AT] = time.time() - hours * 3600
    store.save()


def test_signing_in_starts_the_sessions_absolute_count(client, owner_a):
    before = time.time()
    client.force_login(owner_a)
    assert before <= client.session[SIGNED_IN_AT] <= time.time()


def test_however_busy_a_session_ends_its_hours_after_signing_in(signed_in, settings):
    assert settings.SESSION_ABSOLUTE_HOURS == 12
    _signed_in_ago(signed_in, hours=11.9)
    assert signed_in.get(reverse("dashboard")).status_code == 200
    _signed_in_ago(signed_in, hours=12)
    response = signed_in.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "_auth_user_id" not in signed_in.session  # signed out, not only sent away


def test_a_session_signed_in_before_the_count_was_kept_starts_it_now(signed_in):
    store = SessionStore(session_key=signed_in.session.session_key)
    del store[SIGNED_IN_AT]
    store.save()
    before = time.time()
    assert signed_in.get(reverse("dashboard")).status_code == 200  # not signed out
    assert signed_in.session[SIGNED_IN_AT] >= before
