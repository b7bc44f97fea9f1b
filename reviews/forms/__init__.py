"""Forms of the review, by page: the queue's (`queue.py`), the workspace's (`workspace.py`), and
the recommendation's and sign-off's (`recommendation.py`). They validate; they decide nothing."""

from reviews.forms.queue import (
    AssignForm,
    ClaimForm,
    QueueFilterForm,
    RecuseForm,
    filters_fragment_key,
)
from reviews.forms.recommendation import ReasonRow, RecommendationForm, SignOffForm
from reviews.forms.workspace import (
    ComplianceFindingForm,
    InformationRequestForm,
    RubricScoresForm,
)

__all__ = [
    "AssignForm",
    "ClaimForm",
    "ComplianceFindingForm",
    "InformationRequestForm",
    "QueueFilterForm",
    "ReasonRow",
    "RecommendationForm",
    "RecuseForm",
    "RubricScoresForm",
    "SignOffForm",
    "filters_fragment_key",
]
