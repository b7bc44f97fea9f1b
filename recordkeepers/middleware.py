from allauth.account.adapter import get_adapter
from allauth.mfa.models import Authenticator
from auditlog.middleware import AuditlogMiddleware
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse

from recordkeepers.rules import is_cbp_staff


class StaffSecondFactorMiddleware:
    """CBP staff must enrol an authenticator before any page other than account pages opens.

    "Staff" is anyone in a CBP role and anyone who may open the Django admin (a superuser made with
    createsuperuser is in no group, and must not be let in with a password alone).

    Once enrolled, allauth asks for the second factor at every sign-in, so a staff session always has
    passed both factors.
    """

    # Paths a staff member without a second factor may still reach: account management (where the
    # enrolment itself happens, and sign-out), static files and the health check.
    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and (user.is_staff or user.is_superuser or is_cbp_staff(user))
            and not _has_second_factor(user)
        ):
            messages.warning(
                request,
                "CBP staff must set up an authenticator app before using the service.",
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


def _has_second_factor(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def client_ip(request: HttpRequest) -> str | None:
    """The address a request came from, as allauth's rate limits count it: behind
    DJANGO_TRUSTED_PROXY_COUNT proxies, the address the nearest untrusted hop gave. None when there
    is none at all (a request made in-process)."""
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return None


class AuditActorMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware: the signed-in person is the actor of every audit entry the
    request writes, with the address it came from.

    The address is `client_ip`'s, not auditlog's own reading of X-Forwarded-For, which takes the
    first address in the header: the one a client can write itself. The client's port says nothing
    about who acted, and a header naming it is the client's to forge, so none is kept.
    """

    @staticmethod
    def _get_remote_addr(request: HttpRequest) -> str | None:
        return client_ip(request)

    @staticmethod
    def _get_remote_port(request: HttpRequest) -> None:
        return None
