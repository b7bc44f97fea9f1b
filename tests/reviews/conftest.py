import pytest

from certification import workflow
from tests.factories import draft_application


@pytest.fixture
def submitted(owner_a):
    """owner_a's application, submitted: in the queue, with no reviewer yet."""
    application = draft_application(owner=owner_a)
    workflow.application_submit(application=application, actor=owner_a)
    return application
