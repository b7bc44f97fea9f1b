"""A signed-in person's messages (in-app notifications), under /messages/."""

from django.urls import path

from certification.notifications import views as notifications

app_name = "notifications"

urlpatterns = [
    path("", notifications.notification_list, name="list"),
    path("read-all", notifications.notifications_mark_all_read, name="mark-all-read"),
    path("email", notifications.email_choices, name="email-choices"),
    path("<int:pk>/", notifications.notification_detail, name="detail"),
    path("<int:pk>/read", notifications.notification_mark_read, name="mark-read"),
]
