from django.urls import path

from reviews.views import assignment, importer_numbers, queue, record, sign_off, workspace

app_name = "reviews"

urlpatterns = [
    path("", queue.dashboard, name="dashboard"),
    path("queue/", queue.queue, name="queue"),
    path("queue/assign", assignment.bulk_assign, name="bulk-assign"),
    path("applications/<int:pk>/claim", assignment.claim, name="claim"),
    path("applications/<int:pk>/assign", assignment.assign, name="assign"),
    path("applications/<int:pk>/step-aside", assignment.recuse, name="recuse"),
    path("applications/<int:pk>/", workspace.workspace, name="workspace"),
    path("applications/<int:pk>/record", record.application_record, name="record"),
    path("applications/<int:pk>/declare", workspace.declare, name="declare"),
    path(
        "applications/<int:pk>/importer-numbers",
        importer_numbers.importer_numbers,
        name="importer-numbers",
    ),
    path(
        "applications/<int:pk>/answers-read",
        workspace.acknowledge_answers,
        name="acknowledge-answers",
    ),
    path("applications/<int:pk>/scores", workspace.save_scores, name="save-scores"),
    path(
        "applications/<int:pk>/scores/<str:demonstration>/totals",
        workspace.score_totals,
        name="score-totals",
    ),
    path("applications/<int:pk>/finding", workspace.record_finding, name="record-finding"),
    path("applications/<int:pk>/recommend", workspace.recommend, name="recommend"),
    path(
        "applications/<int:pk>/request-information",
        workspace.request_information,
        name="request-information",
    ),
    path("applications/<int:pk>/sign-off", sign_off.sign_off, name="sign-off"),
    path(
        "applications/<int:pk>/sign-off/letter-preview",
        sign_off.sign_off_preview,
        name="sign-off-preview",
    ),
    path("letters/<int:pk>/retry", sign_off.letter_retry, name="letter-retry"),
]
