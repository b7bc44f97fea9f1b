import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["reviewer", "supervisor", "cbp_admin"])
@pytest.mark.parametrize("path", ["/staff/", "/dashboard/", "/admin/"])
def test_staff_without_a_second_factor_are_sent_to_enrol(client, request, persona, path):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(path)
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_staff_may_reach_account_pages_to_enrol_and_sign_out(client, reviewer):
    from tests.factories import PASSWORD

    # A real sign-in, so that allauth counts the password as just given (no re-authentication).
    client.post(reverse("account_login"), {"login": reviewer.email, "password": PASSWORD})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    assert client.post(reverse("account_logout")).status_code == 302


def test_enrolled_staff_reach_the_staff_dashboard(client, reviewer, enrol_totp):
    enrol_totp(reviewer)
    client.force_login(reviewer)
    response = client.get(reverse("dashboard"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("reviews:dashboard")
    assert "Staff dashboard" in response.text


def test_recordkeepers_are_not_asked_for_a_second_factor(client, owner_a):
    client.force_login(owner_a)
    assert client.get(reverse("dashboard")).status_code == 200


def test_recordkeepers_cannot_open_the_staff_dashboard(client, owner_a):
    client.force_login(owner_a)
    # Not found, rather than forbidden: the staff side is not disclosed.
    assert client.get(reverse("reviews:dashboard")).status_code == 404


def test_only_cbp_admins_open_the_django_admin(client, reviewer, cbp_admin, enrol_totp):
    enrol_totp(reviewer)
    enrol_totp(cbp_admin)
    client.force_login(reviewer)
    assert client.get("/admin/", follow=True).status_code == 403
    client.force_login(cbp_admin)
    assert client.get("/admin/").status_code == 200


def test_the_admin_signs_people_in_through_the_second_factor_flow(client):
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_staff_sign_in_asks_for_the_authenticator_code(client, reviewer, enrol_totp):
    from tests.factories import PASSWORD

    enrol_totp(reviewer)
    response = client.post(
        reverse("account_login"), {"login": reviewer.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    # Password alone does not open staff pages.
    assert client.get(reverse("reviews:dashboard")).status_code == 302


def test_a_superuser_outside_every_cbp_group_still_needs_a_second_factor(client):
    from recordkeepers.models import User

    root = User.objects.create_superuser(email="root@cbp.example.gov", password="x")
    client.force_login(root)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
