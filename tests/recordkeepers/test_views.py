import re

import pytest
from django.core import mail
from django.urls import reverse

from recordkeepers.models import Invitation, Membership, Organisation, User
from recordkeepers.services import invitation_create, invitation_issue_token
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SIGNUP = {
    "full_name": "Olivia Owner",
    "email": "olivia@acme.example",
    "organisation_legal_name": "Acme Imports LLC",
    "password1": "Correct-Horse-Battery-9",
    "password2": "Correct-Horse-Battery-9",
}


def test_sign_up_creates_the_organisation_and_sends_a_verification_email(client):
    response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(email="olivia@acme.example")
    assert user.full_name == "Olivia Owner"
    assert user.membership.role == Membership.Role.OWNER
    assert user.membership.organisation.legal_name == "Acme Imports LLC"
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[0].body).group(0)

    # The address must be verified before the dashboard opens.
    assert client.get(reverse("dashboard")).status_code == 302
    confirm_path = link.split("testserver", 1)[1]
    assert client.post(confirm_path).status_code == 302
    client.force_login(user)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert "Acme Imports LLC" in response.text


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": ""}, "email", "Enter your email address"),
        ({"email": "not-an-email"}, "email", "valid email address"),
        ({"email": "a" * 250 + "@example.com"}, "email", "254 characters"),
        ({"full_name": ""}, "full_name", "Enter your full name"),
        ({"full_name": "x" * 151}, "full_name", "at most 150 characters"),
        ({"organisation_legal_name": ""}, "organisation_legal_name", "legal name"),
        ({"password1": "short", "password2": "short"}, "password1", "too short"),
        ({"password1": "password1234", "password2": "password1234"}, "password1", "too common"),
        ({"password2": "Different-Horse-Battery-9"}, "password2", "same password"),
    ],
)
def test_bad_sign_up_input_is_explained_beside_the_field(client, changes, field, message):
    response = client.post(reverse("account_signup"), {**SIGNUP, **changes})
    assert response.status_code < 500
    assert response.status_code != 302
    errors = response.context["form"].errors
    assert field in errors, errors
    assert any(message.lower() in e.lower() for e in errors[field]), errors[field]
    assert message.lower().split()[0] in response.text.lower()
    assert not User.objects.exists()
    assert not Organisation.objects.exists()


def test_sign_up_with_a_taken_email_creates_nothing(client, owner_a):
    response = client.post(reverse("account_signup"), {**SIGNUP, "email": owner_a.email})
    assert response.status_code < 500
    assert User.objects.filter(email__iexact=owner_a.email).count() == 1
    assert Organisation.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"login": "", "password": ""},
        {"login": "not-an-email", "password": "x"},
        {"login": "x" * 5000 + "@example.com", "password": "x" * 5000},
        {"login": "nobody@example.com", "password": "Wrong-password-123"},
    ],
)
def test_bad_sign_in_input_gets_a_message_not_an_error(client, data):
    response = client.post(reverse("account_login"), data)
    assert response.status_code == 200
    assert response.context["form"].errors


def test_repeated_failed_sign_ins_are_rate_limited(client, owner_a):
    def attempt(password):
        return client.post(reverse("account_login"), {"login": owner_a.email, "password": password})

    for _ in range(5):
        response = attempt("Wrong-password-123")
        assert "Too many failed" not in response.text
    response = attempt("Wrong-password-123")
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.text
    # Even the right password waits until the limit has passed.
    response = attempt(PASSWORD)
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.text
    assert "_auth_user_id" not in client.session


def test_too_many_sign_ups_from_one_address_get_a_429(client, settings):
    for n in range(20):
        client.post(reverse("account_signup"), {**SIGNUP, "email": f"x{n}@example.com"})
    response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 429
    assert "Too many" in response.text


