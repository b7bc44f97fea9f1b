"""Reads of the review: the queue, with its priority computed by the database.

The queue's order is `reviews.priority.priority()`, written a second time as a database expression
(`PriorityExpression`) so that 100,000 applications can be sorted and paged without loading them;
a test holds the two to the same numbers. The queries of a page of the queue (`queue_page`) are the
same in number whatever the number of applications: the page's rows (found on the applications
table alone, then joined to their organisation and reviewer, in one statement), the counts (by
state, and of the applications the filters leave, in one pass), and in priority order five small
statements that leave out the applications that cannot be on the page (`QueueQuerySet`).
docs/benchmarks.md has the measurements.
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    Expression,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
)
from django.http import Http404
from django.utils import timezone

from certification.models import (
    Application,
    ApplicationStatus,
    Criterion,
    Demonstration,
    Event,
    Evidence,
    InformationRequest,
    WorkloadSettings,
)
from certification.selectors import application_timeline
from certification.wizard import steps as wizard
from certification.wizard.summary import summary as answers_summary
from certification.workflow import AWAITING_CBP, open_information_request
from recordkeepers.models import RiskFlag, SizeClass, StaffRole, User
from recordkeepers.rules import is_supervisor
from reviews import priority, scoring
from reviews.models import ComplianceFinding, CriterionScore, Recommendation, ScoringSettings

# The workflow's "awaiting CBP" states, in the order statuses are listed.
QUEUE_STATUSES = [status for status in ApplicationStatus if status in AWAITING_CBP]


def answered_application_ids() -> QuerySet:
    """Applications with answers to CBP's questions that their reviewer has not opened yet."""
    return InformationRequest.objects.filter(
        answered_at__isnull=False, acknowledged_at__isnull=True
    ).values("application_id")


class PriorityExpression(Expression):
    """`reviews.priority.priority()` as one database expression (see that module for the formula).

    The queue computes it for every application it sorts, so the SQL is written to be cheap per
    row: one CASE on the size class whose branch holds that class's constants, so that the
    submission time is read once; the overdue slope chosen by comparing the submission time with
    the day the target passed, rather than by GREATEST of two products; the risk points looked up
    from the set of flags (`risk_flag_bits`) rather than counted bit by bit; and "answers arrived"
    as membership of a set the database builds once per query, rather than a subquery per row.

    It is one node whose SQL is put together here from its four columns, not a tree of Django
    expressions: the tree had some 300 nodes, and copying and resolving it on each query cost
    more Python time per page than the database spent sorting (docs/benchmarks.md).
    """

    output_field = FloatField()

    def __init__(self, *, now: datetime, workload: WorkloadSettings):
        super().__init__()
        self.now = now
        self.workload = workload
        self.sources = [
            F("submitted_at"),
            F("size_class"),
            F("risk_flag_bits"),
            Q(pk__in=answered_application_ids()),
        ]

    def get_source_expressions(self):
        return self.sources

    def set_source_expressions(self, exprs):
        self.sources = list(exprs)

    def as_sql(self, compiler, connection, **extra_context):
        (submitted, submitted_params), (size, size_params), (bits, bits_params), answered = (
            compiler.compile(source) for source in self.sources
        )
        if connection.vendor == "postgresql":
            # date_part, not EXTRACT: since PostgreSQL 14 EXTRACT returns numeric, and numeric
            # arithmetic on every application the queue sorts costs several times as much.
            epoch = f"date_part('epoch', {submitted})"
        else:
            epoch = f"((julianday({submitted}) - 2440587.5) * 86400.0)"
        seconds_waited = f"(%s - {epoch})"

        def waiting_and_volume(size_class: str) -> tuple[str, list]:
            target = self.workload.target_days(size_class)
            volume = priority.VOLUME_POINTS[size_class]
            # Within the target: AGE_WEIGHT × age. Past it: (AGE_WEIGHT + OVERDUE_EXTRA_WEIGHT) ×
            # age − OVERDUE_EXTRA_WEIGHT × OVERDUE_AFTER, the same line continued twice as steep.
            on_time = priority.AGE_WEIGHT / (86400 * target)
            overdue = (priority.AGE_WEIGHT + priority.OVERDUE_EXTRA_WEIGHT) / (86400 * target)
            overdue_offset = priority.OVERDUE_EXTRA_WEIGHT * priority.OVERDUE_AFTER
            target_passed = self.now - timedelta(days=priority.OVERDUE_AFTER * target)
            waited = [self.now.timestamp(), *submitted_params]
            return (
                f"(CASE WHEN {submitted} < %s THEN {seconds_waited} * %s + %s "
                f"ELSE {seconds_waited} * %s + %s END)",
                [
                    *submitted_params,
                    connection.ops.adapt_datetimefield_value(target_passed),
                    *waited,
                    overdue,
                    volume - overdue_offset,
                    *waited,
                    on_time,
                    volume,
                ],
            )

        sql, params = ["(CASE"], []
        for size_class in SizeClass.values:
            if size_class != SizeClass.MEDIUM:
                branch, branch_params = waiting_and_volume(size_class)
                sql.append(f"WHEN {size} = %s THEN {branch}")
                params += [*size_params, size_class, *branch_params]
        # Medium, and an application without a size class (none in the queue), as `why_here`.
        branch, branch_params = waiting_and_volume(SizeClass.MEDIUM)
        sql.append(f"ELSE {branch} END)")
        params += branch_params

        # Risk: the points of each set of flags, grouped by the points they earn.
        flag_sets: dict[float, list[int]] = {}
        for flag_bits in range(1, 1 << len(RiskFlag.values)):
            counted = min(flag_bits.bit_count(), priority.RISK_FLAGS_COUNTED)
            flag_sets.setdefault(priority.RISK_POINTS_PER_FLAG * counted, []).append(flag_bits)
        sql.append("+ (CASE")
        for points, flag_bits in flag_sets.items():
            sql.append(f"WHEN {bits} IN ({', '.join(str(b) for b in flag_bits)}) THEN %s")
            params += [*bits_params, points]
        sql.append("ELSE %s END)")
        params.append(0.0)

        sql.append(f"+ (CASE WHEN {answered[0]} THEN %s ELSE %s END)")
        params += [*answered[1], priority.ANSWERED_POINTS, 0.0]
        return f"({' '.join(sql)})", params


