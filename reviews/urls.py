from django.urls import path

from reviews import views

app_name = "reviews"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("queue/", views.queue, name="queue"),
    path("queue/assign", views.bulk_assign, name="bulk-assign"),
    path("applications/<int:pk>/claim", views.claim, name="claim"),
    path("applications/<int:pk>/assign", views.assign, name="assign"),
    path("applications/<int:pk>/", views.workspace, name="workspace"),
    path("applications/<int:pk>/declare", views.declare, name="declare"),
    path(
        "applications/<int:pk>/answers-read",
        views.acknowledge_answers,
        name="acknowledge-answers",
    ),
    path("applications/<int:pk>/scores/<str:demonstration>", views.save_scores, name="save-scores"),
    path(
        "applications/<int:pk>/scores/<str:demonstration>/totals",
        views.score_totals,
        name="score-totals",
    ),
    path("applications/<int:pk>/finding", views.record_finding, name="record-finding"),
    path("applications/<int:pk>/recommend", views.recommend, name="recommend"),
    path(
        "applications/<int:pk>/request-information",
        views.request_information,
        name="request-information",
    ),
    path("applications/<int:pk>/sign-off", views.sign_off, name="sign-off"),
    path("letters/<int:pk>/retry", views.letter_retry, name="letter-retry"),
]
