from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in

from common import forms, middleware


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = "Shared"

    def ready(self) -> None:
        # Every text field of every form, ours, allauth's and the admin's, refuses invisible
        # formatting and control characters: see common.forms for why it is done here.
        forms.install()
        # A session's absolute end counts from its sign-in (common.middleware).
        user_logged_in.connect(middleware.signed_in, dispatch_uid="rkcp-signed-in-at")
