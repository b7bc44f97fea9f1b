"""The exports' datasets: who may export which, and exactly which rows each person gets.

The expected rows are written out by hand from the program's rules, not from the code they check
(as tests/reviews/test_visibility_oracle.py does for the pages): a reviewer gets what they are
assigned or may claim, never an organisation they are linked to; supervisors and admins get every
submitted application; on the participants' side every CBP role sees every participant but a
reviewer the ones they are linked to, and only supervisors, admins and appeals officials see
appeals. Applicants export nothing.
"""

import io
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from certification import workflow
from certification.models import Application, Decision
from participants.models import (
    Appeal,
    ComplianceReport,
    CorrectiveAction,
    NoticeOfViolation,
    Participant,
    Removal,
)
from recordkeepers.models import Membership, StaffRole
from reporting.exports import DATASETS, dataset_for, export_write
from reporting.exports.datasets import datasets_for, may_export
from reporting.filters import ReportFilters
from reviews.selectors import QueueFilters
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    decide,
    draft_application,
    staff_user,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _owner(name: str, domain: str):
    organisation = OrganisationFactory(legal_name=name)
    role = Membership.Role.OWNER
    return MembershipFactory(
        organisation=organisation, role=role, user__email=f"owner@{domain}"
    ).user


@dataclass
class Program:
    people: dict
    applications: dict


@pytest.fixture
def seeded(
    owner_a, owner_b, reviewer, other_reviewer, supervisor, handbook_in_force, letter_templates
):
    """Six organisations at every stage. A1 is in review with `reviewer`; C1 and D1 wait
    unassigned; B1 (large) was certified on `reviewer`'s recommendation, E1 on `other_reviewer`'s;
    F1 was denied on `other_reviewer`'s and appealed. Participant B has a report with two
    corrective actions and a failure to produce; E a report and a removal."""
    borealis = owner_b.membership.organisation
    borealis.entries_per_year = 6000  # large: 5,000 entries or more
    borealis.save(update_fields=["entries_per_year"])
    owner_c = _owner("Cascade Outdoor Gear Inc.", "cascade.example")
    owner_d = _owner("Delmar Auto Parts Corp.", "delmar.example")
    owner_e = _owner("Evergreen Textiles LLC", "evergreen.example")
    owner_f = _owner("Fjord Seafood Co.", "fjord.example")

    a1, c1, d1 = (draft_application(owner=owner) for owner in (owner_a, owner_c, owner_d))
    for application in (a1, c1, d1):
        workflow.application_submit(application=application, actor=application.created_by)
    workflow.application_assign(application=a1, actor=supervisor, reviewer=reviewer)
    workflow.application_start_review(application=a1, actor=reviewer)
    b1 = decide(owner=owner_b, reviewer=reviewer, supervisor=supervisor).application
    e1 = decide(owner=owner_e, reviewer=other_reviewer, supervisor=supervisor).application
    f1 = decide(
        owner=owner_f, reviewer=other_reviewer, supervisor=supervisor, outcome="denied"
    ).application
    draft = draft_application(owner=owner_c)  # admins see drafts; no export lists one
    pb = Participant.objects.get(application=b1)
    pe = Participant.objects.get(application=e1)

    today = timezone.localdate()
    report_b = ComplianceReport.objects.create(
        participant=pb,
        kind="violation",
        involves_failure=True,
        what_happened="Our clerk shredded the March invoices.",
        found_on=today - timedelta(days=3),
        records_concerned="Invoices.",
        entry_numbers=["ABC-1234567-8"],
        action_taken="Asked the supplier for copies.",
        filed_by=owner_b,
    )
    CorrectiveAction.objects.create(
        report=report_b,
        request="Revise SOP-08.",
        due=today - timedelta(days=1),
        requested_by=reviewer,
    )
    CorrectiveAction.objects.create(
        report=report_b,
        request="Train the clerks.",
        due=today + timedelta(days=20),
        requested_by=reviewer,
        response="Done.",
        responded_by=owner_b,
        responded_at=timezone.now(),
    )
    ComplianceReport.objects.create(
        participant=pe,
        kind="variance",
        involves_failure=False,
        what_happened="A late filing.",
        found_on=today,
        records_concerned="Entry summaries.",
        action_taken="Filed it.",
        filed_by=owner_e,
    )
    NoticeOfViolation.objects.create(
        participant=pb,
        entry_number="ABC-1234567-8",
        record_demanded="The commercial invoice.",
        demanded_on=today - timedelta(days=10),
        willful=False,
        recorded_by=reviewer,
        eligible=False,
        eligibility=[],
        status="not_eligible",
    )
    Removal.objects.create(
        participant=pe,
        grounds=["c1iii"],
        reasons="Three failures to produce this year.",
        proposed_by=reviewer,
        status_before="active",
    )
    Appeal.objects.create(
        application=f1,
        kind="denial",
        statement="We do have a procedure.",
        filed_by=owner_f,
        received_on=today,
        decision_due=today + timedelta(days=30),
        original_decider=supervisor,
    )
    people = {
        "owner_a": owner_a,
        "reviewer": reviewer,
        "other_reviewer": other_reviewer,
        # Linked to Cascade and to Borealis by a shared email domain (recordkeepers.conflicts).
        "linked_to_cascade": staff_user(StaffRole.REVIEWER, email="audit@cascade.example"),
        "linked_to_borealis": staff_user(StaffRole.REVIEWER, email="audit@borealis.example"),
        "supervisor": supervisor,
        "admin": staff_user(StaffRole.ADMIN, email="admin@cbp.example.gov"),
        "appeals_official": staff_user(StaffRole.APPEALS_OFFICIAL, email="appeals@cbp.example.gov"),
    }
    applications = {"A1": a1, "B1": b1, "C1": c1, "D1": d1, "E1": e1, "F1": f1, "draft": draft}
    return Program(people=people, applications=applications)


