"""The moves table, walked exhaustively: every (state, move, role) either moves or changes nothing."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction

from certification import workflow
from certification.models import (
    Application,
    ApplicationStatus,
    Decision,
    Event,
    HandbookEdition,
    InformationRequest,
)
from certification.selectors import handbook_edition_in_force
from certification.services.handbook import handbook_edition_create_draft, handbook_edition_publish
from certification.workflow import MOVES, Role, StaleApplication, TransitionNotAllowed
from tests.factories import draft_application

pytestmark = pytest.mark.django_db

DUE = datetime.date(2027, 1, 15)
DENIAL_REASONS = [{"ground": "b1i", "demonstration": "iii", "text": "No retrieval procedure."}]


def call_move(name, application, actor, target=None):
    """Call the service for a move with valid arguments."""
    services = {
        "submit": lambda: workflow.application_submit(application=application, actor=actor),
        "withdraw": lambda: workflow.application_withdraw(application=application, actor=actor),
        "start_review": lambda: workflow.application_start_review(
            application=application, actor=actor
        ),
        "request_information": lambda: workflow.application_request_information(
            application=application, actor=actor, questions=["Send the SOP."], due=DUE
        ),
        "answer_information_request": lambda: workflow.application_answer_information_request(
            application=application, actor=actor
        ),
        "recommend": lambda: workflow.application_recommend(
            application=application, actor=actor, outcome="certified"
        ),
        "return_for_rework": lambda: workflow.application_return_for_rework(
            application=application, actor=actor, comments="Check (iv)."
        ),
        "decide": lambda: workflow.application_decide(
            application=application,
            actor=actor,
            outcome="denied" if target == ApplicationStatus.DENIED else "certified",
            reasons=DENIAL_REASONS,
            recommended_by=application.assigned_reviewer,
        ),
        "certify_on_appeal": lambda: workflow.application_certify_on_appeal(
            application=application, actor=actor, appeal=1
        ),
    }
    return services[name]()


def make_application(organisation, creator, status, recommender=None) -> Application:
    """An application already in `status` (test set-up writes the row directly)."""
    fields = {}
    if status != ApplicationStatus.DRAFT:
        fields = {
            "reference": f"RKCP-2026-9{Application.objects.count():05d}",
            "handbook_edition": handbook_edition_in_force(),
        }
    if status == ApplicationStatus.DRAFT:
        return draft_application(owner=creator)
    application = Application.objects.create(
        organisation=organisation,
        created_by=creator,
        status=status,
        assigned_reviewer=recommender,
        **fields,
    )
    if status == ApplicationStatus.INFO_REQUESTED:
        request = InformationRequest.objects.create(
            application=application, requested_by=creator, due=DUE
        )
        request.items.create(position=0, question="Send the SOP.", answer="Attached.")
    if status == ApplicationStatus.RECOMMENDED:
        Event.objects.create(
            application=application,
            actor=recommender,
            verb="review.recommended",
            from_status="in_review",
            to_status="recommended",
            data={"outcome": "certified"},
        )
    return application


ROLES = {
    Role.OWNER: "owner_a",
    Role.MEMBER: "member_a",
    "other_organisation": "owner_b",
    Role.REVIEWER: "reviewer",  # the reviewer assigned to the application
    "unassigned_reviewer": "other_reviewer",
    Role.SUPERVISOR: "supervisor",
    Role.APPEALS_OFFICIAL: "appeals_official",
}
CASES = [
    (state, move_name, target, role)
    for state in ApplicationStatus.values
    for move_name, move in MOVES.items()
    for target in sorted(move.targets)
    for role in ROLES
]


@pytest.mark.parametrize(("state", "move_name", "target", "role"), CASES)
def test_every_state_move_and_role(request, state, move_name, target, role, owner_a, reviewer):
    actor = request.getfixturevalue(ROLES[role])
    application = make_application(owner_a.membership.organisation, owner_a, state, reviewer)
    events_before = Event.objects.count()
    version_before = application.version
    move = MOVES[move_name]
    allowed = state in move.sources and role in move.roles

    if allowed:
        call_move(move_name, application, actor, target)
        application.refresh_from_db()
        assert application.status == target
        assert application.version == version_before + 1
        assert Event.objects.count() == events_before + 1
        event = Event.objects.latest("pk")
        assert (event.actor, event.from_status, event.to_status) == (actor, state, target)
    else:
        with pytest.raises((PermissionDenied, ValidationError)), transaction.atomic():
            call_move(move_name, application, actor, target)
        application.refresh_from_db()
        assert application.status == state
        assert application.version == version_before
        assert Event.objects.count() == events_before
        assert not Decision.objects.exists()


def test_a_refusal_names_the_state_and_the_actor(owner_a, reviewer):
    application = make_application(owner_a.membership.organisation, owner_a, "certified")
    with pytest.raises(ValidationError) as error:
        workflow.application_withdraw(application=application, actor=owner_a)
    assert "certified" in str(error.value)
    assert owner_a.email in str(error.value) or str(owner_a) in str(error.value)


def test_submission_pins_the_edition_and_issues_a_reference(owner_a):
    application = make_application(owner_a.membership.organisation, owner_a, "draft")
    workflow.application_submit(application=application, actor=owner_a)
    assert application.reference.startswith(f"RKCP-{datetime.date.today().year}-")
    assert len(application.reference) == len("RKCP-2026-000001")
    assert application.handbook_edition == handbook_edition_in_force()
    assert application.profile_snapshot["legal_name"] == owner_a.membership.organisation.legal_name
    # The queue's columns, from the same snapshot.
    assert application.entries_per_year == 120
    assert (
        application.search_text
        == (
            f"{application.reference} {owner_a.membership.organisation.legal_name} 27-100000100 27100000100"
        ).lower()
    )
    assert application.port_codes == " 2704 "


def test_publishing_a_new_edition_leaves_pinned_applications_alone(owner_a):
    application = make_application(owner_a.membership.organisation, owner_a, "draft")
    workflow.application_submit(application=application, actor=owner_a)
    old = application.handbook_edition
    handbook_edition_publish(edition=handbook_edition_create_draft(based_on=old, title="Next"))
    application.refresh_from_db()
    assert application.handbook_edition == old
    assert old.status == HandbookEdition.Status.RETIRED or old.refresh_from_db() is None


def test_a_stale_version_is_refused_and_nothing_is_written(owner_a):
    application = make_application(owner_a.membership.organisation, owner_a, "draft")
    stale = Application.objects.get(pk=application.pk)
    Application.objects.filter(pk=application.pk).update(version=2)  # another tab saved
    with pytest.raises(StaleApplication, match="changed by someone else"):
        workflow.application_submit(application=stale, actor=owner_a)
    assert Application.objects.get(pk=application.pk).status == "draft"
    assert not Event.objects.filter(verb="application.submitted").exists()


def test_the_recommending_reviewer_cannot_sign_off(owner_a, reviewer, supervisor):
    from django.contrib.auth.models import Group

    reviewer.groups.add(Group.objects.get(name="supervisor"))  # a reviewer who is also supervisor
    application = make_application(
        owner_a.membership.organisation, owner_a, "recommended", reviewer
    )
    with pytest.raises(PermissionDenied):
        workflow.application_decide(
            application=application, actor=reviewer, outcome="certified", recommended_by=reviewer
        )
    decision = workflow.application_decide(
        application=application, actor=supervisor, outcome="certified", recommended_by=reviewer
    )
    assert decision.recommended_by == reviewer


def test_a_denial_needs_reasons(owner_a, reviewer, supervisor):
    application = make_application(
        owner_a.membership.organisation, owner_a, "recommended", reviewer
    )
    with pytest.raises(ValidationError):
        workflow.application_decide(
            application=application, actor=supervisor, outcome="denied", recommended_by=reviewer
        )
    assert Application.objects.get(pk=application.pk).status == "recommended"


def test_events_cannot_be_changed_or_deleted_through_the_model(owner_a):
    application = make_application(owner_a.membership.organisation, owner_a, "draft")
    workflow.application_withdraw(application=application, actor=owner_a)
    event = Event.objects.get(verb="application.withdrawn")
    event.verb = "something.else"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()


@pytest.mark.postgres
def test_postgres_refuses_raw_sql_update_and_delete_of_events(owner_a):
    from django.db import DatabaseError

    application = make_application(owner_a.membership.organisation, owner_a, "draft")
    workflow.application_withdraw(application=application, actor=owner_a)
    for sql in ("UPDATE certification_event SET verb = 'x'", "DELETE FROM certification_event"):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert Event.objects.filter(verb="application.withdrawn").count() == 1
    assert not Event.objects.filter(verb="x").exists()


def _in_threads(*functions):
    barrier = threading.Barrier(len(functions))
    outcomes = []

    def run(function):
        try:
            barrier.wait()
            outcomes.append(("ok", function()))
        except Exception as error:
            outcomes.append(("error", error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(f,)) for f in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_supervisors_deciding_at_once_make_one_decision(owner_a, reviewer, supervisor):
    from recordkeepers.models import StaffRole
    from tests.factories import staff_user

    second = staff_user(StaffRole.SUPERVISOR, email="supervisor2@cbp.example.gov")
    application = make_application(
        owner_a.membership.organisation, owner_a, "recommended", reviewer
    )

    def decide(actor, outcome):
        return lambda: workflow.application_decide(
            application=Application.objects.get(pk=application.pk),
            actor=actor,
            outcome=outcome,
            reasons=DENIAL_REASONS,
            recommended_by=reviewer,
        )

    outcomes = _in_threads(decide(supervisor, "certified"), decide(second, "denied"))
    assert sorted(kind for kind, _ in outcomes) == ["error", "ok"]
    assert Decision.objects.count() == 1
    assert Event.objects.filter(verb="application.decided").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_distinct_references(owner_a, owner_b):
    # A transactional test starts from a flushed database: put an edition in force again.
    if handbook_edition_in_force() is None:
        HandbookEdition.objects.create(title="Edition for this test", status="published")
    applications = [
        make_application(owner_a.membership.organisation, owner_a, "draft"),
        make_application(owner_b.membership.organisation, owner_b, "draft"),
    ]
    outcomes = _in_threads(
        *[
            (lambda a=a, u=u: workflow.application_submit(application=a, actor=u))
            for a, u in zip(applications, [owner_a, owner_b], strict=True)
        ]
    )
    assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
    references = set(Application.objects.values_list("reference", flat=True))
    assert len(references) == 2


def test_a_reviewer_claims_an_unassigned_application_and_a_supervisor_reassigns_it(
    owner_a, reviewer, other_reviewer, supervisor
):
    application = make_application(owner_a.membership.organisation, owner_a, "submitted")
    version = application.version
    event = workflow.application_assign(application=application, actor=reviewer, reviewer=reviewer)
    assert application.assigned_reviewer == reviewer
    assert application.version == version + 1
    assert (event.verb, event.applicant_visible, event.data["previous"]) == (
        "review.assigned",
        False,
        None,
    )
    # Claimed: another reviewer cannot take it, nor hand it to someone else.
    with pytest.raises(PermissionDenied, match="already has a reviewer"):
        workflow.application_assign(
            application=application, actor=other_reviewer, reviewer=other_reviewer
        )
    with pytest.raises(PermissionDenied, match="may not assign"):
        workflow.application_assign(
            application=application, actor=reviewer, reviewer=other_reviewer
        )
    workflow.application_assign(application=application, actor=supervisor, reviewer=other_reviewer)
    assert application.assigned_reviewer == other_reviewer
    assert Event.objects.filter(verb="review.assigned").count() == 2


def test_only_reviewers_are_assigned_and_only_while_cbp_has_the_application(
    owner_a, member_a, reviewer, supervisor
):
    submitted = make_application(owner_a.membership.organisation, owner_a, "submitted")
    with pytest.raises(ValidationError, match="not a CBP reviewer"):
        workflow.application_assign(application=submitted, actor=supervisor, reviewer=member_a)
    certified = make_application(owner_a.membership.organisation, owner_a, "certified")
    with pytest.raises(TransitionNotAllowed, match="certified cannot be assigned"):
        workflow.application_assign(application=certified, actor=supervisor, reviewer=reviewer)
    assert not Event.objects.filter(verb="review.assigned").exists()


def test_a_stale_assignment_is_refused(owner_a, reviewer, other_reviewer, supervisor):
    application = make_application(owner_a.membership.organisation, owner_a, "submitted")
    stale_version = application.version
    workflow.application_assign(application=application, actor=supervisor, reviewer=reviewer)
    with pytest.raises(StaleApplication):
        workflow.application_assign(
            application=application,
            actor=supervisor,
            reviewer=other_reviewer,
            expected_version=stale_version,
        )
    application.refresh_from_db()
    assert application.assigned_reviewer == reviewer


def test_risk_flags_become_one_bit_each_in_riskflag_order():
    from certification.models import risk_flag_bits

    assert risk_flag_bits([]) == 0
    assert risk_flag_bits(["adcvd"]) == 0b1
    assert risk_flag_bits(["pga", "fta", "fta"]) == 0b10010
