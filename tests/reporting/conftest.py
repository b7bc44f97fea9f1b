"""The figures' fixtures: a clock the services read, and small programs built through the real
services at chosen instants, so that each event, decision and answer carries the time a test
chose.

How the times are placed: `django.utils.timezone.now` is replaced (pytest's monkeypatch) by a clock
the test sets before each service call. `auto_now_add` fields (Event.created_at,
Decision.decided_at, InformationRequest.created_at…) read `timezone.now()` when the row is
written, and the services stamp `submitted_at` and `answered_at` from it too, so the rows are
written once, as in production, with the chosen time: nothing is updated afterwards (PostgreSQL
refuses to update events) and nothing is inserted behind the services' back. Instants are set in
UTC at 15:00 (10:00 or 11:00 in New York, the service's time zone), so durations are whole days
across the change to daylight saving time and each instant falls on its own local day.
"""

from datetime import UTC, date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from certification import workflow
from certification.demo import demo_profile, fill_application
from certification.models import Application, InformationRequest
from certification.services.drafts import application_attest, application_save_terms
from certification.services.information_requests import information_request_save_answers
from participants import services
from participants.models import Participant
from recordkeepers.models import Membership, User
from tests.factories import (
    DENIAL_REASONS,
    MembershipFactory,
    OrganisationFactory,
    decide,
    start_review,
)

REAL_NOW = timezone.now


class Clock:
    """What `timezone.now()` answers while a test runs: the instant last set, or the real time
    until one is set."""

    def __init__(self) -> None:
        self.instant: datetime | None = None

    def now(self) -> datetime:
        return self.instant or REAL_NOW()

    def at(self, day: date, hour: int = 15) -> datetime:
        self.instant = datetime(day.year, day.month, day.day, hour, tzinfo=UTC)
        return self.instant


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(timezone, "now", clock.now)
    return clock


# Entries per year and import value that make each size class (settings.SIZE_CLASS_THRESHOLDS).
MEASURES = {
    "micro": (10, "500000"),
    "small": (120, "3500000"),
    "medium": (1000, "50000000"),
    "large": (10000, "500000000"),
}


def applicant(size: str, name: str) -> User:
    """The owner of a new organisation of size class `size`: an organisation has one application
    with CBP at a time, so each application here is another organisation's."""
    entries, value = MEASURES[size]
    organisation = OrganisationFactory(
        legal_name=name, entries_per_year=entries, import_value=Decimal(value)
    )
    return MembershipFactory(organisation=organisation, role=Membership.Role.OWNER).user


def draft(owner: User, *, route: str = Application.Route.GENERAL) -> Application:
    """A complete, attested draft of the owner's organisation, as tests.factories.draft_application
    makes one, on either route (an alternative program with the terms it proposes)."""
    application = Application.objects.create(
        organisation=owner.membership.organisation, created_by=owner, route=route
    )
    fill_application(
        application=application,
        actor=owner,
        profile=demo_profile(importer_number="27-100000100", ports=["2704"]),
    )
    if route == Application.Route.ALTERNATIVE:
        application_save_terms(
            application=application,
            actor=owner,
            proposed_terms="Records kept by our broker's system, indexed by entry.",
            expected_version=application.version,
        )
    application_attest(
        application=application,
        actor=owner,
        signer_name="Owner",
        signer_title="Compliance manager",
        expected_version=application.version,
    )
    return application


def submitted(clock: Clock, day: date, size: str, name: str, **draft_options) -> Application:
    """An application drafted and submitted on `day`."""
    clock.at(day)
    owner = applicant(size, name)
    application = draft(owner, **draft_options)
    return workflow.application_submit(application=application, actor=owner)


def decided(
    clock: Clock, application: Application, day: date, *, reviewer, supervisor, outcome: str
):
    """The reviewer recommends and the supervisor signs the decision off on `day`."""
    clock.at(day)
    reasons = DENIAL_REASONS if outcome == "denied" else None
    workflow.application_recommend(
        application=application, actor=reviewer, outcome=outcome, reasons=reasons
    )
    return workflow.application_decide(
        application=application,
        actor=supervisor,
        outcome=outcome,
        reasons=reasons,
        recommended_by=reviewer,
    )