def _waited_for(points: float) -> float:
    """The age (waiting days ÷ target days) at which waiting earns `points`: the inverse of
    `priority.Weights.waiting_points`, which rises with age."""
    on_time_points = priority.AGE_WEIGHT * priority.OVERDUE_AFTER
    if points <= on_time_points:
        return points / priority.AGE_WEIGHT
    slope = priority.AGE_WEIGHT + priority.OVERDUE_EXTRA_WEIGHT
    return priority.OVERDUE_AFTER + (points - on_time_points) / slope


# Leaves out only applications at least this far below the floor, so that rounding in the
# database's arithmetic can never leave out one that belongs on the page.
PRUNING_MARGIN = 0.01


class QueueQuerySet(QuerySet):
    """The queue's rows, as `queue()` makes them. A slice of it (a page) is one statement in two
    steps: the page's ids, sorted and cut on the applications table alone with no more than the
    sort needs (`_ids`), then those rows with their joins and annotations. Sorting 100,000 rows
    already joined to their organisations and reviewers, with every annotation computed, costs
    several times as much (docs/benchmarks.md). In priority order the first step also leaves out
    the applications that cannot be on the page (`_priority_candidates`).

    Only the queryset `queue()` returns does this: one derived from it (filtered again, reordered)
    is sliced the ordinary way, because `_ids` would no longer match it.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._ids: QuerySet | None = None  # the same rows and order, no joins or display columns
        self._pruning: tuple[datetime, WorkloadSettings] | None = None
        # The number of rows, when the caller counted them already (`queue_page`).
        self.known_count: int | None = None

    def __getitem__(self, k):
        if (
            self._ids is None
            or not isinstance(k, slice)
            or k.step is not None
            or self._result_cache is not None
        ):
            return super().__getitem__(k)
        ids = self._ids
        if k.stop and self._pruning:
            candidates = self._priority_candidates(k.stop, *self._pruning)
            if candidates is not None:
                ids = ids.filter(candidates)
        return self.filter(pk__in=ids.values_list("pk", flat=True)[k])

    def count(self) -> int:
        if self.known_count is not None and self._result_cache is None:
            return self.known_count
        # The same rows, counted from the lighter query: the count does not need the rest.
        if self._ids is not None and self._result_cache is None:
            return self._ids.count()
        return super().count()

    def _priority_candidates(
        self, count: int, now: datetime, workload: WorkloadSettings
    ) -> Q | None:
        """A filter that keeps every application that could be among the first `count` in
        priority order, and leaves out most of the others; None when it would leave out none.

        A priority is the waiting points plus at most a bonus (volume, risk and answers; see
        reviews/priority.py). Take the `count` longest-waiting applications of each size class,
        and `floor`, the `count`-th highest priority among them: at least `count` applications
        score `floor` or more, so one whose waiting points plus its largest possible bonus fall
        short of `floor` cannot be among the first `count`. Waiting points rise with waiting, so
        in each size class what is left out is everything submitted after a certain time, and
        the index on (size_class, submitted_at) finds the rest without reading them all.

        Five small statements, one per size class and the floor, whatever the number of
        applications. The classes' cut-off times are fetched rather than nested as subqueries:
        PostgreSQL cannot estimate how many rows a subquery's time leaves, guesses a third of
        the table and starts parallel workers, which cost more than the whole query.
        """
        longest_waiting = Q()
        for size in SizeClass.values:
            in_class = self._ids.filter(size_class=size)
            last = in_class.order_by("submitted_at", "pk").values_list("submitted_at", flat=True)
            last = list(last[count - 1 : count])
            # A class with fewer than `count`: all of it.
            longest_waiting |= Q(
                size_class=size, **({"submitted_at__lte": last[0]} if last else {})
            )
        floor = self._ids.filter(longest_waiting).values_list("priority", flat=True)
        floor = next(iter(floor[count - 1 : count]), None)
        if floor is None:  # fewer than `count` in all: nothing to leave out
            return None
        # An application without a size class (submission always sets one) is never left out.
        keep = Q(size_class="")
        most_risk = priority.RISK_POINTS_PER_FLAG * priority.RISK_FLAGS_COUNTED
        for size in SizeClass.values:
            bonus = priority.VOLUME_POINTS[size] + most_risk + priority.ANSWERED_POINTS
            points = floor - bonus - PRUNING_MARGIN
            if points <= 0:
                keep |= Q(size_class=size)
                continue
            waited = timedelta(days=_waited_for(points) * workload.target_days(size))
            keep |= Q(size_class=size, submitted_at__lte=now - waited)
        return keep


@dataclass(frozen=True)
class QueueFilters:
    status: str = ""
    size_class: str = ""
    risk_flag: str = ""
    port: str = ""
    assigned: str = ""  # "me", "unassigned", "others", or a reviewer's id
    older_than_days: int | None = None
    search: str = ""
    sort: str = "priority"  # "priority", "age" or "volume"


SORTS = {
    "priority": ["-priority", "submitted_at", "pk"],
    "age": ["submitted_at", "pk"],
    "volume": [F("entries_per_year").desc(nulls_last=True), "submitted_at", "pk"],
}


def queue_visible_to(*, user: User) -> QuerySet[Application]:
    """Reviewers see what they may claim and what is theirs; supervisors see everything."""
    applications = Application.objects.filter(status__in=QUEUE_STATUSES)
    if not is_supervisor(user):
        applications = applications.filter(
            Q(assigned_reviewer__isnull=True) | Q(assigned_reviewer=user)
        )
    return applications


def _matching(*, user: User, filters: QueueFilters, now: datetime) -> Q:
    """The filters as one condition on the applications `user` may see."""
    matching = Q()
    if filters.status:
        matching &= Q(status=filters.status)
    if filters.size_class:
        matching &= Q(size_class=filters.size_class)
    if filters.risk_flag in RiskFlag.values:
        bit = 1 << RiskFlag.values.index(filters.risk_flag)
        # The bit sets that have the flag, rather than `risk_flag_bits & bit`: the database knows
        # how common each value is, and so how many applications match, but not how many a
        # bitwise AND leaves (PostgreSQL guesses 0.5%, and plans for a handful).
        with_flag = [bits for bits in range(1 << len(RiskFlag.values)) if bits & bit]
        matching &= Q(risk_flag_bits__in=with_flag)
    if filters.port:
        token = f"port:{filters.port.strip()}"  # whole: followed by a space or the end
        matching &= Q(search_text__contains=f"{token} ") | Q(search_text__endswith=token)
    if filters.assigned == "me":
        matching &= Q(assigned_reviewer=user)
    elif filters.assigned == "unassigned":
        matching &= Q(assigned_reviewer__isnull=True)
    elif filters.assigned == "others":
        matching &= Q(assigned_reviewer__isnull=False) & ~Q(assigned_reviewer=user)
    elif filters.assigned.isdigit():
        matching &= Q(assigned_reviewer_id=int(filters.assigned))
    if filters.older_than_days:
        matching &= Q(submitted_at__lte=now - timedelta(days=filters.older_than_days))
    if filters.search:
        matching &= Q(search_text__contains=filters.search.strip().lower())
    return matching


def queue(
    *,
    user: User,
    filters: QueueFilters,
    now: datetime | None = None,
    workload: WorkloadSettings | None = None,
) -> QueueQuerySet:
    """The queue as `user` may see it, filtered and sorted, each row annotated with its
    `priority`, whether answers to CBP's questions arrived (`answers_arrived`) and whether an
    information request is overdue (`information_overdue`)."""
    now = now or timezone.now()
    workload = workload or WorkloadSettings.current()
    rows = queue_visible_to(user=user).filter(_matching(user=user, filters=filters, now=now))
    overdue = Exists(
        InformationRequest.objects.filter(
            application=OuterRef("pk"), answered_at__isnull=True, due__lt=now.date()
        )
    )
    order = SORTS.get(filters.sort, SORTS["priority"])
    # The page's ids are found from these; the rows are built on them, so that the priority is
    # put together once.
    ids = rows.annotate(priority=PriorityExpression(now=now, workload=workload)).order_by(*order)
    rows = ids.select_related("organisation", "assigned_reviewer").annotate(
        answers_arrived=ExpressionWrapper(
            Exists(
                InformationRequest.objects.filter(
                    application=OuterRef("pk"),
                    answered_at__isnull=False,
                    acknowledged_at__isnull=True,
                )
            ),
            output_field=BooleanField(),
        ),
        information_overdue=ExpressionWrapper(overdue, output_field=BooleanField()),
    )
    page_rows = QueueQuerySet(model=Application, query=rows.query, using=rows.db)
    page_rows._ids = ids
    # A search matches few applications, so sorting them all is cheap, while the longest-waiting
    # of each size class would be looked for through nearly every application.
    if order is SORTS["priority"] and not filters.search:
        page_rows._pruning = (now, workload)
    return page_rows


def queue_counts(*, user: User) -> dict[str, int]:
    """How many applications in each queue state, how many are the user's and how many have no
    reviewer, in one query."""
    # Counting `status` (never null), not the id, needs only columns of the index on
    # (assigned_reviewer, status): PostgreSQL counts from the index alone, twice as fast.
    return queue_visible_to(user=user).aggregate(
        total=Count("status"),
        mine=Count("status", filter=Q(assigned_reviewer=user)),
        unassigned=Count("status", filter=Q(assigned_reviewer__isnull=True)),
        **{status: Count("status", filter=Q(status=status)) for status in QUEUE_STATUSES},
    )


def why_here(
    application: Application, workload: WorkloadSettings, now: datetime
) -> priority.Priority:
    """The priority of one queue row, with its parts, as of `now`: the same inputs the database's
    `PriorityExpression` sorted it by."""
    waiting_days = (now - application.submitted_at).total_seconds() / 86400
    return priority.priority(
        priority.PriorityInput(
            waiting_days=max(waiting_days, 0.0),
            target_days=workload.target_days(application.size_class or SizeClass.MEDIUM),
            size_class=application.size_class or SizeClass.MEDIUM,
            risk_flag_count=application.risk_flag_count,
            information_answered=bool(application.answers_arrived),
        )
    )


@dataclass(frozen=True)
class QueuePage:
    """One page of the queue: its rows, each with why it is where it is, and the counts."""

    page: Page
    rows: list[tuple[Application, priority.Priority]]
    counts: dict[str, int]


def queue_page(
    *, user: User, filters: QueueFilters, number, per_page: int, now: datetime | None = None
) -> QueuePage:
    """The page `number` of the queue (any value `Paginator.get_page` takes).

    Unfiltered, the paginator's count is the counts' total. Filtered, it is a query of its own:
    counting the matches in the same pass as the states would read every application's row,
    where a count of its own reads only the index that serves the filter.
    """
    now = now or timezone.now()
    workload = WorkloadSettings.current()
    counts = queue_counts(user=user)
    rows = queue(user=user, filters=filters, now=now, workload=workload)
    if replace(filters, sort=QueueFilters.sort) == QueueFilters():  # nothing filtered out
        rows.known_count = counts["total"]
    page = Paginator(rows, per_page).get_page(number)
    return QueuePage(
        page=page,
        rows=[(row, why_here(row, workload, now)) for row in page],
        counts=counts,
    )


def reviewers() -> QuerySet[User]:
    """Everyone who reviews, for assignment and the queue's filter."""
    return User.objects.filter(groups__name=StaffRole.REVIEWER.value, is_active=True).order_by(
        "full_name", "email"
    )


