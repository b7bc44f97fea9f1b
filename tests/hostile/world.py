"""The records every hostile case posts against, built once for a module.

Each case runs inside its own transaction (pytest-django's `db`), nested in the module's, so what a
case saves is rolled back before the next one and the world below is the same for every case. Only
the records are shared: a case re-reads what it needs from the database.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from certification import workflow
from certification.models import Application
from participants import services as participant_services
from participants.models import Participant
from recordkeepers.models import Membership, StaffRole, User
from reviews.selectors import applicable_criteria
from reviews.services import review_declare_no_conflict, review_recommend, review_save_scores
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    decide,
    draft_application,
    staff_user,
    start_review,
)


@dataclass
class World:
    users: dict[str, User] = field(default_factory=dict)
    applications: dict[str, Application] = field(default_factory=dict)
    participant_pk: int | None = None

    def user(self, persona: str) -> User:
        return User.objects.get(pk=self.users[persona].pk)

    def application(self, name: str) -> Application:
        return Application.objects.get(pk=self.applications[name].pk)

    @property
    def participant(self) -> Participant:
        # Read afresh: a service changes the instance it is given, and cases must not share one.
        return Participant.objects.get(pk=self.participant_pk)


def _owner(name: str, email: str) -> User:
    organisation = OrganisationFactory(legal_name=name)
    return MembershipFactory(
        organisation=organisation, role=Membership.Role.OWNER, user__email=email
    ).user


def _staff(role: StaffRole, email: str) -> User:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    user = staff_user(role, email=email)
    TOTP.activate(user, generate_totp_secret())  # staff need their second factor
    return user


def _score_everything(application: Application, reviewer: User) -> None:
    """Every criterion that applies met in full, so that a recommendation may be made."""
    criteria = applicable_criteria(application=application)
    review_save_scores(
        application=application,
        actor=reviewer,
        scores={c.pk: {"score": 3, "not_applicable": False, "notes": ""} for c in criteria},
    )


def build() -> World:
    world = World()
    reviewer = _staff(StaffRole.REVIEWER, "reviewer@cbp.example.gov")
    supervisor = _staff(StaffRole.SUPERVISOR, "supervisor@cbp.example.gov")
    appeals = _staff(StaffRole.APPEALS_OFFICIAL, "appeals@cbp.example.gov")
    admin = _staff(StaffRole.ADMIN, "admin@cbp.example.gov")
    admin.is_superuser = True
    admin.save(update_fields=["is_superuser"])
    world.users |= {
        "reviewer": reviewer,
        "supervisor": supervisor,
        "appeals": appeals,
        "admin": admin,
    }

    # A: a complete draft, not yet signed: the wizard, the attestation, withdrawing.
    owner_a = _owner("Acme Imports LLC", "owner@acme.example")
    world.users["owner_a"] = owner_a
    world.applications["draft"] = draft_application(owner=owner_a, attested=False)

    # B: CBP asked questions.
    owner_b = _owner("Borealis Trading Inc.", "owner@borealis.example")
    world.users["owner_b"] = owner_b
    asked = draft_application(owner=owner_b)
    workflow.application_submit(application=asked, actor=owner_b)
    start_review(application=asked, reviewer=reviewer)
    workflow.application_request_information(
        application=asked,
        actor=reviewer,
        questions=["Send the retention schedule you adopted in March."],
        due=timezone.localdate() + timedelta(days=30),
    )
    world.applications["asked"] = asked

    # C: in review with the reviewer, who declared no conflict.
    owner_c = _owner("Cobalt Freight Co.", "owner@cobalt.example")
    in_review = draft_application(owner=owner_c)
    workflow.application_submit(application=in_review, actor=owner_c)
    start_review(application=in_review, reviewer=reviewer)
    review_declare_no_conflict(application=in_review, actor=reviewer)
    _score_everything(in_review, reviewer)
    world.applications["in_review"] = in_review

    # D: recommended for certification under a negotiated alternative: the sign-off.
    owner_d = _owner("Delta Customs Ltd.", "owner@delta.example")
    recommended = draft_application(owner=owner_d, attested=False)
    Application.objects.filter(pk=recommended.pk).update(
        route=Application.Route.ALTERNATIVE, proposed_terms="Quarterly self-audits."
    )
    recommended.refresh_from_db()
    from certification.services.drafts import application_attest

    application_attest(
        application=recommended,
        actor=owner_d,
        signer_name="Dana Delta",
        signer_title="Owner",
        expected_version=recommended.version,
    )
    workflow.application_submit(application=recommended, actor=owner_d)
    start_review(application=recommended, reviewer=reviewer)
    review_declare_no_conflict(application=recommended, actor=reviewer)
    _score_everything(recommended, reviewer)
    review_recommend(application=recommended, actor=reviewer, outcome="certified")
    world.applications["recommended"] = recommended

    # E: certified, in the register: reports, notices, removals.
    owner_e = _owner("Echo Logistics LLC", "owner@echo.example")
    world.users["owner_e"] = owner_e
    decision = decide(owner=owner_e, reviewer=reviewer, supervisor=supervisor)
    world.participant_pk = Participant.objects.get(decision=decision).pk

    # F: denied, so it may appeal.
    owner_f = _owner("Foxtrot Import Corp.", "owner@foxtrot.example")
    world.users["owner_f"] = owner_f
    denied = decide(owner=owner_f, reviewer=reviewer, supervisor=supervisor, outcome="denied")
    world.applications["denied"] = denied.application

    # Someone signed in who belongs to no organisation yet.
    world.users["newcomer"] = UserFactory(email="newcomer@example.com")
    return world


def report(world: World):
    """A variance report the participant filed."""
    return participant_services.report_file(
        participant=world.participant,
        actor=world.user("owner_e"),
        involves_failure=False,
        what_happened="An invoice was filed late.",
        found_on=timezone.localdate(),
        records_concerned="Commercial invoices, March.",
        entry_numbers=[],
        action_taken="Retrained the clerk.",
    )


def report_awaiting_action(world: World):
    """A report on which CBP asked for corrective action."""
    filed = report(world)
    participant_services.report_request_corrective_action(
        report=filed,
        actor=world.user("reviewer"),
        request="Audit March's entries.",
        due=timezone.localdate() + timedelta(days=30),
    )
    return filed


def notice(world: World):
    """An issued notice of violation in lieu of a penalty, waiting for the participant's answer."""
    return participant_services.notice_record_failure(
        participant=world.participant,
        actor=world.user("reviewer"),
        entry_number="123-4567890-3",
        record_demanded="The commercial invoice.",
        demanded_on=timezone.localdate(),
        willful=False,
    )


def removal(world: World):
    return participant_services.removal_propose(
        participant=world.participant,
        actor=world.user("reviewer"),
        grounds=["c1iii"],
        reasons="Records for three entries were not produced.",
    )


def appeal(world: World):
    return participant_services.appeal_file(
        application=world.application("denied"),
        actor=world.user("owner_f"),
        statement="The procedure was in the manual we sent.",
    )


def module_world(django_db_blocker):
    """Generator for a module-scoped fixture: the world inside a transaction rolled back after."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