def _this_week() -> ReportFilters:
    today = timezone.localdate()
    return ReportFilters(start=today - timedelta(days=6), end=today)


def _rows(seeded: Program, persona: str, key: str) -> list[dict]:
    return list(DATASETS[key].rows(user=seeded.people[persona], filters=_this_week()))


def _names(seeded: Program, wanted: str) -> list[str]:
    """The references of the applications named (A1, B1...), sorted, as the exports show them."""
    return sorted(seeded.applications[name].reference for name in wanted.split())


# Who gets which rows, from the rules (the module's docstring), as the applications they are
# about (a participant's records by the application certified: B1, E1). None: may not export.
ACCESS = {
    "queue": {
        "owner_a": None,
        "appeals_official": None,  # does not open the queue
        "reviewer": "A1 C1 D1",  # assigned A1; C1 and D1 are claimable
        "other_reviewer": "C1 D1",
        "linked_to_cascade": "D1",  # not C1: linked
        "supervisor": "A1 C1 D1",
        "admin": "A1 C1 D1",  # the draft waits for nobody
    },
    "decisions": {
        "owner_a": None,
        "appeals_official": None,
        "reviewer": "B1",  # assigned to them, and decided
        "other_reviewer": "E1 F1",
        "linked_to_borealis": "",  # none assigned to them
        "supervisor": "B1 E1 F1",
        "admin": "B1 E1 F1",
    },
    "register": {
        "owner_a": None,
        "reviewer": "B1 E1",
        "linked_to_borealis": "E1",
        "appeals_official": "B1 E1",
        "supervisor": "B1 E1",
        "admin": "B1 E1",
    },
    "reports": {"owner_a": None, "reviewer": "B1 E1", "linked_to_borealis": "E1", "admin": "B1 E1"},
    "corrective_actions": {"owner_a": None, "reviewer": "B1 B1", "linked_to_borealis": ""},
    "notices": {"owner_a": None, "linked_to_borealis": "", "appeals_official": "B1"},
    "removals": {"owner_a": None, "reviewer": "E1", "linked_to_borealis": "E1"},
    "appeals": {
        "owner_a": None,
        "reviewer": None,  # reviewers do not open appeals
        "linked_to_borealis": None,
        "appeals_official": "F1",
        "supervisor": "F1",
        "admin": "F1",
    },
}