def queue_application(*, user: User, pk: int) -> Application:
    """One application of the queue as `user` may see it, or 404."""
    application = (
        queue_visible_to(user=user)
        .select_related("organisation", "assigned_reviewer")
        .filter(pk=pk)
    ).first()
    if application is None:
        raise Http404("No such application in your queue")
    return application


def recommendation_latest(*, application: Application) -> Recommendation | None:
    """The reviewer's latest recommendation on the application: what a supervisor signs off."""
    return (
        Recommendation.objects.select_related("reviewer")
        .filter(application=application)
        .order_by("-created_at", "-pk")
        .first()
    )


# --- Scores and the scoring's suggestion ---------------------------------------------------------


def applicable_criteria(*, application: Application) -> list[Criterion]:
    """The criteria of the application's pinned edition that apply to its risk profile."""
    flags = set((application.profile_snapshot or {}).get("risk_flags") or [])
    edition = application.handbook_edition
    if edition is None:
        return []
    return [
        c
        for c in edition.criteria.order_by("demonstration", "position", "code")
        if c.applies_to(flags)
    ]


@dataclass(frozen=True)
class GivenScore:
    """A score as the reviewer gives it, checked but not saved: what `suggestion_for` reads of a
    saved `CriterionScore`."""

    score: int | None
    not_applicable: bool
    notes: str = ""


