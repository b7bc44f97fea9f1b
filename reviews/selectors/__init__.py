"""Reads of the review, by concept: the queue (`queue`, with its priority as SQL in
`queue_priority`), the scores and the scoring's suggestion (`scores`), the workspace
(`workspace`) and the recommendation (`recommendations`). Callers import from here."""

from reviews.selectors.queue import (
    PEOPLE,
    QUEUE_STATUSES,
    SORTS,
    QueueFilters,
    QueueQuerySet,
    queue,
    queue_application,
    queue_counts,
    queue_reads,
    queue_visible_to,
    reviewer_choices,
    reviewers,
    why_here,
    workload_settings,
)
from reviews.selectors.queue_listed import ListedApplication
from reviews.selectors.queue_pages import PAGE_PARAMETERS, QueuePage, matches_read, queue_page
from reviews.selectors.queue_priority import PriorityExpression
from reviews.selectors.queue_search import rarity_read
from reviews.selectors.recommendations import (
    recommendation_as_decision,
    recommendation_latest,
    recusals_for,
)
from reviews.selectors.scores import (
    GivenScore,
    applicable_criteria,
    checked_scores,
    current_thresholds,
    declared_risk_flags,
    saved_scores,
    scoring_thresholds,
    suggestion_for,
    suggestion_with_unsaved_scores,
)
from reviews.selectors.workspace import (
    Workspace,
    WorkspacePanel,
    information_requests_for_review,
    workspace_for,
)

__all__ = [
    "PAGE_PARAMETERS",
    "PEOPLE",
    "QUEUE_STATUSES",
    "SORTS",
    "GivenScore",
    "ListedApplication",
    "PriorityExpression",
    "QueueFilters",
    "QueuePage",
    "QueueQuerySet",
    "Workspace",
    "WorkspacePanel",
    "applicable_criteria",
    "checked_scores",
    "current_thresholds",
    "declared_risk_flags",
    "information_requests_for_review",
    "matches_read",
    "queue",
    "queue_application",
    "queue_counts",
    "queue_page",
    "queue_reads",
    "queue_visible_to",
    "rarity_read",
    "recommendation_as_decision",
    "recommendation_latest",
    "recusals_for",
    "reviewer_choices",
    "reviewers",
    "saved_scores",
    "scoring_thresholds",
    "suggestion_for",
    "suggestion_with_unsaved_scores",
    "why_here",
    "workload_settings",
    "workspace_for",
]
