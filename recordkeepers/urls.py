from django.urls import path

from recordkeepers import views

app_name = "recordkeepers"

urlpatterns = [
    path("organization/new/", views.organisation_create, name="organisation-create"),
    path("organization/members/", views.members, name="members"),
    path("organization/members/<int:pk>/remove/", views.member_remove, name="member-remove"),
    path(
        "organization/invitations/<int:pk>/withdraw/",
        views.invitation_withdraw,
        name="invitation-withdraw",
    ),
    path("invitations/<str:token>/", views.invitation_accept_view, name="invitation-accept"),
]
