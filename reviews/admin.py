from django.contrib import admin

from recordkeepers.admin import CBPAdminOnly
from reviews.models import ScoringSettings


@admin.register(ScoringSettings)
class ScoringSettingsAdmin(CBPAdminOnly, admin.ModelAdmin):
    """The thresholds that turn scores into suggestions (see reviews/scoring.py). One row."""

    fieldsets = [
        (
            "A demonstration is met at this fraction of its weighted points",
            {"fields": ["met_micro", "met_small", "met_medium", "met_large"]},
        ),
        (
            "Below that, by at most this much, the suggestion is to ask for information",
            {"fields": ["information_band"]},
        ),
    ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not ScoringSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
