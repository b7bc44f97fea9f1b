from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from certification.views import pages, statements
from config import views

# The admin signs people in through allauth, so that the second factor is always asked for.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "RKCP administration"
admin.site.site_title = "RKCP administration"

# A database that cannot be reached is a 503 asking to try again, not a 500 (config/views.py).
handler500 = "config.views.server_error"

urlpatterns = [
    path("", pages.home, name="home"),
    path("dashboard/", pages.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("privacy-act-statement/", statements.privacy_act_statement, name="privacy-act-statement"),
    path(
        "paperwork-reduction-act/",
        statements.paperwork_reduction_act_statement,
        name="paperwork-reduction-act-statement",
    ),
    path("applications/", include("certification.urls")),
    path("messages/", include("certification.notifications.urls")),
    path("accounts/", include("allauth.urls")),
    path("staff/reports/", include("reporting.urls")),
    path("staff/", include("reviews.urls")),
    path("", include("participants.urls")),
    path("", include("recordkeepers.urls")),
    path("admin/", admin.site.urls),
]
