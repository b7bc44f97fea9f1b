"""What recordkeepers does when allauth tells it something."""

from allauth.account.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase

from recordkeepers import devices
from recordkeepers.middleware import client_ip
from recordkeepers.models import User
from recordkeepers.services import new_device_sign_in_record


@receiver(user_logged_in, dispatch_uid="recordkeepers.new_device_sign_in")
def record_new_device_sign_in(
    *, request: HttpRequest, response: HttpResponseBase, user: User, **_: object
) -> None:
    """A sign-in that passed a second factor (every CBP sign-in) from a browser that has not
    seen one of this person's before goes in the audit trail, and the browser is remembered."""
    if not devices.passed_second_factor(request, user) or devices.is_known_device(request, user):
        return
    new_device_sign_in_record(
        actor=user,
        ip_address=client_ip(request),
        user_agent=request.headers.get("User-Agent", ""),
    )
    devices.remember_device(request, response, user)