def test_sign_in_reaches_the_recordkeeper_dashboard(client, owner_a):
    response = client.post(
        reverse("account_login"), {"login": owner_a.email, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("dashboard")
    assert owner_a.membership.organisation.legal_name in response.text


def test_a_person_without_an_organisation_is_asked_to_register_one(client):
    from tests.factories import UserFactory

    person = UserFactory()
    client.force_login(person)
    response = client.get(reverse("dashboard"))
    assert response.url == reverse("recordkeepers:organisation-create")
    response = client.post(reverse("recordkeepers:organisation-create"), {"legal_name": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["legal_name"]
    response = client.post(reverse("recordkeepers:organisation-create"), {"legal_name": "New Co"})
    assert response.status_code == 302
    assert person.membership.organisation.legal_name == "New Co"


@pytest.mark.parametrize("persona", ["reviewer", "supervisor", "appeals_official", "cbp_admin"])
def test_cbp_staff_register_no_importer(request, as_staff, persona):
    person = request.getfixturevalue(persona)
    client = as_staff(person)
    assert client.get(reverse("recordkeepers:organisation-create")).status_code == 403
    response = client.post(reverse("recordkeepers:organisation-create"), {"legal_name": "Staff Co"})
    assert response.status_code == 403
    assert not Membership.objects.filter(user=person).exists()
    assert not Organisation.objects.filter(legal_name="Staff Co").exists()


class TestMembersPage:
    def test_owner_invites_a_colleague(self, client, owner_a, django_capture_on_commit_callbacks):
        client.force_login(owner_a)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("recordkeepers:members"), {"email": "colleague@acme.example"}
            )
        assert response.status_code == 302
        assert Invitation.objects.get().email == "colleague@acme.example"
        assert mail.outbox[0].to == ["colleague@acme.example"]

    def test_bad_invitation_email_is_explained(self, client, owner_a, owner_b):
        client.force_login(owner_a)
        response = client.post(reverse("recordkeepers:members"), {"email": "nope"})
        assert response.status_code == 400
        assert response.context["form"].errors["email"]
        response = client.post(reverse("recordkeepers:members"), {"email": owner_b.email})
        assert response.status_code == 400
        assert "already belongs" in response.context["form"].errors["email"][0]
        assert not Invitation.objects.exists()

    def test_members_see_the_list_but_cannot_invite(self, client, owner_a, member_a):
        client.force_login(member_a)
        response = client.get(reverse("recordkeepers:members"))
        assert response.status_code == 200
        assert owner_a.email in response.text
        response = client.post(reverse("recordkeepers:members"), {"email": "x@acme.example"})
        assert response.status_code == 403
        assert not Invitation.objects.exists()

    def test_another_organisations_member_is_not_found(self, client, owner_a, owner_b):
        client.force_login(owner_a)
        url = reverse("recordkeepers:member-remove", args=[owner_b.membership.pk])
        assert client.post(url).status_code == 404
        assert Membership.objects.filter(user=owner_b).exists()

    def test_removal_is_post_only(self, client, owner_a, member_a):
        client.force_login(owner_a)
        url = reverse("recordkeepers:member-remove", args=[member_a.membership.pk])
        assert client.get(url).status_code == 405
        assert client.post(url).status_code == 302
        assert not Membership.objects.filter(user=member_a).exists()


class TestInvitationAcceptance:
    @pytest.fixture
    def invitation_and_token(self, owner_a, organisation_a):
        invitation = invitation_create(
            organisation=organisation_a, email="new@acme.example", actor=owner_a
        )
        return invitation, invitation_issue_token(invitation=invitation)

    def test_a_new_colleague_creates_an_account_and_lands_on_the_dashboard(
        self, client, invitation_and_token, organisation_a
    ):
        _, token = invitation_and_token
        url = reverse("recordkeepers:invitation-accept", args=[token])
        page = client.get(url)
        assert page.status_code == 200
        assert organisation_a.legal_name in page.text
        response = client.post(
            url,
            {"full_name": "Nia New", "password1": "short", "password2": "short"},
        )
        assert response.status_code == 400
        assert response.context["form"].errors["password1"]
        assert not User.objects.filter(email="new@acme.example").exists()
        response = client.post(
            url,
            {
                "full_name": "Nia New",
                "password1": "Correct-Horse-Battery-9",
                "password2": "Correct-Horse-Battery-9",
            },
            follow=True,
        )
        assert response.redirect_chain[-1][0] == reverse("dashboard")
        assert User.objects.get(email="new@acme.example").membership.organisation == organisation_a

    def test_an_unknown_token_is_not_found(self, client, db):
        url = reverse("recordkeepers:invitation-accept", args=["not-a-token"])
        assert client.get(url).status_code == 404

    def test_signed_in_as_someone_else_is_refused(self, client, invitation_and_token, owner_b):
        _, token = invitation_and_token
        client.force_login(owner_b)
        url = reverse("recordkeepers:invitation-accept", args=[token])
        assert client.post(url).status_code == 403
        assert not Invitation.objects.get().accepted_at


def test_password_reset_by_email_link(client, owner_a):
    response = client.post(reverse("account_reset_password"), {"email": owner_a.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://testserver(/accounts/password/reset/key/\S+)", mail.outbox[0].body)
    response = client.get(link.group(1), follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"password1": "short", "password2": "short"})
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    response = client.post(
        form_url,
        {"password1": "New-Horse-Battery-42", "password2": "New-Horse-Battery-42"},
    )
    assert response.status_code == 302
    owner_a.refresh_from_db()
    assert owner_a.check_password("New-Horse-Battery-42")
