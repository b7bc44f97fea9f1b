"""Who may make each move after certification, persona by persona. The expected outcomes are written
out here, independently of the moves tables and the access rule they check."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from participants import services
from participants.models import ComplianceReport, Removal
from recordkeepers.models import StaffRole
from tests.factories import MembershipFactory, decide, staff_user

PERSONAS = [
    "owner_a",
    "member_a",
    "owner_b",
    "reviewer",
    "linked_reviewer",
    "supervisor",
    "other_supervisor",
    "appeals_official",
]

# Who may do it; everyone else is refused and nothing changes.
EXPECTED = {
    "file a report": {"owner_a", "member_a"},
    "acknowledge a report": {"reviewer", "supervisor", "other_supervisor"},
    "record a failure to produce": {"reviewer", "supervisor", "other_supervisor"},
    "propose removal": {"reviewer", "supervisor", "other_supervisor"},
    # Proposed by the reviewer: any supervisor may decide, no one else.
    "issue a removal": {"supervisor", "other_supervisor"},
    # Issued by `supervisor`: only an appeals official who did not decide it.
    "decide an appeal": {"appeals_official"},
    "ask for corrective action": {"reviewer", "supervisor", "other_supervisor"},
    "report corrective action done": {"owner_a", "member_a"},
    "close a report": {"reviewer", "supervisor", "other_supervisor"},
    "answer a notice": {"owner_a", "member_a"},
    "close a notice": {"reviewer", "supervisor", "other_supervisor"},
    "decline a removal": {"supervisor", "other_supervisor"},
    "appeal a removal": {"owner_a", "member_a"},
    # A denial decided by `supervisor`, appealed: its delay is an appeals official's.
    "delay a denial's appeal": {"appeals_official"},
}


@pytest.fixture
def people(owner_a, member_a, owner_b, reviewer, supervisor, appeals_official, organisation_a):
    linked = staff_user(StaffRole.REVIEWER, email="linked@acme.example")
    MembershipFactory(organisation=organisation_a, user__email="clerk@acme.example")
    return {
        "owner_a": owner_a,
        "member_a": member_a,
        "owner_b": owner_b,
        "reviewer": reviewer,
        "linked_reviewer": linked,
        "supervisor": supervisor,
        "other_supervisor": staff_user(StaffRole.SUPERVISOR, email="boss2@cbp.example.gov"),
        "appeals_official": appeals_official,
    }


def _report(participant, owner) -> ComplianceReport:
    return services.report_file(
        participant=participant,
        actor=owner,
        involves_failure=False,
        what_happened="Index filed late.",
        found_on=timezone.localdate(),
        records_concerned="The index.",
        entry_numbers=[],
        action_taken="Filed it.",
    )


def _issued_removal_appeal(participant, people):
    removal = services.removal_propose(
        participant=participant, actor=people["reviewer"], grounds=["c1v"], reasons="x"
    )
    services.removal_issue(removal=removal, actor=people["supervisor"])
    return services.appeal_file(
        application=participant.application, actor=people["owner_a"], statement="x"
    )


def _asked(p, people) -> ComplianceReport:
    report = _report(p, people["owner_a"])
    services.report_request_corrective_action(
        report=report,
        actor=people["supervisor"],
        request="Automate the index.",
        due=timezone.localdate() + timedelta(days=30),
    )
    return report


def _notice(p, people):
    return services.notice_record_failure(
        participant=p,
        actor=people["reviewer"],
        entry_number="123-4567890-3",
        record_demanded="The invoice.",
        demanded_on=timezone.localdate(),
        willful=False,
    )


def _issued_removal(p, people) -> None:
    removal = services.removal_propose(
        participant=p, actor=people["reviewer"], grounds=["c1v"], reasons="x"
    )
    services.removal_issue(removal=removal, actor=people["supervisor"])


def _denial_appeal(people):
    decision = decide(
        owner=people["owner_b"],
        reviewer=people["reviewer"],
        supervisor=people["supervisor"],
        outcome="denied",
    )
    return services.appeal_file(
        application=decision.application, actor=people["owner_b"], statement="x"
    )


ACTIONS = {
    "file a report": lambda p, people, actor: _report(p, actor),
    "acknowledge a report": lambda p, people, actor: services.report_acknowledge(
        report=_report(p, people["owner_a"]), actor=actor
    ),
    "record a failure to produce": lambda p, people, actor: services.notice_record_failure(
        participant=p,
        actor=actor,
        entry_number="123-4567890-3",
        record_demanded="The invoice.",
        demanded_on=timezone.localdate(),
        willful=False,
    ),
    "propose removal": lambda p, people, actor: services.removal_propose(
        participant=p, actor=actor, grounds=["c1v"], reasons="x"
    ),
    "issue a removal": lambda p, people, actor: services.removal_issue(
        removal=services.removal_propose(
            participant=p, actor=people["reviewer"], grounds=["c1v"], reasons="x"
        ),
        actor=actor,
    ),
    "decide an appeal": lambda p, people, actor: services.appeal_decide(
        appeal=_issued_removal_appeal(p, people), actor=actor, outcome="upheld", reasons="x"
    ),
    "ask for corrective action": lambda p, people, actor: services.report_request_corrective_action(
        report=_report(p, people["owner_a"]),
        actor=actor,
        request="Automate the index.",
        due=timezone.localdate() + timedelta(days=30),
    ),
    "report corrective action done": lambda p, people, actor: (
        services.report_record_corrective_action(
            report=_asked(p, people), actor=actor, response="Automated."
        )
    ),
    "close a report": lambda p, people, actor: services.report_close(
        report=_report(p, people["owner_a"]), actor=actor
    ),
    "answer a notice": lambda p, people, actor: services.notice_answer(
        notice=_notice(p, people), actor=actor, response="Copies kept now."
    ),
    "close a notice": lambda p, people, actor: services.notice_close(
        notice=_notice(p, people), actor=actor
    ),
    "decline a removal": lambda p, people, actor: services.removal_decline(
        removal=services.removal_propose(
            participant=p, actor=people["reviewer"], grounds=["c1v"], reasons="x"
        ),
        actor=actor,
        reason="Not enough.",
    ),
    "appeal a removal": lambda p, people, actor: (
        _issued_removal(p, people),
        services.appeal_file(application=p.application, actor=actor, statement="x"),
    ),
    "delay a denial's appeal": lambda p, people, actor: (
        lambda appeal: services.appeal_delay(
            appeal=appeal,
            actor=actor,
            reasons="Waiting for records.",
            expected=appeal.decision_due + timedelta(days=10),
        )
    )(_denial_appeal(people)),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", list(EXPECTED))
def test_each_persona_may_do_exactly_what_is_expected(
    action, persona, people, participant_a, django_db_blocker
):
    actor = people[persona]
    if persona in EXPECTED[action]:
        ACTIONS[action](participant_a, people, actor)
    else:
        with pytest.raises((PermissionDenied, ValidationError)):
            ACTIONS[action](participant_a, people, actor)
        if action == "issue a removal":
            assert Removal.objects.get().status == "proposed"