@pytest.mark.parametrize("key", list(ACCESS))
def test_each_person_gets_exactly_the_rows_the_pages_give_them(seeded, key):
    dataset = DATASETS[key]
    for persona, expected in ACCESS[key].items():
        user = seeded.people[persona]
        if expected is None:
            assert not may_export(user=user, key=key), persona
            with pytest.raises(PermissionDenied):
                dataset_for(user=user, key=key)
            with pytest.raises(PermissionDenied):
                dataset.rows(user=user, filters=_this_week())
            with pytest.raises(PermissionDenied):
                dataset.count(user=user, filters=_this_week())
            continue
        rows = _rows(seeded, persona, key)
        assert sorted(row["application.reference"] for row in rows) == _names(seeded, expected), (
            persona
        )
        assert dataset.count(user=user, filters=_this_week()) == len(rows), persona


def test_what_each_role_is_offered_and_nobody_else(seeded):
    offered = {
        persona: [key for key, _ in datasets_for(user=user)]
        for persona, user in seeded.people.items()
    }
    participants = ["register", "reports", "corrective_actions", "notices", "removals"]
    assert offered["owner_a"] == []
    assert offered["reviewer"] == ["queue", "decisions", *participants]
    assert offered["supervisor"] == ["queue", "decisions", *participants, "appeals"]
    assert offered["admin"] == offered["supervisor"]
    assert offered["appeals_official"] == [*participants, "appeals"]
    supervisor = seeded.people["supervisor"]
    assert not may_export(user=supervisor, key="everything")
    with pytest.raises(LookupError):
        dataset_for(user=supervisor, key="everything")
    supervisor.is_active = False  # no longer at CBP: the worker writes nothing for them
    supervisor.save(update_fields=["is_active"])
    with pytest.raises(PermissionDenied):
        export_write(
            user=supervisor, key="queue", filters=_this_week(), format="csv", out=io.BytesIO()
        )


def test_filters_narrow_every_export_by_period_size_class_and_reviewer(seeded):
    now, today = timezone.now(), timezone.localdate()
    # E1 was decided and certified forty days ago, D1 submitted ten days ago.
    Decision.objects.filter(application=seeded.applications["E1"]).update(
        decided_at=now - timedelta(days=40)
    )
    Participant.objects.filter(application=seeded.applications["E1"]).update(
        certified_on=today - timedelta(days=40)
    )
    Application.objects.filter(pk=seeded.applications["D1"].pk).update(
        submitted_at=now - timedelta(days=10)
    )
    reviewer, other = seeded.people["reviewer"].pk, seeded.people["other_reviewer"].pk

    def refs(key, since=6, until=0, size_class="", reviewer_id=None, **options) -> list[str]:
        filters = ReportFilters(
            start=today - timedelta(days=since),
            end=today - timedelta(days=until),
            size_class=size_class,
            reviewer_id=reviewer_id,
        )
        rows = DATASETS[key].rows(user=seeded.people["supervisor"], filters=filters, **options)
        return sorted(row["application.reference"] for row in rows)

    def named(wanted: str) -> list[str]:
        return _names(seeded, wanted)

    assert refs("decisions") == named("B1 F1")
    assert refs("decisions", since=45) == named("B1 E1 F1")
    assert refs("decisions", since=45, until=30) == named("E1")
    assert refs("decisions", size_class="large") == named("B1")
    assert refs("decisions", reviewer_id=other) == named("F1")  # who recommended it
    assert refs("decisions", reviewer_id=reviewer, size_class="small") == []
    assert refs("queue") == named("A1 C1")
    assert refs("queue", since=29) == named("A1 C1 D1")
    assert refs("queue", reviewer_id=reviewer) == named("A1")  # whom it is assigned to
    assert refs("queue", size_class="large") == []
    # The queue page's and the register page's own filters narrow them further.
    assert refs("queue", since=29, queue_filters=QueueFilters(status="submitted")) == named("C1 D1")
    assert refs("register") == named("B1")
    assert refs("register", since=60) == named("B1 E1")
    assert refs("register", since=60, size_class="small") == named("E1")
    assert refs("register", since=60, reviewer_id=other) == named("E1")
    assert refs("register", since=60, q="borealis") == named("B1")
    assert refs("reports", reviewer_id=reviewer) == named("B1")  # asked for corrective action
    assert refs("reports", size_class="small") == named("E1")
    assert refs("corrective_actions", reviewer_id=other) == []
    assert refs("corrective_actions", since=0) == named("B1 B1")  # asked for today
    assert refs("notices", reviewer_id=reviewer) == named("B1")  # who recorded it
    assert refs("notices", size_class="small") == []
    assert refs("removals", reviewer_id=other) == []  # who proposed it
    assert refs("removals", since=60, until=1) == []
    assert refs("appeals", reviewer_id=other) == named("F1")  # who recommended the denial
    assert refs("appeals", reviewer_id=reviewer) == []