def checked_scores(*, criteria: list[Criterion], scores: dict[int, dict]) -> dict[int, GivenScore]:
    """The reviewer's scores for `criteria`, checked as a saved score must be: only those criteria,
    N/A only where a criterion allows it, and 0 to 3. Raises ValidationError otherwise."""
    by_id = {c.pk: c for c in criteria}
    if set(scores) - set(by_id):
        raise ValidationError("Some scores are for criteria that do not apply to this application.")
    checked = {}
    for criterion_id, given in scores.items():
        criterion = by_id[criterion_id]
        not_applicable = bool(given.get("not_applicable"))
        if not_applicable and criterion.must_pass:
            raise ValidationError(
                {f"score_{criterion_id}": f"{criterion.code} must be scored: it cannot be N/A."}
            )
        score = None if not_applicable else given.get("score")
        if score is not None and score not in range(4):
            raise ValidationError({f"score_{criterion_id}": "Score from 0 to 3."})
        checked[criterion_id] = GivenScore(score, not_applicable, given.get("notes", ""))
    return checked


def saved_scores(*, application: Application) -> dict[int, CriterionScore]:
    """The application's saved scores by criterion id."""
    return {s.criterion_id: s for s in application.criterion_scores.all()}


def scoring_thresholds() -> scoring.Thresholds:
    """The admins' scoring settings, as the pure scoring module takes them."""
    settings = ScoringSettings.current()
    return scoring.Thresholds(
        micro=settings.met_micro,
        small=settings.met_small,
        medium=settings.met_medium,
        large=settings.met_large,
        information_band=settings.information_band,
    )


