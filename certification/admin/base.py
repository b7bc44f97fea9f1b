"""What the app's admin pages share."""

from django.contrib import admin
from django.urls import path, reverse
from django.views.decorators.http import require_safe

from recordkeepers.admin import CBPAdminOnly


class PreviewViewMixin:
    """A ModelAdmin with a read-only `preview_view(request, pk)` at "<pk>/preview/"."""

    def get_urls(self):
        # Before the default URLs: their "<path:object_id>/" would otherwise take ".../preview/".
        preview = path(
            "<int:pk>/preview/",
            self.admin_site.admin_view(require_safe(self.preview_view)),
            name=f"{self.opts.app_label}_{self.opts.model_name}_preview",
        )
        return [preview, *super().get_urls()]

    def preview_url(self, obj) -> str:
        name = f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_preview"
        return reverse(name, args=[obj.pk])


class ViewOnly:
    """A ModelAdmin whose rows are written by services: CBP admins read them here, and act on them
    only through the admin actions that call those services."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(CBPAdminOnly, admin.TabularInline):
    """What an applicant or reviewer wrote, shown in the admin but changed only through the service."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
