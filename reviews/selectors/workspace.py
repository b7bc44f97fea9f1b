"""What the review workspace shows of one application, read in one place: the view only adds the
forms. Each thing is read once, and the queries do not grow with the number of criteria, evidence
files, rounds of questions or events (tests/reviews/test_workspace_queries.py). Reading it writes
nothing: the reviewer marks new answers read with a POST of its own (`acknowledge_answers`).
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from certification.models import (
    Application,
    Criterion,
    Demonstration,
    Event,
    Evidence,
    InformationRequest,
    InformationRequestItem,
)
from certification.selectors import TimelineEntry, application_timeline
from certification.wizard import steps as wizard
from certification.wizard.summary import summary as answers_summary
from recordkeepers.models import User
from recordkeepers.rules import may
from reviews import scoring
from reviews.access import staff_may_see
from reviews.models import ComplianceFinding, CriterionScore, ScoringSettings
from reviews.selectors.queue import QUEUE_STATUSES
from reviews.selectors.scores import applicable_criteria, saved_scores, suggestion_for


@dataclass(frozen=True)
class WorkspacePanel:
    """One demonstration as the workspace shows it: the applicant's answers and evidence beside
    the criteria to score and what their saved scores add up to."""

    demonstration: Demonstration
    criteria: list[Criterion]
    answers: dict | None
    evidence: list[Evidence]
    result: scoring.DemonstrationResult | None


@dataclass(frozen=True)
class Workspace:
    """Everything the review workspace shows of one application, as `user` may see it; the view
    adds only the forms."""

    application: Application
    criteria: list[Criterion]
    saved: dict[int, CriterionScore]
    results: dict[str, scoring.DemonstrationResult]
    suggestion: scoring.Suggestion
    panels: list[WorkspacePanel]
    profile_section: dict | None
    terms_section: dict | None
    individuals: QuerySet
    timeline: list[TimelineEntry]
    # Every round of CBP's questions, with answers and files (`information_requests_for_review`).
    information_requests: list[InformationRequest]
    open_request: InformationRequest | None
    finding: ComplianceFinding | None
    # Requests the applicant answered and the reviewer has not marked read, with their items:
    # what the queue flags as `answers_arrived`.
    unread_answers: list[InformationRequest]
    can_score: bool

    @property
    def answers_unread(self) -> bool:
        return bool(self.unread_answers)


def workspace_application_get(*, user: User, pk: int) -> Application:
    """An application of the review queue `user` may see, for the workspace; else 404. The same
    as `queue_application` finds, asked of the one row (`staff_may_see`) rather than of the query
    over every application (`applications_visible_to_staff`, which tests/reviews/
    test_visibility_oracle.py holds to the same oracle): building that query's conditions took
    the workspace longer than all its other reads together, and each of the rule's reads of one
    row is a lookup by index."""
    application = (
        Application.objects.select_related("organisation")
        .filter(pk=pk, status__in=QUEUE_STATUSES)
        .first()
    )
    if application is None or not staff_may_see(user, application):
        raise Http404("No such application in your queue")
    return application


def workspace_stamp(*, application: Application) -> tuple:
    """What moves whenever anything the workspace shows changes, besides the application's own
    row (its `version`, which every applicant edit and workflow move bumps, its status and
    reviewer): the latest event (a score, a finding, questions sent or answered, a claim each
    write one), the evidence files (a file sent with answers writes no event), the rounds marked
    read (neither does that), and the admins' scoring settings (which judge a review not yet
    pinned to its thresholds). The cached parts of the page are keyed by it.

    One query, written out rather than built with the ORM: it runs on every visit, and building
    its five subqueries cost more than running them. Each reads an index on `application_id`."""
    tables = {
        "events": Event._meta.db_table,
        "evidence": Evidence._meta.db_table,
        "rounds": InformationRequest._meta.db_table,
        "settings": ScoringSettings._meta.db_table,
    }
    sql = """
        SELECT
            (SELECT max(id) FROM {events} WHERE application_id = %(pk)s),
            (SELECT count(*) FROM {evidence} WHERE application_id = %(pk)s),
            (SELECT max(id) FROM {evidence} WHERE application_id = %(pk)s),
            (SELECT count(*) FROM {rounds}
                WHERE application_id = %(pk)s AND acknowledged_at IS NOT NULL),
            (SELECT updated_at FROM {settings} WHERE id = 1)
    """.format(**tables)  # noqa: S608 (the tables' names only: the one value is a parameter)
    with connection.cursor() as cursor:
        cursor.execute(sql, {"pk": application.pk})
        return tuple(cursor.fetchone())


def information_requests_for_review(*, application: Application) -> list[InformationRequest]:
    """Every round of CBP's questions on the application, oldest first: who asked and when, when
    the answers were due and sent, and each question with its answer and the files answering it.
    Three queries however many rounds, questions and files there are."""
    items = InformationRequestItem.objects.order_by("position").prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at", "pk"))
    )
    return list(
        application.information_requests.select_related("requested_by", "answered_by")
        .prefetch_related(Prefetch("items", queryset=items))
        .order_by("created_at", "pk")
    )


def _joined(*sections: dict | None) -> dict | None:
    """The business profile's two wizard pages as one section of the workspace."""
    present = [section for section in sections if section]
    if not present:
        return None
    return {**present[0], "rows": [row for section in present for row in section["rows"]]}


def workspace_for(
    *, user: User, application: Application, can_score: bool | None = None
) -> Workspace:
    """The workspace of `application`, which the caller found through `workspace_application_get`. A
    caller that has already asked whether `user` may score it passes `can_score`."""
    criteria = applicable_criteria(application=application)
    saved = saved_scores(application=application)
    finding = ComplianceFinding.objects.filter(application=application).first()
    results, suggestion = suggestion_for(
        application=application,
        criteria=criteria,
        saved=saved,
        compliance_concern=bool(finding and finding.concern),
    )
    summary = answers_summary(application, with_missing=False)
    sections = {s["step"].demonstration: s for s in summary if s["step"].demonstration}
    by_slug = {s["step"].slug: s for s in summary}
    evidence = list(application.evidence.all())
    rounds = information_requests_for_review(application=application)
    panels = [
        WorkspacePanel(
            demonstration=demonstration,
            criteria=[c for c in criteria if c.demonstration == demonstration.value],
            answers=sections.get(demonstration.value),
            evidence=[e for e in evidence if e.demonstration == demonstration.value],
            result=results.get(demonstration.value),
        )
        for demonstration in Demonstration
    ]
    return Workspace(
        application=application,
        criteria=criteria,
        saved=saved,
        results=results,
        suggestion=suggestion,
        panels=panels,
        profile_section=_joined(by_slug.get(wizard.PROFILE), by_slug.get(wizard.BUSINESS)),
        terms_section=by_slug.get(wizard.TERMS),
        individuals=application.designated_individuals.all(),
        timeline=application_timeline(user=user, application=application),
        information_requests=rounds,
        # Read from the rounds already fetched rather than asked of the database again.
        open_request=next((r for r in rounds if r.answered_at is None), None),
        finding=finding,
        unread_answers=[r for r in rounds if r.answered_at and r.acknowledged_at is None],
        can_score=(
            may(user, "reviews.score_application", application) if can_score is None else can_score
        ),
    )
