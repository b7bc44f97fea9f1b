"""Sessions written when they change, or at most once a minute to keep the idle timeout sliding;
and signed-in people's pages kept by no cache (`PrivatePagesMiddleware`).

Writing the session on every request (SESSION_SAVE_EVERY_REQUEST) makes every request a database
write, so a page's overlapping requests (its htmx fragments, an autosave, a second tab) queue on
SQLite's single writer. Instead, a request refreshes the session's expiry only when the last refresh
is older than REFRESH_SECONDS; a session ends SESSION_COOKIE_AGE after its last refresh, which is at
most REFRESH_SECONDS earlier than the person's last request.

The time of the last refresh travels in the session itself, so every page can say truthfully how long
is left: `session_seconds_left` for the page's own countdown, and the same number in a response header
for the requests the page makes afterwards (static/js/rkcp.js).
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

REFRESH_SECONDS = 60
REFRESHED_AT = "_rkcp_refreshed_at"
# When the person signed in (`signed_in`), for the session's absolute end (SESSION_ABSOLUTE_HOURS).
SIGNED_IN_AT = "_rkcp_signed_in_at"
# The session key Django keeps the signed-in person's id under (django.contrib.auth.SESSION_KEY).
AUTH_USER_ID = "_auth_user_id"
SECONDS_LEFT_HEADER = "RKCP-Session-Seconds-Left"


def session_seconds_left(request: HttpRequest) -> int:
    """Seconds until this request's session ends if nothing else refreshes it: never more than the
    server keeps it, and at most REFRESH_SECONDS fewer."""
    session = getattr(request, "session", None)
    refreshed_at = session.get(REFRESHED_AT) if session is not None else None
    if refreshed_at is None:
        return settings.SESSION_COOKIE_AGE
    left = settings.SESSION_COOKIE_AGE - (time.time() - refreshed_at)
    return max(int(left), 0)


def signed_in(sender: object, request: HttpRequest, **kwargs: object) -> None:
    """`user_logged_in`'s receiver (common.apps): the moment the session's absolute end counts from."""
    request.session[SIGNED_IN_AT] = time.time()


class SlidingSessionMiddleware:
    """Placed just after SessionMiddleware, whose save this decides. It also ends a signed-in
    session SESSION_ABSOLUTE_HOURS after its sign-in however busy it is, before authentication
    reads it: the request is then anonymous, and a page that needs a person asks them to sign in
    again. A session signed in before this was kept starts its count at its next request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if session.session_key is not None and AUTH_USER_ID in session:
            started = session.get(SIGNED_IN_AT)
            if started is None:
                session[SIGNED_IN_AT] = time.time()
            elif time.time() - started >= settings.SESSION_ABSOLUTE_HOURS * 3600:
                session.flush()  # signed out: a new, empty session
        # No cookie, or a cookie whose session has ended: nothing to keep alive, and no session
        # is made for a visitor who has none.
        if session.session_key is not None:
            refreshed_at = session.get(REFRESHED_AT)
            if session.session_key is not None and (
                refreshed_at is None or time.time() - refreshed_at >= REFRESH_SECONDS
            ):
                session[REFRESHED_AT] = time.time()  # modified: SessionMiddleware saves it
        response = self.get_response(request)
        if session.is_empty():  # signed out, or never had one
            return response
        if session.modified:
            # Saved anyway (a sign-in, a message): the save pushes the expiry on, so say so.
            session[REFRESHED_AT] = time.time()
        # A 5xx answer is not saved by SessionMiddleware, so what it would say may not hold.
        if response.status_code < 500 and REFRESHED_AT in session:
            response[SECONDS_LEFT_HEADER] = str(session_seconds_left(request))
        return response


class PrivatePagesMiddleware:
    """A response to a signed-in person is theirs alone: neither the browser's cache (the back
    button on a shared computer after signing out) nor a proxy's may keep it. Responses that say
    how they may be cached already (downloads, static files) keep what they say."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response
