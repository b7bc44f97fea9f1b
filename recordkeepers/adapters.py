import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.mfa.models import Authenticator


class AccountAdapter(DefaultAccountAdapter):
    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Do not ask for the password again when it was just given to set up a first factor.

        CBP staff are sent to enrol an authenticator straight after signing in; asking them to
        confirm the password they typed seconds ago adds nothing. Changing an existing second
        factor, or enrolling long after signing in, still asks.
        """
        required = super().is_reauthentication_required(app=app, **kwargs)
        request = context.request
        if not required or app != "allauth.mfa" or request is None:
            return required
        user = request.user
        if not user.is_authenticated or Authenticator.objects.filter(user=user).exists():
            return required
        recent_password = [
            record
            for record in get_authentication_records(request, user)
            if record.get("method") == "password"
            and time.time() - record.get("at", 0) < account_settings.REAUTHENTICATION_TIMEOUT
        ]
        return not recent_password
