"""The history `seed_scale --history` writes: what each made-up application went through to reach its
status, as the workflow would have recorded it (certification/workflow), at instants after its
submission and before now; and the decided and withdrawn applications the dashboard's figures of
decisions, their timing and withdrawals need.

It plans rows (field attnames to values) and writes them with COPY (`scale_rows.insert`). The verbs, their
from → to statuses and data are those the workflow's services write; whether the applicant sees an
event is the verb's meaning (certification.events), as `Event.objects.record` sets it.
"""

import random
from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from certification.deadlines import appeal_deadline, cbp_day
from certification.events import EventVerb, meaning_of
from certification.models import ApplicationStatus, Decision, Event, WorkloadSettings
from recordkeepers.models import User
from reviews.management.scale_rows import Closed, Row, insert, profile, size_ranges

S = ApplicationStatus
V = EventVerb

# Beyond the queue's applications, this share more that CBP has already decided or that were
# withdrawn, submitted over the past year: the figures of decisions and withdrawals need them.
CLOSED_SHARE = 0.30
WITHDRAWN_SHARE = 0.15  # of those; the rest decided
DENIED_SHARE = 0.25  # of the decided
DECIDED_ASKED = 0.20  # of the decided: CBP asked questions, answered and read before deciding
YEAR = timedelta(days=365)
SUPERVISORS = 3

# As a reviewer writes them (tests.factories.DENIAL_REASONS has the same shape).
DENIAL_REASONS = [
    {
        "ground": "163.13(b)(1)(i)",
        "demonstration": "iii",
        "text": "No procedure for producing records to CBP on demand was shown.",
        "remedy": "A written procedure saying who answers a CBP request for records, and how soon.",
    }
]
QUESTIONS = ["Describe how records are produced to CBP on demand, and by whom."]
ANSWERS = ["Our compliance manager answers CBP's requests within five business days."]


def closed_outcomes(random_: random.Random, count: int, now: datetime) -> list[Closed]:
    """`count` applications decided or withdrawn over the past year, each submitted some weeks
    before it ended (a decision takes one to five months, a withdrawal comes sooner)."""
    closed = []
    for _ in range(count):
        ended_at = now - YEAR * random_.random()
        if random_.random() < WITHDRAWN_SHARE:
            submitted_at = ended_at - timedelta(days=random_.uniform(1, 60))
            withdrawn_from = random_.choice([S.SUBMITTED, S.IN_REVIEW])
            closed.append(Closed(S.WITHDRAWN, ended_at, submitted_at, withdrawn_from))
            continue
        status = S.DENIED if random_.random() < DENIED_SHARE else S.CERTIFIED
        took = timedelta(days=random_.uniform(20, 60) + random_.expovariate(1 / 30))
        asked = random_.random() < DECIDED_ASKED
        closed.append(Closed(status, ended_at, ended_at - took, asked=asked))
    return closed


def steps(
    status: ApplicationStatus,
    *,
    assigned: bool,
    request: str,
    withdrawn_from: ApplicationStatus | None = None,
) -> list[str]:
    """The moves that took an application to `status`, in order, after its submission."""
    if status == S.WITHDRAWN:
        moves = ["assigned", "started"] if withdrawn_from == S.IN_REVIEW else []
        return [*moves, "withdrawn"]
    moves = ["assigned"] if assigned else []
    if status == S.SUBMITTED:
        return moves
    moves.append("started")
    if request:
        moves.append("requested")
    if request in ("answered", "acknowledged"):
        moves.append("answered")
    if request == "acknowledged":
        moves.append("acknowledged")
    if status in (S.RECOMMENDED, S.CERTIFIED, S.DENIED):
        moves.append("recommended")
    if status in (S.CERTIFIED, S.DENIED):
        moves.append("decided")
    return moves


def timeline(
    random_: random.Random,
    submitted_at: datetime,
    moves: list[str],
    end: datetime | None,
    now: datetime,
) -> dict[str, datetime]:
    """The instant of each move: submission first, each move a part of the time left after the one
    before, all before now; with `end` (a decision or a withdrawal), the last move then."""
    at = {"submitted": submitted_at}
    moment, until = submitted_at, end or now
    for number, move in enumerate(moves):
        if end is not None and number == len(moves) - 1:
            moment = end
        else:
            moment += (until - moment) * random_.uniform(0.05, 0.4)
        at[move] = moment
    return at


