"""Every email allauth sends for an account, triggered as a person would: each names the service,
greets the person rather than the host, and carries a link (or code) that works."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from recordkeepers.models import User
from tests.factories import PASSWORD, UserFactory
from tests.totp import fresh_totp_code

pytestmark = pytest.mark.django_db

SERVICE = "Recordkeeping Compliance Program"
NEW_PASSWORD = "New-Horse-Battery-42"
SIGNUP = {
    "full_name": "Olivia Owner",
    "email": "olivia@acme.example",
    "organisation_legal_name": "Acme Imports LLC",
    "password1": "Correct-Horse-Battery-9",
    "password2": "Correct-Horse-Battery-9",
}


def only_email(to: str):
    """The one email sent to `to`, checked for what every account email must say."""
    sent = [message for message in mail.outbox if message.to == [to]]
    assert len(sent) == 1, [m.subject for m in mail.outbox]
    message = sent[0]
    assert message.subject.startswith(f"{SERVICE}: ")
    assert SERVICE in message.body
    assert "U.S. Customs and Border Protection" in message.body
    assert "Hello from" not in message.body
    assert "Thank you for using" not in message.body
    assert message.body.startswith("Hello,\n")
    # The host may appear in a link, never as the name of the site.
    for line in message.body.splitlines():
        if "testserver" in line:
            assert re.fullmatch(r"https?://testserver/\S+", line.strip()), line
    return message


def path_of_link(message, pattern: str) -> str:
    match = re.search(rf"https?://testserver({pattern}\S*)", message.body)
    assert match, message.body
    return match.group(1)


def sign_in(client, user, password=PASSWORD):
    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert response.status_code == 302


def test_sign_up_confirmation_names_the_service_and_its_link_confirms(client):
    client.post(reverse("account_signup"), SIGNUP)
    message = only_email("olivia@acme.example")
    assert message.subject == f"{SERVICE}: Confirm your email address"
    path = path_of_link(message, "/accounts/confirm-email/")
    assert client.post(path).status_code == 302
    assert EmailAddress.objects.get(email="olivia@acme.example").verified


def test_account_already_exists_email_offers_a_password_reset_that_works(client, owner_a):
    client.post(reverse("account_signup"), {**SIGNUP, "email": owner_a.email})
    message = only_email(owner_a.email)
    assert message.subject == f"{SERVICE}: You already have an account"
    assert client.get(path_of_link(message, "/accounts/password/reset/")).status_code == 200


def test_password_reset_email_link_opens_the_new_password_form(client, owner_a):
    client.post(reverse("account_reset_password"), {"email": owner_a.email})
    message = only_email(owner_a.email)
    assert message.subject == f"{SERVICE}: Reset your password"
    response = client.get(path_of_link(message, "/accounts/password/reset/key/"), follow=True)
    assert response.status_code == 200
    assert "password1" in response.context["form"].fields


def test_password_reset_for_an_unknown_address_offers_sign_up(client):
    client.post(reverse("account_reset_password"), {"email": "nobody@acme.example"})
    message = only_email("nobody@acme.example")
    assert message.subject == f"{SERVICE}: No account with this email address"
    assert client.get(path_of_link(message, "/accounts/signup/")).status_code == 200


def test_a_completed_password_reset_is_reported_with_its_time_and_zone(client, owner_a):
    client.post(reverse("account_reset_password"), {"email": owner_a.email})
    path = path_of_link(only_email(owner_a.email), "/accounts/password/reset/key/")
    form_url = client.get(path, follow=True).redirect_chain[-1][0]
    mail.outbox.clear()
    client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    message = only_email(owner_a.email)
    assert message.subject == f"{SERVICE}: Your password was reset"
    assert re.search(r"\d:\d\d [ap]\.m\. E[SD]T|\d [ap]\.m\. E[SD]T", message.body), message.body


def test_changing_the_password_is_reported(client, owner_a):
    sign_in(client, owner_a)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    message = only_email(owner_a.email)
    assert message.subject == f"{SERVICE}: Your password was changed"
    assert "Your password was changed." in message.body


def test_setting_a_first_password_is_reported(client):
    user = UserFactory(email="nopass@acme.example")
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    response = client.post(
        reverse("account_set_password"), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    message = only_email(user.email)
    assert message.subject == f"{SERVICE}: A password was set for your account"


def test_adding_confirming_making_primary_and_removing_an_address_each_send_an_email(
    client, owner_a
):
    sign_in(client, owner_a)
    old = owner_a.email
    client.post(reverse("account_email"), {"action_add": "", "email": "second@acme.example"})
    confirmation = only_email("second@acme.example")
    assert confirmation.subject == f"{SERVICE}: Confirm your email address"
    assert client.post(path_of_link(confirmation, "/accounts/confirm-email/")).status_code == 302
    assert EmailAddress.objects.get(email="second@acme.example").verified

    mail.outbox.clear()
    client.post(reverse("account_email"), {"action_primary": "", "email": "second@acme.example"})
    changed = only_email(old)
    assert changed.subject == f"{SERVICE}: Your email address was changed"
    assert f"from {old} to second@acme.example" in changed.body

    mail.outbox.clear()
    client.post(reverse("account_email"), {"action_remove": "", "email": old})
    removed = only_email("second@acme.example")
    assert removed.subject == f"{SERVICE}: An email address was removed from your account"
    assert old in removed.body


def test_resending_the_confirmation_sends_the_same_plain_email(client, owner_a):
    EmailAddress.objects.create(user=owner_a, email="third@acme.example", verified=False)
    sign_in(client, owner_a)
    client.post(reverse("account_email"), {"action_send": "", "email": "third@acme.example"})
    message = only_email("third@acme.example")
    assert message.subject == f"{SERVICE}: Confirm your email address"
    path_of_link(message, "/accounts/confirm-email/")


# allauth sends the activation email once the new authenticator is committed, within the request:
# real transactions, so that it is.
@pytest.mark.django_db(transaction=True)
def test_turning_two_step_verification_on_and_off_and_new_codes_are_reported(client, owner_a):
    sign_in(client, owner_a)
    response = client.get(reverse("mfa_activate_totp"))
    secret = response.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": fresh_totp_code(secret)})
    assert response.status_code == 302
    activated = only_email(owner_a.email)
    assert activated.subject == f"{SERVICE}: Two-step verification is on"

    # Changing a second factor asks for the password again first.
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302
    mail.outbox.clear()
    assert client.post(reverse("mfa_generate_recovery_codes")).status_code == 302
    codes = only_email(owner_a.email)
    assert codes.subject == f"{SERVICE}: New recovery codes were made"

    mail.outbox.clear()
    assert client.post(reverse("mfa_deactivate_totp")).status_code == 302
    deactivated = only_email(owner_a.email)
    assert deactivated.subject == f"{SERVICE}: Two-step verification was turned off"
    assert not User.objects.get(pk=owner_a.pk).authenticator_set.exists()


def test_confirming_in_the_browser_that_signed_up_signs_the_person_in(client):
    client.post(reverse("account_signup"), SIGNUP)
    path = path_of_link(only_email("olivia@acme.example"), "/accounts/confirm-email/")
    response = client.post(path)
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    response = client.get(response.url)
    assert response.status_code == 200
    assert response.context["user"].email == "olivia@acme.example"
    assert "Acme Imports LLC" in response.text


def test_confirming_from_another_browser_confirms_but_asks_to_sign_in(client):
    client.post(reverse("account_signup"), SIGNUP)
    path = path_of_link(only_email("olivia@acme.example"), "/accounts/confirm-email/")
    other_browser = Client()
    response = other_browser.post(path)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="olivia@acme.example").verified
    assert not other_browser.get(reverse("dashboard")).wsgi_request.user.is_authenticated