def asked_and_answered(
    clock: Clock,
    application: Application,
    *,
    reviewer,
    asked: date,
    answered: date,
    asked_hour: int = 15,
    answered_hour: int = 15,
) -> InformationRequest:
    """The reviewer asks a question on `asked`; the owner answers it on `answered` (at the hours
    given, UTC)."""
    clock.at(asked, asked_hour)
    request = workflow.application_request_information(
        application=application,
        actor=reviewer,
        questions=["Who keeps the entry records?"],
        due=date(2026, 12, 31),
    )
    clock.at(answered, answered_hour)
    owner = application.created_by
    information_request_save_answers(
        information_request=request,
        actor=owner,
        answers={item.pk: "Our records clerk." for item in request.items.all()},
    )
    workflow.application_answer_information_request(application=application, actor=owner)
    request.refresh_from_db()
    return request


@pytest.fixture
def avery(reviewer) -> User:
    reviewer.full_name = "Avery Reviewer"
    reviewer.save(update_fields=["full_name"])
    return reviewer


@pytest.fixture
def blake(other_reviewer) -> User:
    other_reviewer.full_name = "Blake Reviewer"
    other_reviewer.save(update_fields=["full_name"])
    return other_reviewer


def d(month: int, day: int) -> date:
    return date(2026, month, day)


@pytest.fixture
def march_2026(clock, avery, blake, supervisor, handbook_in_force) -> SimpleNamespace:
    """Nine applications around March 2026, each the only one of its organisation:

    | app | size   | route       | what happened (2026, 15:00 UTC)                                  |
    |-----|--------|-------------|------------------------------------------------------------------|
    | A8  | micro  | general     | submitted Jan 20; nobody has taken it                            |
    | A1  | small  | general     | submitted Feb 23; Avery starts Feb 24; certified Mar 4           |
    | A2  | small  | general     | submitted Mar 3, Avery starts; asked Mar 5, answered Mar 7;      |
    |     |        |             | denied Mar 19                                                    |
    | A6  | micro  | general     | a draft (never submitted), withdrawn Mar 11                      |
    | A3  | micro  | general     | submitted Mar 10; withdrawn Mar 12                               |
    | A4  | medium | alternative | submitted Mar 10; Blake starts Mar 11; certified Mar 25          |
    | A5  | large  | general     | submitted Mar 17; Blake starts Mar 18; in review                 |
    | A9  | small  | general     | submitted Mar 20, Avery starts; in review                        |
    | A7  | small  | general     | submitted Mar 31 (after March's last full week); nobody has it   |

    Weeks of March 2026 start on Mondays 2, 9, 16 and 23; daylight saving time starts Mar 8.
    """
    a8 = submitted(clock, d(1, 20), "micro", "Aster Micro LLC")

    a1 = submitted(clock, d(2, 23), "small", "Birch Small LLC")
    clock.at(d(2, 24))
    start_review(application=a1, reviewer=avery)
    decided(clock, a1, d(3, 4), reviewer=avery, supervisor=supervisor, outcome="certified")

    a2 = submitted(clock, d(3, 3), "small", "Cedar Small LLC")
    start_review(application=a2, reviewer=avery)
    asked_and_answered(clock, a2, reviewer=avery, asked=d(3, 5), answered=d(3, 7))
    decided(clock, a2, d(3, 19), reviewer=avery, supervisor=supervisor, outcome="denied")

    a3 = submitted(clock, d(3, 10), "micro", "Dogwood Micro LLC")
    a4 = submitted(clock, d(3, 10), "medium", "Elm Medium LLC", route="alternative")

    clock.at(d(3, 11))
    owner6 = applicant("micro", "Fir Micro LLC")
    a6 = draft(owner6)
    workflow.application_withdraw(application=a6, actor=owner6)
    start_review(application=a4, reviewer=blake)

    clock.at(d(3, 12))
    workflow.application_withdraw(application=a3, actor=a3.created_by)

    a5 = submitted(clock, d(3, 17), "large", "Gum Large LLC")
    clock.at(d(3, 18))
    start_review(application=a5, reviewer=blake)

    a9 = submitted(clock, d(3, 20), "small", "Hazel Small LLC")
    start_review(application=a9, reviewer=avery)

    decided(clock, a4, d(3, 25), reviewer=blake, supervisor=supervisor, outcome="certified")

    a7 = submitted(clock, d(3, 31), "small", "Ivy Small LLC")
    clock.at(d(4, 1))
    return SimpleNamespace(a1=a1, a2=a2, a3=a3, a4=a4, a5=a5, a6=a6, a7=a7, a8=a8, a9=a9)


