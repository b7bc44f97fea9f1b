import pytest

from certification import workflow
from reviews.services import review_claim
from tests.factories import draft_application


@pytest.fixture
def submitted(owner_a):
    """owner_a's application, submitted: in the queue, with no reviewer yet."""
    application = draft_application(owner=owner_a)
    workflow.application_submit(application=application, actor=owner_a)
    return application


@pytest.fixture
def claimed(submitted, reviewer):
    """owner_a's application, claimed by `reviewer` (who declared no conflict): in review."""
    review_claim(application=submitted, actor=reviewer, no_conflict=True)
    return submitted