def events_of(
    *,
    application_id: int,
    status: ApplicationStatus,
    at: dict[str, datetime],
    applicant: User,
    reviewer: User | None,
    supervisor: User,
    withdrawn_from: ApplicationStatus | None,
    outcome: str,
    due: date | None,
) -> list[dict[str, Any]]:
    """The events of one application's `at` (from `timeline`), as the workflow writes them."""
    reasons = DENIAL_REASONS if outcome == Decision.Outcome.DENIED else []
    written = {
        # (verb, actor, from_status, to_status, data)
        "submitted": (V.APPLICATION_SUBMITTED, applicant, S.DRAFT, S.SUBMITTED, {}),
        "started": (V.REVIEW_STARTED, reviewer, S.SUBMITTED, S.IN_REVIEW, {}),
        "requested": (
            V.INFORMATION_REQUESTED,
            reviewer,
            S.IN_REVIEW,
            S.INFO_REQUESTED,
            {"questions": QUESTIONS, "due": due.isoformat() if due else ""},
        ),
        "answered": (
            V.INFORMATION_PROVIDED,
            applicant,
            S.INFO_REQUESTED,
            S.IN_REVIEW,
            {"answers": ANSWERS},
        ),
        "recommended": (
            V.REVIEW_RECOMMENDED,
            reviewer,
            S.IN_REVIEW,
            S.RECOMMENDED,
            {"outcome": outcome, "reasons": reasons},
        ),
        "decided": (
            V.APPLICATION_DECIDED,
            supervisor,
            S.RECOMMENDED,
            status,
            {"outcome": outcome, "reasons": reasons},
        ),
        "withdrawn": (V.APPLICATION_WITHDRAWN, applicant, withdrawn_from, S.WITHDRAWN, {}),
    }
    if reviewer is not None:
        # Not a status move: the reviewer took (claimed) the application.
        written["assigned"] = (
            V.REVIEW_ASSIGNED,
            reviewer,
            "",
            "",
            {"reviewer": reviewer.pk, "reviewer_name": str(reviewer), "previous": None},
        )
    rows = []
    for move, moment in at.items():
        if move not in written:
            continue  # reading the answers ("acknowledged") writes no event
        verb, actor, from_status, to_status, data = written[move]
        rows.append(
            {
                "application_id": application_id,
                "actor_id": actor.pk,
                "verb": verb.value,
                "from_status": from_status or "",
                "to_status": to_status,
                "data": data,
                "applicant_visible": meaning_of(verb).applicant_visible,
                "created_at": moment,
            }
        )
    return rows


def decision_of(
    *,
    application_id: int,
    outcome: str,
    decided_at: datetime,
    decided_on: date,
    reviewer: User,
    supervisor: User,
    appeal_days: int,
) -> dict[str, Any]:
    """The Decision row `application_decide` writes: effective the day it is issued; a denial
    appealable for `appeal_days` (certification.letters.content.decision_facts_on)."""
    denied = outcome == Decision.Outcome.DENIED
    return {
        "application_id": application_id,
        "outcome": outcome,
        "reasons": DENIAL_REASONS if denied else [],
        "terms": "",
        "recommended_by_id": reviewer.pk,
        "decided_by_id": supervisor.pk,
        "decided_at": decided_at,
        "effective_date": decided_on,
        "appeal_deadline": appeal_deadline(issued=decided_on, window_days=appeal_days)
        if denied
        else None,
    }


def with_history(
    random_: random.Random, rows: list[Row], *, reviewers: list[User], supervisors: list[User]
) -> list[Row]:
    """`rows` and the decided and withdrawn ones, in submission order, each with the instants
    of the moves that took it to its status."""
    now = timezone.now()
    ranges = size_ranges()
    for closed in closed_outcomes(random_, round(len(rows) * CLOSED_SHARE), now):
        reviewed = closed.status != ApplicationStatus.WITHDRAWN or (
            closed.withdrawn_from == ApplicationStatus.IN_REVIEW
        )
        rows.append(
            Row(
                submitted_at=closed.submitted_at,
                **profile(random_, ranges),
                status=closed.status,
                reviewer=random_.choice(reviewers) if reviewed else None,
                request="acknowledged" if closed.asked else "",
                closed=closed,
                supervisor=random_.choice(supervisors),
            )
        )
    for row in rows:
        if row.status == ApplicationStatus.RECOMMENDED:
            denied = random_.random() < DENIED_SHARE
            row.outcome = Decision.Outcome.DENIED if denied else Decision.Outcome.CERTIFIED
        elif row.status in (ApplicationStatus.CERTIFIED, ApplicationStatus.DENIED):
            row.outcome = row.status.value
        moves = steps(
            row.status,
            assigned=row.reviewer is not None,
            request=row.request,
            withdrawn_from=row.closed.withdrawn_from if row.closed else None,
        )
        ended = row.closed.ended_at if row.closed else None
        row.at = timeline(random_, row.submitted_at, moves, ended, now)
    rows.sort(key=lambda row: row.submitted_at)
    return rows


def write(
    rows: list[Row], application_ids: list[int], *, creator: User, dues: dict[int, date]
) -> Counter[str]:
    """Write the events and decisions of `rows` (from `with_history`), now given their ids; the
    number of events of each verb."""
    events, decisions = [], []
    appeal_days = WorkloadSettings.current().appeal_days
    for row, application_id in zip(rows, application_ids, strict=True):
        events += events_of(
            application_id=application_id,
            status=row.status,
            at=row.at,
            applicant=creator,
            reviewer=row.reviewer,
            supervisor=row.supervisor,
            withdrawn_from=row.closed.withdrawn_from if row.closed else None,
            outcome=row.outcome,
            due=dues.get(application_id),
        )
        if "decided" in row.at:
            decisions.append(
                decision_of(
                    application_id=application_id,
                    outcome=row.outcome,
                    decided_at=row.at["decided"],
                    decided_on=cbp_day(row.at["decided"]),
                    reviewer=row.reviewer,
                    supervisor=row.supervisor,
                    appeal_days=appeal_days,
                )
            )
    insert(Event, events)
    insert(Decision, decisions)
    return Counter(event["verb"] for event in events)
