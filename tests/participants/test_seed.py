"""The demo's participant records, made through the services, and safe to run again."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from certification.models import Event
from participants.models import (
    Appeal,
    ComplianceReport,
    CorrectiveAction,
    NoticeOfViolation,
    Participant,
)


def test_the_demo_certified_organisation_has_reports_in_their_states(settings, handbook_in_force):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo_participants")
    call_command("seed_demo_participants")
    participant = Participant.objects.get(legal_name="Fairview Medical Supply")
    # The denied organisation's appeal was decided: reversed, so it is a participant too.
    assert Participant.objects.get(legal_name="Granite State Tools").status == "active"
    assert Appeal.objects.get(kind="denial").status == "reversed"
    # A notice answered, and a removal under appeal.
    assert NoticeOfViolation.objects.get(participant=participant).status == "answered"
    assert participant.status == "removal_proposed"
    assert Appeal.objects.get(kind="removal").status == "received"
    reports = {r.kind: r for r in ComplianceReport.objects.filter(participant=participant)}
    assert set(reports) == {"variance", "violation"}
    assert reports["variance"].status == "acknowledged"
    assert reports["violation"].status == "action_requested"
    assert CorrectiveAction.objects.get().report == reports["violation"]
    assert Event.objects.filter(verb="participant.report_filed").count() == 2


def test_it_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG only"):
        call_command("seed_demo_participants")