def suggestion_for(
    *,
    application: Application,
    criteria: list[Criterion] | None = None,
    saved: Mapping[int, CriterionScore | GivenScore] | None = None,
) -> tuple[dict[str, scoring.DemonstrationResult], scoring.Suggestion]:
    """The scoring's results per demonstration and its overall suggestion, from the saved scores
    (or from scores given but not saved: `suggestion_with_unsaved_scores`). A caller that has
    already read the criteria and scores passes them in."""
    if criteria is None:
        criteria = applicable_criteria(application=application)
    if saved is None:
        saved = saved_scores(application=application)
    inputs = [
        scoring.CriterionScore(
            code=c.code,
            title=c.title,
            demonstration=c.demonstration,
            weight=c.weight,
            must_pass=c.must_pass,
            score=saved[c.pk].score if c.pk in saved else None,
            not_applicable=saved[c.pk].not_applicable if c.pk in saved else False,
        )
        for c in criteria
    ]
    results = scoring.results_by_demonstration(
        inputs, size_class=application.size_class or "medium", thresholds=scoring_thresholds()
    )
    finding = ComplianceFinding.objects.filter(application=application).first()
    suggestion = scoring.overall(
        results, route=application.route, compliance_concern=bool(finding and finding.concern)
    )
    return results, suggestion


