"""CBP's moves: starting a review, asking for information, recommending, returning a recommendation
and deciding; and assigning a reviewer, which changes no status."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from certification.errors import StaleApplication, TransitionNotAllowed
from certification.events import EventVerb
from certification.letters import content as letter_content
from certification.letters import lifecycle as letter_lifecycle
from certification.models import (
    Application,
    Decision,
    Demonstration,
    Event,
    InformationRequest,
    InformationRequestItem,
)
from certification.notifications.services import notify
from certification.signals import decision_issued
from certification.workflow.moves import APPLICATIONS_VERSION, AWAITING_CBP, S, transition
from common import cache_versions
from recordkeepers.models import User
from recordkeepers.rules import is_reviewer, is_supervisor


@transaction.atomic
def application_start_review(*, application: Application, actor: User) -> Application:
    transition(application=application, actor=actor, move_name="start_review", to=S.IN_REVIEW)
    return application


@dataclass(frozen=True)
class Question:
    text: str
    demonstration: str = ""  # blank: a question about the application in general


@transaction.atomic
def application_request_information(
    *,
    application: Application,
    actor: User,
    questions: Sequence[Question | str],
    due: date,
    with_letter: bool = False,
) -> InformationRequest:
    """Ask the applicant questions; the application waits for the answers until `due`. With
    `with_letter`, the questions are also sent as a letter (a PDF to keep)."""
    asked = [q if isinstance(q, Question) else Question(text=q) for q in questions]
    asked = [q for q in asked if q.text.strip()]
    if not asked:
        raise ValidationError({"questions": "Write at least one question."})
    if any(q.demonstration not in ("", *Demonstration.values) for q in asked):
        raise ValidationError(
            {"questions": "A question can only be about one of the six demonstrations."}
        )
    if due <= timezone.localdate():
        raise ValidationError({"due": "The answers must be due after today."})
    transition(
        application=application,
        actor=actor,
        move_name="request_information",
        to=S.INFO_REQUESTED,
        data={"questions": [q.text for q in asked], "due": due.isoformat()},
    )
    request = InformationRequest.objects.create(
        application=application, requested_by=actor, due=due
    )
    InformationRequestItem.objects.bulk_create(
        InformationRequestItem(
            request=request, position=i, demonstration=q.demonstration, question=q.text
        )
        for i, q in enumerate(asked)
    )
    if with_letter:
        letter_lifecycle.letter_create_for_information_request(request=request)
    return request


def _check_outcome(outcome: str, reasons: list[dict] | None) -> None:
    """Recommendations and decisions alike: certify or deny, and a denial gives its reasons."""
    if outcome not in Decision.Outcome.values:
        raise ValidationError({"outcome": "Choose to certify or to deny."})
    if outcome == Decision.Outcome.DENIED and not reasons:
        raise ValidationError({"reasons": "A denial must set out at least one reason."})


@transaction.atomic
def application_recommend(
    *,
    application: Application,
    actor: User,
    outcome: str,
    reasons: list[dict] | None = None,
    details: dict | None = None,
) -> Application:
    """`details`: what the review adds for the supervisor (the scoring's suggestion, and why the
    recommendation differs from it), kept with the event."""
    _check_outcome(outcome, reasons)
    transition(
        application=application,
        actor=actor,
        move_name="recommend",
        to=S.RECOMMENDED,
        data={"outcome": outcome, "reasons": reasons or [], **(details or {})},
    )
    return application


@transaction.atomic
def application_return_for_rework(
    *, application: Application, actor: User, comments: str
) -> Application:
    if not comments.strip():
        raise ValidationError({"comments": "Say what the reviewer should look at again."})
    transition(
        application=application,
        actor=actor,
        move_name="return_for_rework",
        to=S.IN_REVIEW,
        data={"comments": comments},
    )
    return application


@transaction.atomic
def application_decide(
    *,
    application: Application,
    actor: User,
    outcome: str,
    recommended_by: User,
    reasons: list[dict] | None = None,
    terms: str | None = None,
) -> Decision:
    """The supervisor's sign-off of the recommendation `recommended_by` made: certify or deny.
    The supervisor cannot be the recommender. Certifying a negotiated alternative program records
    the terms CBP agrees to (`terms`; None: as the applicant proposed them), which its letter and
    the participant register state."""
    _check_outcome(outcome, reasons)
    # The dates as the sign-off's preview showed them: one function makes both.
    facts = letter_content.decision_facts_on(
        application=application,
        outcome=outcome,
        reasons=reasons or [],
        issued=timezone.localdate(),
        terms=terms,
    )

    def prepare() -> dict:
        if recommended_by.pk == actor.pk:
            raise PermissionDenied(
                "The reviewer who recommended cannot also sign the decision off."
            )
        if (
            outcome == Decision.Outcome.CERTIFIED
            and application.route == Application.Route.ALTERNATIVE
            and not facts.terms
        ):
            raise ValidationError(
                {"terms": "Record the terms CBP agrees to for the negotiated alternative program."}
            )
        return {}

    transition(
        application=application,
        actor=actor,
        move_name="decide",
        to=S.CERTIFIED if outcome == Decision.Outcome.CERTIFIED else S.DENIED,
        data={"outcome": outcome, "reasons": reasons or []},
        prepare=prepare,
    )
    decision = Decision.objects.create(
        application=application,
        outcome=outcome,
        reasons=facts.reasons,
        recommended_by=recommended_by,
        decided_by=actor,
        effective_date=facts.effective_date,
        appeal_deadline=facts.appeal_deadline,
        terms=facts.terms,
    )
    # The letter is asked for in the same transaction: it is never lost, and rendered on commit.
    letter_lifecycle.letter_create_for_decision(decision=decision)
    decision_issued.send(sender=Decision, decision=decision)
    return decision


@transaction.atomic
def application_assign(
    *, application: Application, actor: User, reviewer: User, expected_version: int | None = None
) -> Event:
    """Make `reviewer` the application's reviewer: a supervisor assigns anyone who reviews; a
    reviewer may take (claim) an application that nobody has. Not a status move: the status stays,
    the version moves on, and a staff-only event records who assigned whom.

    Conflicts of interest are checked by the caller (reviews.services), which knows the declarations.
    """
    if not is_reviewer(reviewer):
        raise ValidationError({"reviewer": f"{reviewer} is not a CBP reviewer."})
    if application.status not in AWAITING_CBP:
        state = application.get_status_display().lower()
        raise TransitionNotAllowed(f"An application that is {state} cannot be assigned.")
    claiming = actor.pk == reviewer.pk and not is_supervisor(actor)
    if not is_supervisor(actor) and not claiming:
        raise PermissionDenied(f"{actor} may not assign applications to others.")
    if claiming and application.assigned_reviewer_id not in (None, actor.pk):
        raise PermissionDenied("This application already has a reviewer; ask a supervisor.")
    previous = application.assigned_reviewer_id
    version = application.version if expected_version is None else expected_version
    updated = Application.objects.filter(
        pk=application.pk, status=application.status, version=version
    ).update(assigned_reviewer=reviewer, version=F("version") + 1, updated_at=timezone.now())
    if updated != 1:
        raise StaleApplication()
    cache_versions.bump(APPLICATIONS_VERSION)
    event = Event.objects.record(
        application=application,
        actor=actor,
        verb=EventVerb.REVIEW_ASSIGNED,
        data={"reviewer": reviewer.pk, "reviewer_name": str(reviewer), "previous": previous},
    )
    application.refresh_from_db()
    notify(event=event)
    return event


@transaction.atomic
def application_recuse(*, application: Application, actor: User, reason: str) -> Event:
    """A reviewer steps aside for a conflict of interest. If the application was theirs, it has no
    reviewer any more (a supervisor reassigns it; its status stays). Not a status move: a
    staff-only event records who stepped aside and why.

    Whether the reviewer could see the application, and the record that keeps them away from it,
    are the review's (reviews.services.review_recuse)."""
    if not is_reviewer(actor):
        raise PermissionDenied("Only CBP reviewers step aside from applications.")
    if not reason.strip():
        raise ValidationError({"reason": "Say what the conflict of interest is."})
    was_assigned = application.assigned_reviewer_id == actor.pk
    if was_assigned:
        updated = Application.objects.filter(
            pk=application.pk, assigned_reviewer=actor, version=application.version
        ).update(assigned_reviewer=None, version=F("version") + 1, updated_at=timezone.now())
        if updated != 1:
            raise StaleApplication()
    # Stepping aside takes the application out of the reviewer's queue, assigned or not.
    cache_versions.bump(APPLICATIONS_VERSION)
    event = Event.objects.record(
        application=application,
        actor=actor,
        verb=EventVerb.REVIEW_RECUSED,
        data={"reason": reason.strip(), "was_assigned": was_assigned},
    )
    application.refresh_from_db()
    return event


@transaction.atomic
def application_certify_on_appeal(*, application: Application, actor: User, appeal: int) -> Event:
    """An appeals official reverses a denial on appeal: the application is certified. The
    decision that denied it stays as it was (the appeal records the reversal); the register
    enters the participant (participants, which calls this)."""
    return transition(
        application=application,
        actor=actor,
        move_name="certify_on_appeal",
        to=S.CERTIFIED,
        data={"appeal": appeal},
    )