def _row(seeded: Program, key: str, name: str, **fields) -> dict:
    """The supervisor's one row of `key` about application `name` (and with `fields`' values)."""
    reference = seeded.applications[name].reference
    [row] = [
        row
        for row in _rows(seeded, "supervisor", key)
        if row["application.reference"] == reference
        and all(row[field.replace("__", ".")] == value for field, value in fields.items())
    ]
    return row


def _part(row: dict, expected: dict) -> dict:
    return {field: row[field] for field in expected}


def test_rows_carry_what_a_person_needs_in_a_spreadsheet(seeded):
    today = timezone.localdate()
    supervisor, reviewer = seeded.people["supervisor"], seeded.people["reviewer"]
    b1 = seeded.applications["B1"]
    assert _row(seeded, "decisions", "B1") == {
        "application.reference": b1.reference,
        "application.legal_name": "Borealis Trading Inc.",
        "profile.importer_numbers": ["27-100000100"],
        "application.size_class": "Large",
        "application.route": "General recordkeeping requirements",
        "decision.outcome": "Certified",
        "application.status": "Certified",
        "application.submitted_on": today,
        "decision.decided_on": today,
        "application.days_to_decision": 0,
        "decision.effective_date": b1.decision.effective_date,
        "decision.appeal_deadline": None,
        "decision.grounds": [],
        "decision.recommended_by": reviewer.full_name,
        "decision.decided_by": supervisor.full_name,
    }
    assert _row(seeded, "decisions", "F1")["decision.grounds"] == ["163.13(b)(1)(i)"]
    queued = {
        "organisation.legal_name": "Acme Imports LLC",
        "application.size_class": "Small",  # 120 entries, $3.5 million
        "application.status": "In review",
        "application.submitted_on": today,
        "application.days_waiting": 0,
        "application.target_days": 45,  # the small class's default
        "application.reviewer": reviewer.full_name,
        "application.entries_per_year": 120,
        "application.answers_unread": False,
    }
    assert _part(_row(seeded, "queue", "A1"), queued) == queued
    reported = {
        "report.number": ComplianceReport.objects.get(kind="violation").pk,
        "report.entry_numbers": ["ABC-1234567-8"],
        "report.actions_requested": 2,
        "report.actions_open": 1,
        "report.actions_overdue": 1,
        "report.next_due": today - timedelta(days=1),
    }
    assert _part(_row(seeded, "reports", "B1"), reported) == reported
    overdue = _row(seeded, "corrective_actions", "B1", corrective_action__overdue=True)
    assert overdue["corrective_action.due"] == today - timedelta(days=1)
    answered = _row(seeded, "corrective_actions", "B1", corrective_action__overdue=False)
    assert answered["corrective_action.responded_on"] == today
    registered = {
        "participant.open_reports": 1,
        "participant.action_overdue": True,
        "participant.certified_on": today,
        "participant.importer_numbers": ["27-100000100"],
    }
    assert _part(_row(seeded, "register", "B1"), registered) == registered
    removal = _row(seeded, "removals", "E1")
    assert removal["removal.grounds"] == [
        "(iii) Fails on a recurring basis to provide entry records when demanded"
    ]
    assert removal["removal.proposed_by"] == reviewer.full_name
