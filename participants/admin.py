"""The periods after certification, kept by CBP's admins in the Django admin (one row)."""

from django.contrib import admin

from common.admin import SingletonAdmin
from participants.models import ParticipantSettings
from recordkeepers.admin import CBPAdminOnly


@admin.register(ParticipantSettings)
class ParticipantSettingsAdmin(SingletonAdmin, CBPAdminOnly, admin.ModelAdmin):
    """What the law leaves to CBP after certification: how long a certification lasts, the time
    a participant is given to act or answer, what makes a violation repeated, and when reminders
    go out. Each change is in the audit trail; deadlines already set keep their dates."""

    fieldsets = [
        ("Validity and renewal", {"fields": ["validity_days", "renewal_notice_days"]}),
        (
            "Time given to a participant",
            {"fields": ["corrective_action_days", "notice_response_days"]},
        ),
        ("Repeated violations", {"fields": ["repeat_window_days", "repeat_after"]}),
        ("Reminders", {"fields": ["reminder_days"]}),
    ]
