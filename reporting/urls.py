from django.urls import path

from reporting import queue_export, views

app_name = "reporting"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("exports", views.export_request, name="export-request"),
    path("exports/queue", queue_export.export_queue, name="export-queue"),
    path("exports/<int:pk>/", views.export_detail, name="export"),
    path("exports/<int:pk>/download", views.export_download, name="export-download"),
]
