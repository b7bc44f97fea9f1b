"""Admins keep the periods after certification in the Django admin; nobody else can, and a
notice issued afterwards gives the period set."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from participants.models import ParticipantSettings

pytestmark = pytest.mark.django_db

FORM = {
    "validity_days": "",
    "renewal_notice_days": "90",
    "corrective_action_days": "45",
    "notice_response_days": "21",
    "repeat_window_days": "365",
    "repeat_after": "1",
    "reminder_days": "7",
}


def test_an_admin_changes_a_period_and_nobody_else_can(client, cbp_admin, supervisor, enrol_totp):
    row = ParticipantSettings.current()
    url = reverse("admin:participants_participantsettings_change", args=[row.pk])
    enrol_totp(supervisor)
    client.force_login(supervisor)
    assert client.get(url).status_code in (302, 403)
    assert client.post(url, FORM).status_code in (302, 403)
    row.refresh_from_db()
    assert row.notice_response_days == 30  # the default, untouched

    enrol_totp(cbp_admin)
    client.force_login(cbp_admin)
    assert client.get(url).status_code == 200
    assert client.post(url, FORM).status_code == 302
    row.refresh_from_db()
    assert (row.notice_response_days, row.corrective_action_days) == (21, 45)
    entry = LogEntry.objects.get_for_object(row).latest("timestamp")
    assert entry.actor == cbp_admin
    assert entry.changes_dict["notice_response_days"] == ["30", "21"]


def test_the_row_is_never_added_twice_nor_deleted(client, cbp_admin, enrol_totp):
    ParticipantSettings.current()
    enrol_totp(cbp_admin)
    client.force_login(cbp_admin)
    assert client.get(reverse("admin:participants_participantsettings_add")).status_code == 403
    row_url = reverse("admin:participants_participantsettings_delete", args=[1])
    assert client.post(row_url, {"post": "yes"}).status_code == 403
    assert ParticipantSettings.objects.count() == 1
