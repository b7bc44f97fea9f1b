"""The browsers a person has signed in from with a second factor.

A browser that has seen a person's second factor carries a signed cookie saying so. The cookie is
the only record of it: nothing about devices is stored on the server, so a cleared cookie, a new
browser or a private window is a new device. The cookie holds a keyed digest of each person's id,
not the id itself, so a shared browser does not tell one person who else has used it.
"""

from allauth.account.authentication import get_authentication_records
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.crypto import salted_hmac

from recordkeepers.models import User

COOKIE_NAME = "rkcp_known_device"
_SALT = "recordkeepers.devices"
# Browsers keep a cookie at most 400 days; a year lets a person's usual browser stay known.
MAX_AGE_SECONDS = 365 * 24 * 60 * 60
# People known to one browser (a shared desk): the oldest are forgotten past this.
MAX_PEOPLE = 20


def _digest(user: User) -> str:
    return salted_hmac(_SALT, str(user.pk), algorithm="sha256").hexdigest()[:32]


def _known(request: HttpRequest) -> list[str]:
    """The digests this browser's cookie names, or none when it is absent, forged or too old."""
    value = (
        request.get_signed_cookie(COOKIE_NAME, default="", salt=_SALT, max_age=MAX_AGE_SECONDS)
        or ""
    )
    return [digest for digest in value.split(",") if digest]


def passed_second_factor(request: HttpRequest, user: User) -> bool:
    """Whether this session's sign-in of `user` included a second factor (allauth's records)."""
    return any(
        record.get("method") == "mfa" for record in get_authentication_records(request, user)
    )


def is_known_device(request: HttpRequest, user: User) -> bool:
    return _digest(user) in _known(request)


def remember_device(request: HttpRequest, response: HttpResponseBase, user: User) -> None:
    """Set the cookie on `response`, naming `user` as well as whoever it named before.

    HttpOnly: no script needs it. Secure wherever the session cookie is (in production), since a
    cookie sent over plain HTTP could be copied to pass another browser off as a known one.
    """
    digest = _digest(user)
    others = [d for d in _known(request) if d != digest]
    people = [*others[-(MAX_PEOPLE - 1) :], digest]
    response.set_signed_cookie(
        COOKIE_NAME,
        ",".join(people),
        salt=_SALT,
        max_age=MAX_AGE_SECONDS,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )
