"""The vocabulary of events: every verb has a meaning, and nothing else can be written."""

import pytest
from django.db import IntegrityError, transaction

from certification.events import MEANINGS, EventVerb, describe_verb, meaning_of
from certification.models import Event
from tests.factories import draft_application


def test_every_verb_has_a_meaning_and_nothing_else_does():
    assert set(MEANINGS) == set(EventVerb.values)


def test_only_what_the_applicant_sees_can_be_told_to_them():
    for verb, meaning in MEANINGS.items():
        if meaning.applicant_message:
            assert meaning.applicant_visible, verb


def test_internal_review_steps_are_for_staff_only():
    for verb in [
        "draft.edited",
        "review.assigned",
        "review.recommended",
        "review.returned_for_rework",
    ]:
        assert not meaning_of(verb).applicant_visible


def test_a_misspelt_verb_fails_at_once_rather_than_telling_no_one():
    with pytest.raises(ValueError):
        meaning_of("application.submited")
    with pytest.raises(ValueError):
        describe_verb("application.submited")


@pytest.mark.django_db
def test_recording_an_event_takes_who_sees_it_from_the_verb(owner_a):
    application = draft_application(owner=owner_a)
    edited = Event.objects.record(
        application=application, actor=owner_a, verb=EventVerb.DRAFT_EDITED
    )
    started = Event.objects.record(
        application=application, actor=owner_a, verb=EventVerb.APPLICATION_STARTED
    )
    assert (edited.applicant_visible, started.applicant_visible) == (False, True)
    assert started.description == "Application started"


@pytest.mark.django_db
def test_the_database_refuses_a_verb_outside_the_vocabulary(owner_a):
    application = draft_application(owner=owner_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.create(application=application, actor=owner_a, verb="application.submited")
