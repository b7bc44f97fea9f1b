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


class SlidingSessionMiddleware:
    """Placed just after SessionMiddleware, whose save this decides."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
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
