from allauth.mfa.models import Authenticator
from django.contrib import messages
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
