"""Admin behaviour the apps share."""

from django.db import models
from django.http import HttpRequest


class SingletonAdmin:
    """A ModelAdmin for a `SingletonModel`: its one row is changed, never added twice or deleted."""

    model: type[models.Model]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A mixin: the ModelAdmin it is mixed into (after it) has has_add_permission.
        allowed = super().has_add_permission(request)  # type: ignore[misc]
        return bool(allowed) and not self.model._default_manager.exists()

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
