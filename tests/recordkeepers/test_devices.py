"""A sign-in with a second factor from a browser that has not seen one of this person's before
goes in the audit trail (recordkeepers/receivers.py), and the browser is remembered by a signed
cookie (recordkeepers/devices.py). Real sign-ins: password, then the authenticator's code."""

import pytest
from auditlog.models import LogEntry
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD
from tests.totp import fresh_totp_code

pytestmark = pytest.mark.django_db

NEW_DEVICE = "signed in with a second factor from a new device"


def sign_in_with_second_factor(client, person, secret: str, browser: str):
    """Password, then the authenticator's code, as a person does it in `browser`."""
    # allauth refuses a code already used; the app would show the next one 30 s later.
    cache.clear()
    answer = client.post(
        reverse("account_login"),
        {"login": person.email, "password": PASSWORD},
        HTTP_USER_AGENT=browser,
    )
    assert answer.url == reverse("mfa_authenticate")
    answer = client.post(
        reverse("mfa_authenticate"), {"code": fresh_totp_code(secret)}, HTTP_USER_AGENT=browser
    )
    assert answer.status_code == 302
    assert answer.url != reverse("mfa_authenticate")
    return answer


def sign_ins_recorded(person) -> list[tuple[object, dict, str | None]]:
    entries = LogEntry.objects.get_for_object(person).filter(action=LogEntry.Action.ACCESS)
    return [(e.actor, e.additional_data, e.remote_addr) for e in entries.order_by("pk")]


def test_a_sign_in_from_a_new_browser_is_recorded_once_per_browser(reviewer, enrol_totp, settings):
    settings.SESSION_COOKIE_SECURE = True  # as in production
    secret = enrol_totp(reviewer)
    first_browser, second_browser = Client(), Client()

    answer = sign_in_with_second_factor(first_browser, reviewer, secret, "Browser One/1.0")
    cookie = answer.cookies["rkcp_known_device"]
    first = {"event": NEW_DEVICE, "ip_address": "127.0.0.1", "user_agent": "Browser One/1.0"}
    assert sign_ins_recorded(reviewer) == [(reviewer, first, "127.0.0.1")]
    assert cookie["httponly"] is True
    assert cookie["secure"] is True
    assert int(cookie["max-age"]) >= 300 * 24 * 3600

    first_browser.post(reverse("account_logout"))
    sign_in_with_second_factor(first_browser, reviewer, secret, "Browser One/1.0")
    assert len(sign_ins_recorded(reviewer)) == 1

    sign_in_with_second_factor(second_browser, reviewer, secret, "Browser Two/2.0")
    second = {"event": NEW_DEVICE, "ip_address": "127.0.0.1", "user_agent": "Browser Two/2.0"}
    assert sign_ins_recorded(reviewer) == [
        (reviewer, first, "127.0.0.1"),
        (reviewer, second, "127.0.0.1"),
    ]


def test_a_browser_known_for_one_person_is_new_for_the_next(reviewer, supervisor, enrol_totp):
    shared = Client()
    reviewer_secret = enrol_totp(reviewer)
    sign_in_with_second_factor(shared, reviewer, reviewer_secret, "Shared/1.0")
    shared.post(reverse("account_logout"))
    supervisor_secret = enrol_totp(supervisor)
    sign_in_with_second_factor(shared, supervisor, supervisor_secret, "Shared/1.0")
    assert len(sign_ins_recorded(supervisor)) == 1

    # The cookie now names both: neither is recorded again in this browser.
    shared.post(reverse("account_logout"))
    sign_in_with_second_factor(shared, reviewer, reviewer_secret, "Shared/1.0")
    assert (len(sign_ins_recorded(reviewer)), len(sign_ins_recorded(supervisor))) == (1, 1)


def test_a_forged_cookie_does_not_make_a_browser_known(client, reviewer, enrol_totp):
    secret = enrol_totp(reviewer)
    sign_in_with_second_factor(client, reviewer, secret, "Browser/1.0")
    value = client.cookies["rkcp_known_device"].value
    client.post(reverse("account_logout"))
    client.cookies["rkcp_known_device"] = value[:-2] + ("AA" if value[-2:] != "AA" else "BB")

    sign_in_with_second_factor(client, reviewer, secret, "Browser/1.0")

    assert len(sign_ins_recorded(reviewer)) == 2


def test_a_sign_in_with_a_password_alone_records_no_device(client, owner_a):
    answer = client.post(reverse("account_login"), {"login": owner_a.email, "password": PASSWORD})

    assert answer.status_code == 302
    assert sign_ins_recorded(owner_a) == []
    assert "rkcp_known_device" not in answer.cookies


def test_cbp_admins_read_the_sign_in_in_the_audit_trail(reviewer, enrol_totp, as_staff, cbp_admin):
    sign_in_with_second_factor(Client(), reviewer, enrol_totp(reviewer), "Browser One/1.0")
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS, actor=reviewer)
    admin = as_staff(cbp_admin)

    listing = admin.get(reverse("admin:auditlog_logentry_changelist") + "?action__exact=3")
    shown = admin.get(reverse("admin:auditlog_logentry_change", args=[entry.pk]))

    assert NEW_DEVICE in listing.text
    assert reviewer.email in listing.text or str(reviewer) in listing.text
    assert "Browser One/1.0" in shown.text
    assert "127.0.0.1" in shown.text