def suggestion_with_unsaved_scores(
    *,
    application: Application,
    demonstration: str,
    scores: dict[int, dict],
    criteria: list[Criterion] | None = None,
    saved: Mapping[int, CriterionScore] | None = None,
) -> tuple[dict[str, scoring.DemonstrationResult], scoring.Suggestion]:
    """What the scoring would say were one demonstration's scores saved as given (in the shape
    `review_save_scores` takes) and the others left as saved: the totals a reviewer sees change
    while scoring. Checked as saving checks them; nothing is saved. A criterion of the
    demonstration missing from `scores` counts as not scored. A caller that has already read the
    criteria and scores passes them in."""
    if criteria is None:
        criteria = applicable_criteria(application=application)
    if saved is None:
        saved = saved_scores(application=application)
    group = [c for c in criteria if c.demonstration == demonstration]
    given = checked_scores(criteria=group, scores=scores)
    replaced = {c.pk for c in group}
    kept: dict[int, CriterionScore | GivenScore] = {
        pk: score for pk, score in saved.items() if pk not in replaced
    }
    return suggestion_for(application=application, criteria=criteria, saved=kept | given)


# --- The review workspace --------------------------------------------------------------------------


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
    timeline: QuerySet[Event]
    open_request: InformationRequest | None
    finding: ComplianceFinding | None
    # Requests the applicant answered and the reviewer has not marked read, with their items:
    # what the queue flags as `answers_arrived`.
    unread_answers: list[InformationRequest]
    can_score: bool

    @property
    def answers_unread(self) -> bool:
        return bool(self.unread_answers)


def unread_answers(*, application: Application) -> list[InformationRequest]:
    """The requests whose answers arrived and that the reviewer has not marked as read, each with
    its questions and answers, oldest first."""
    return list(
        application.information_requests.filter(
            answered_at__isnull=False, acknowledged_at__isnull=True
        )
        .prefetch_related("items")
        .order_by("answered_at", "pk")
    )


def workspace_for(*, user: User, application: Application) -> Workspace:
    """The workspace of `application`, which the caller found through `queue_application`."""
    criteria = applicable_criteria(application=application)
    saved = saved_scores(application=application)
    results, suggestion = suggestion_for(application=application, criteria=criteria, saved=saved)
    summary = answers_summary(application)
    sections = {s["step"].demonstration: s for s in summary if s["step"].demonstration}
    by_slug = {s["step"].slug: s for s in summary}
    evidence = list(application.evidence.all())
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
        profile_section=by_slug.get(wizard.PROFILE),
        terms_section=by_slug.get(wizard.TERMS),
        individuals=application.designated_individuals.all(),
        timeline=application_timeline(user=user, application=application),
        open_request=open_information_request(application),
        finding=ComplianceFinding.objects.filter(application=application).first(),
        unread_answers=unread_answers(application=application),
        can_score=user.has_perm("reviews.score_application", application),
    )
