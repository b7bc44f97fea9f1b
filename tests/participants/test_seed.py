"""The demo's participant records, made through the services, and safe to run again."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from certification.models import Event
from participants.models import ComplianceReport, CorrectiveAction, Participant


def test_the_demo_certified_organisation_has_reports_in_their_states(settings, handbook_in_force):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo_participants")
    call_command("seed_demo_participants")
    participant = Participant.objects.get()
    assert participant.legal_name == "Fairview Medical Supply"
    reports = {r.kind: r for r in ComplianceReport.objects.all()}
    assert set(reports) == {"variance", "violation"}
    assert reports["variance"].status == "acknowledged"
    assert reports["violation"].status == "action_requested"
    assert CorrectiveAction.objects.get().report == reports["violation"]
    assert Event.objects.filter(verb="participant.report_filed").count() == 2


def test_it_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG only"):
        call_command("seed_demo_participants")
