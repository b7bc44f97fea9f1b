from django.apps import AppConfig

from common import forms


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = "Shared"

    def ready(self) -> None:
        # Every text field of every form, ours, allauth's and the admin's, refuses invisible
        # formatting and control characters: see common.forms for why it is done here.
        forms.install()
