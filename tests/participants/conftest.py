"""Participants: a certification issued through the workflow, which enters the register."""

import pytest

from participants.models import Participant
from tests.factories import decide


@pytest.fixture
def participant_a(owner_a, reviewer, supervisor, handbook_in_force) -> Participant:
    decision = decide(owner=owner_a, reviewer=reviewer, supervisor=supervisor)
    return Participant.objects.get(decision=decision)