def _report(clock: Clock, participant: Participant, day: date, *, violation: bool, found: date):
    clock.at(day)
    return services.report_file(
        participant=participant,
        actor=participant.application.created_by,
        involves_failure=violation,
        what_happened="An invoice was filed late." if not violation else "An invoice was lost.",
        found_on=found,
        records_concerned="Commercial invoices.",
        entry_numbers=[],
        action_taken="Filed it.",
    )


def _failure(clock: Clock, participant: Participant, day: date, *, actor, willful: bool):
    clock.at(day)
    return services.notice_record_failure(
        participant=participant,
        actor=actor,
        entry_number="123-4567890-3",
        record_demanded="The commercial invoice for the entry.",
        demanded_on=day,
        willful=willful,
    )


@pytest.fixture
def after_certification(clock, avery, supervisor, appeals_official, handbook_in_force) -> None:
    """What follows certification around March 2026 (15:00 UTC each day):

    Juniper (small) is certified on Feb 16. It reports a variance on Feb 25 (before March's
    weeks), a variance on Mar 3 and a violation on Mar 4. On Mar 5 CBP asks for corrective action
    on the violation by Mar 10 (never answered: overdue from Mar 11) and on the March variance by
    Dec 1. A failure to produce on Mar 10 gets a notice of violation; a willful one on Mar 11 is
    not eligible. Avery proposes removal on Mar 16, the supervisor issues it on Mar 17 (not at
    once), Juniper appeals on Mar 18 and the appeal is upheld on Mar 24: the removal takes effect.

    Kapok (micro) is denied on Feb 20, appeals on Mar 9 and is certified on appeal on Mar 26; it
    reports a variance on Mar 30, after March's last full week.
    """
    juniper_owner = applicant("small", "Juniper Small LLC")
    clock.at(d(2, 16))
    juniper = Participant.objects.get(
        decision=decide(owner=juniper_owner, reviewer=avery, supervisor=supervisor)
    )
    kapok_owner = applicant("micro", "Kapok Micro LLC")
    clock.at(d(2, 20))
    denial = decide(owner=kapok_owner, reviewer=avery, supervisor=supervisor, outcome="denied")

    _report(clock, juniper, d(2, 25), violation=False, found=d(2, 24))
    variance = _report(clock, juniper, d(3, 3), violation=False, found=d(3, 2))
    violation = _report(clock, juniper, d(3, 4), violation=True, found=d(3, 3))
    clock.at(d(3, 5))
    for report, due in ((violation, d(3, 10)), (variance, d(12, 1))):
        services.report_request_corrective_action(
            report=report, actor=supervisor, request="Keep a copy of each invoice.", due=due
        )
    _failure(clock, juniper, d(3, 10), actor=supervisor, willful=False)
    _failure(clock, juniper, d(3, 11), actor=supervisor, willful=True)

    clock.at(d(3, 9))
    denial_appeal = services.appeal_file(
        application=denial.application, actor=kapok_owner, statement="We now have SOP-08."
    )
    clock.at(d(3, 16))
    removal = services.removal_propose(
        participant=juniper,
        actor=avery,
        grounds=["c1iii"],
        reasons="Records for two entries were not produced when demanded.",
    )
    clock.at(d(3, 17))
    services.removal_issue(removal=removal, actor=supervisor)
    clock.at(d(3, 18))
    removal_appeal = services.appeal_file(
        application=juniper.application, actor=juniper_owner, statement="They were produced."
    )
    clock.at(d(3, 24))
    services.appeal_decide(
        appeal=removal_appeal, actor=appeals_official, outcome="upheld", reasons="Two failures."
    )
    clock.at(d(3, 26))
    services.appeal_decide(
        appeal=denial_appeal, actor=appeals_official, outcome="reversed", reasons="SOP-08 meets it."
    )
    kapok = Participant.objects.get(application=denial.application)
    _report(clock, kapok, d(3, 30), violation=False, found=d(3, 27))
    clock.at(d(4, 1))


