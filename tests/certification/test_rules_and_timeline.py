from datetime import timedelta

import pytest
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone

from certification.events import EventVerb
from certification.models import Event
from certification.selectors import (
    application_get_for_user,
    application_timeline,
    fold_sittings,
)
from certification.workflow import (
    application_assign,
    application_recommend,
    application_submit,
)
from tests.factories import MembershipFactory, draft_application, start_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(owner_a):
    return draft_application(owner=owner_a)


@pytest.fixture
def submitted(draft, owner_a):
    return application_submit(application=draft, actor=owner_a)


# persona → may view a draft, may view once submitted, may edit the draft
VIEW_MATRIX = {
    "owner_a": (True, True, True),
    "member_a": (True, True, True),
    "owner_b": (False, False, False),
    "reviewer": (False, True, False),
    "supervisor": (False, True, False),
}


@pytest.mark.parametrize("persona", VIEW_MATRIX)
def test_who_may_view_and_edit_an_application(request, persona, draft, owner_a):
    user = request.getfixturevalue(persona)
    may_view_draft, may_view_submitted, may_edit_draft = VIEW_MATRIX[persona]
    assert user.has_perm("certification.view_application", draft) is may_view_draft
    assert user.has_perm("certification.edit_application", draft) is may_edit_draft
    if not may_view_draft:
        with pytest.raises(Http404):
            application_get_for_user(user=user, pk=draft.pk)
    application_submit(application=draft, actor=owner_a)
    assert user.has_perm("certification.view_application", draft) is may_view_submitted
    assert user.has_perm("certification.edit_application", draft) is False
    assert user.has_perm("certification.download_evidence", draft) is may_view_submitted


def test_move_permissions_follow_the_moves_table(
    submitted, owner_a, member_a, reviewer, other_reviewer
):
    assert owner_a.has_perm("certification.withdraw_application", submitted)
    assert member_a.has_perm("certification.withdraw_application", submitted)
    assert not member_a.has_perm("certification.start_review_application", submitted)
    # Only the reviewer assigned to an application acts on it.
    assert not reviewer.has_perm("certification.start_review_application", submitted)
    application_assign(application=submitted, actor=reviewer, reviewer=reviewer)
    assert reviewer.has_perm("certification.start_review_application", submitted)
    assert not other_reviewer.has_perm("certification.start_review_application", submitted)
    assert not reviewer.has_perm("certification.decide_application", submitted)


def test_applicants_see_applicant_facing_events_and_staff_see_all(
    submitted, owner_a, reviewer, supervisor
):
    start_review(application=submitted, reviewer=reviewer)
    application_recommend(application=submitted, actor=reviewer, outcome="certified")
    applicant_view = list(application_timeline(user=owner_a, application=submitted))
    staff_view = list(application_timeline(user=supervisor, application=submitted))
    assert [e.event.verb for e in applicant_view] == ["application.submitted", "review.started"]
    assert [e.event.verb for e in staff_view][-1] == "review.recommended"

    html = render_to_string("certification/includes/timeline.html", {"events": applicant_view})
    assert "Application submitted" in html
    assert "CBP started the review" in html
    assert "recommendation" not in html


def test_a_sittings_draft_saves_are_one_line_of_history(owner_a, supervisor):
    """Every save is an event; the history folds one person's saves with no more than 30 minutes
    between them into one line, and starts a new line after a longer pause or another person."""
    colleague = MembershipFactory(organisation=owner_a.membership.organisation).user
    start = timezone.now().replace(microsecond=0)

    def save(actor, minutes):
        return Event(
            verb=EventVerb.DRAFT_EDITED, actor=actor, created_at=start + timedelta(minutes=minutes)
        )

    events = [
        save(owner_a, 0),
        save(owner_a, 10),
        save(owner_a, 40),  # 30 minutes after the last: the same sitting
        save(owner_a, 71),  # 31 minutes after: a new sitting
        save(colleague, 72),  # someone else: a new line
        Event(verb=EventVerb.APPLICATION_SUBMITTED, actor=owner_a, created_at=start),
        save(owner_a, 73),
    ]
    entries = fold_sittings(events)
    assert [(e.saves, e.first_at, e.event.created_at) for e in entries] == [
        (3, start, start + timedelta(minutes=40)),
        (1, start + timedelta(minutes=71), start + timedelta(minutes=71)),
        (1, start + timedelta(minutes=72), start + timedelta(minutes=72)),
        (1, start, start),
        (1, start + timedelta(minutes=73), start + timedelta(minutes=73)),
    ]
    html = render_to_string("certification/includes/timeline.html", {"events": entries})
    assert "Draft changed (3 saves)" in html


def test_a_sittings_score_changes_are_one_line_of_history(reviewer, other_reviewer):
    """Saving the rubric writes an event for every criterion whose score changed (some 40 at once):
    the history shows each person's sitting of them as one line, as it does a draft's saves."""
    start = timezone.now().replace(microsecond=0)

    def scored(actor, seconds):
        return Event(
            verb=EventVerb.CRITERION_SCORED,
            actor=actor,
            created_at=start + timedelta(seconds=seconds),
            data={"criterion": "I.1", "from": "not scored", "to": "3", "notes_changed": False},
        )

    events = [
        *(scored(reviewer, n / 1000) for n in range(40)),  # one save of the whole rubric
        scored(reviewer, 600),  # ten minutes later: the same sitting
        scored(other_reviewer, 601),  # another person: a new line
        Event(verb=EventVerb.DRAFT_EDITED, actor=reviewer, created_at=start + timedelta(hours=1)),
    ]
    entries = fold_sittings(events)
    assert [(e.saves, e.first_at, e.event.created_at) for e in entries] == [
        (41, start, start + timedelta(seconds=600)),
        (1, start + timedelta(seconds=601), start + timedelta(seconds=601)),
        (1, start + timedelta(hours=1), start + timedelta(hours=1)),
    ]
    html = render_to_string("certification/includes/timeline.html", {"events": entries})
    assert html.count("A criterion&#x27;s score changed (41 changes)") == 1
    assert html.count("A criterion&#x27;s score changed</h3>") == 1
    assert html.count("From <time") == 1
