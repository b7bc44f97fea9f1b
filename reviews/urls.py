from django.urls import path

from reviews import views

app_name = "reviews"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("queue/", views.queue, name="queue"),
    path("queue/assign", views.bulk_assign, name="bulk-assign"),
    path("applications/<int:pk>/claim", views.claim, name="claim"),
    path("applications/<int:pk>/assign", views.assign, name="assign"),
]
