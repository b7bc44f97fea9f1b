"""The query budget of a wizard step's save, stated in docs/benchmarks.md and used by `make bench`.

A step save is the request applicants make most; its time is mostly database round trips, so the
number of statements is pinned here rather than its time (times are measured by the benchmark).
"""

import pytest
from django.urls import reverse

from certification.models import Application, DemonstrationResponse, Event
from certification.wizard import steps as wizard
from tests.factories import draft_application

pytestmark = pytest.mark.django_db

# The statements of one "Save and continue" on a demonstration step, as counted by Django (which
# counts transaction statements too; a test's own transaction turns BEGIN/COMMIT into savepoints,
# so the count is the same here as in `make bench` and on SQLite as on PostgreSQL):
#   1-3   the session, the user, and the user's groups (the staff second-factor middleware)
#   4     the application with its organisation (the selector)
#   5     the person's membership, read once and kept on the user object for every check
#   6     the step's stored response (to skip a save that changes nothing)
#   7     BEGIN (the service's transaction)
#   8     the version compare-and-set on the application
#   9     removing the attestation, which no longer covers the answers
#   10    the draft.edited event
#   11    the response's UPDATE
#   12    COMMIT
#   13-15 saving the session to push the idle timeout on, at most once a minute
#         (common.middleware): BEGIN, UPDATE, COMMIT
STEP_SAVE_QUERIES = 15


def test_saving_a_demonstration_step_takes_at_most_its_query_budget(
    client, owner_a, django_assert_max_num_queries
):
    draft = draft_application(owner=owner_a, attested=False)
    stored = DemonstrationResponse.objects.get(application=draft, demonstration="iii")
    events_before = Event.objects.filter(application=draft).count()
    client.force_login(owner_a)
    data = {
        **stored.answers,
        "retrieval_days": 7,
        "narrative": "Brokers' files are checked monthly.",
        "version": draft.version,
        "action": "continue",
    }

    with django_assert_max_num_queries(STEP_SAVE_QUERIES):
        response = client.post(
            reverse("certification:wizard-step", args=[draft.pk, wizard.RECORDS]), data
        )

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "certification:wizard-step", args=[draft.pk, wizard.INDIVIDUALS]
    )
    stored.refresh_from_db()
    assert stored.answers["retrieval_days"] == 7
    assert stored.narrative == "Brokers' files are checked monthly."
    assert Application.objects.get(pk=draft.pk).version == draft.version + 1
    assert Event.objects.filter(application=draft).count() == events_before + 1
    assert Event.objects.filter(application=draft).latest("pk").data == {"what": "iii"}
