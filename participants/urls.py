from django.urls import path

from participants import views

app_name = "participants"

urlpatterns = [
    path("certification/", views.my_certification, name="certification"),
    path("certification/reports/new", views.report_new, name="report-new"),
    path("certification/reports/<int:pk>/", views.report_detail, name="report"),
    path(
        "certification/reports/<int:pk>/acknowledge",
        views.report_acknowledge,
        name="report-acknowledge",
    ),
    path(
        "certification/reports/<int:pk>/corrective-action",
        views.report_request_action,
        name="report-request-action",
    ),
    path(
        "certification/reports/<int:pk>/action-taken", views.report_respond, name="report-respond"
    ),
    path("certification/reports/<int:pk>/close", views.report_close, name="report-close"),
    path("staff/participants/", views.register, name="register"),
    path("staff/participants/<int:pk>/", views.participant_detail, name="participant"),
    path(
        "staff/participants/<int:pk>/failure-to-produce",
        views.notice_new,
        name="notice-new",
    ),
    path("staff/participants/<int:pk>/propose-removal", views.removal_new, name="removal-new"),
    path("staff/removals/<int:pk>/", views.removal_detail, name="removal"),
    path("staff/appeals/", views.appeals, name="appeals"),
    path("applications/<int:pk>/appeal", views.appeal_new, name="appeal-new"),
    path("appeals/<int:pk>/", views.appeal_detail, name="appeal"),
    path("appeals/<int:pk>/decide", views.appeal_decide, name="appeal-decide"),
    path("appeals/<int:pk>/delay", views.appeal_delay, name="appeal-delay"),
    path("appeals/files/<int:pk>", views.appeal_file_download, name="appeal-file"),
    path("certification/notices/<int:pk>/", views.notice_detail, name="notice"),
    path("certification/notices/<int:pk>/answer", views.notice_answer, name="notice-answer"),
    path("certification/notices/<int:pk>/close", views.notice_close, name="notice-close"),
]
