"""What every response tells the browser, checked on the responses themselves rather than the
settings: the Content Security Policy and its neighbours, that a form posted without its CSRF token
is refused, and that a signed-in person's pages are kept by no cache (ASVS 8.2.1, 4.2.2, 14.4)."""

import pytest
from django.test import Client
from django.urls import reverse

from certification.wizard.steps import PROFILE
from tests.factories import draft_application

pytestmark = pytest.mark.django_db


def _policy(response) -> dict[str, list[str]]:
    directives = (part.strip().split() for part in response["Content-Security-Policy"].split(";"))
    return {words[0]: words[1:] for words in directives if words}


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/no-such-page/"])
def test_every_page_carries_a_policy_that_runs_and_frames_nothing_from_elsewhere(client, path):
    response = client.get(path)
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_signing_in_without_the_forms_csrf_token_is_refused(owner_a):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(
        reverse("account_login"), {"login": owner_a.email, "password": "not-checked"}
    )
    assert response.status_code == 403
    assert "_auth_user_id" not in browser.session


def test_saving_a_step_without_the_forms_csrf_token_is_refused_and_changes_nothing(owner_a):
    application = draft_application(owner=owner_a)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(owner_a)
    url = reverse("certification:wizard-step", args=[application.pk, PROFILE])
    before = application.version
    response = browser.post(url, {"legal_name": "Changed Without A Token LLC"})
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.version == before


def test_a_signed_in_persons_page_is_kept_by_no_cache(client, owner_a):
    client.force_login(owner_a)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= directives