@pytest.fixture
def answers(clock, avery, blake, handbook_in_force):
    """Two applications in review with several requests each, asked and answered at hours (UTC)
    that make their answer times:

    - X (small, Avery): 1, 2, 3, 4 and 10 days in March; one more asked Mar 28 and answered
      Apr 2, outside March's weeks;
    - Y (large, Blake): 0.5, 1.5, 2.5 and 3.5 days in March; one more answered Feb 24, before.
    """
    x = submitted(clock, d(2, 2), "small", "Xylo Small LLC")
    start_review(application=x, reviewer=avery)
    y = submitted(clock, d(2, 2), "large", "Yew Large LLC")
    start_review(application=y, reviewer=blake)
    for asked, answered in (
        (d(3, 2), d(3, 3)),
        (d(3, 4), d(3, 6)),
        (d(3, 9), d(3, 12)),
        (d(3, 13), d(3, 17)),
        (d(3, 18), d(3, 28)),
        (d(3, 28), d(4, 2)),
    ):
        asked_and_answered(clock, x, reviewer=avery, asked=asked, answered=answered)
    asked_and_answered(clock, y, reviewer=blake, asked=d(2, 23), answered=d(2, 24))
    for asked, answered in ((d(3, 2), d(3, 2)), (d(3, 4), d(3, 5)), (d(3, 9), d(3, 11))):
        # 06:00 to 18:00 UTC: half a day more than the whole days between.
        asked_and_answered(
            clock, y, reviewer=blake, asked=asked, answered=answered, asked_hour=6, answered_hour=18
        )
    asked_and_answered(
        clock, y, reviewer=blake, asked=d(3, 16), answered=d(3, 19), asked_hour=6, answered_hour=18
    )


@pytest.fixture
def activity(clock, avery, blake, supervisor, handbook_in_force):
    """Adds a round of March 2026's work each time it is called: an application certified after a
    question (and the participant's report, corrective action and failure to produce), one
    withdrawn, one left in review. For counting queries at two sizes of data."""
    rounds = iter(range(1000))

    def add_round() -> None:
        n = next(rounds)
        certified = submitted(clock, d(3, 2), "small", f"Round {n} Certified LLC")
        start_review(application=certified, reviewer=avery)
        asked_and_answered(clock, certified, reviewer=avery, asked=d(3, 3), answered=d(3, 5))
        decision = decided(
            clock, certified, d(3, 9), reviewer=avery, supervisor=supervisor, outcome="certified"
        )
        participant = Participant.objects.get(decision=decision)
        report = _report(clock, participant, d(3, 10), violation=True, found=d(3, 10))
        services.report_request_corrective_action(
            report=report, actor=supervisor, request="Keep the invoices.", due=d(3, 12)
        )
        _failure(clock, participant, d(3, 13), actor=supervisor, willful=True)
        withdrawn = submitted(clock, d(3, 3), "micro", f"Round {n} Withdrawn LLC")
        clock.at(d(3, 4))
        workflow.application_withdraw(application=withdrawn, actor=withdrawn.created_by)
        waiting = submitted(clock, d(3, 16), "large", f"Round {n} Waiting LLC")
        start_review(application=waiting, reviewer=blake)
        clock.at(d(4, 1))

    return add_round
