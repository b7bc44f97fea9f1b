"""The status moves of an application: one table of what is allowed, one service per move.

Every move runs in one transaction: check the actor's role and the current state against the table,
update by compare-and-set on (status, version), write exactly one Event, and schedule side effects
with transaction.on_commit. Nothing else writes `Application.status`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from certification.errors import StaleApplication, TransitionNotAllowed
from certification.letters import content as letters
from certification.letters import lifecycle as letter_lifecycle
from certification.models import (
    Application,
    ApplicationStatus,
    Attestation,
    Decision,
    Demonstration,
    Event,
    InformationRequest,
    InformationRequestItem,
    ReferenceCounter,
    risk_flag_bits,
    search_text,
)
from certification.notifications.services import notify_applicants
from certification.selectors import handbook_edition_in_force
from certification.wizard.steps import missing_items
from recordkeepers.models import User
from recordkeepers.rules import is_reviewer, is_supervisor, membership_of
from recordkeepers.sizing import size_class

S = ApplicationStatus


class Role:
    """An actor's relation to one application."""

    OWNER = "owner"  # an owner of the applying organisation
    MEMBER = "member"  # another member of it
    REVIEWER = "reviewer"
    SUPERVISOR = "supervisor"


@dataclass(frozen=True)
class Move:
    sources: frozenset[str]
    targets: frozenset[str]
    roles: frozenset[str]
    verb: str


def _move(sources, targets, roles, verb) -> Move:
    return Move(frozenset(sources), frozenset(targets), frozenset(roles), verb)


UNDECIDED = {S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.INFO_REQUESTED, S.RECOMMENDED}

# The whole state machine. Adding a move means adding a row here and a service below.
MOVES: dict[str, Move] = {
    "submit": _move({S.DRAFT}, {S.SUBMITTED}, {Role.OWNER}, "application.submitted"),
    "withdraw": _move(UNDECIDED, {S.WITHDRAWN}, {Role.OWNER, Role.MEMBER}, "application.withdrawn"),
    "start_review": _move(
        {S.SUBMITTED}, {S.IN_REVIEW}, {Role.REVIEWER, Role.SUPERVISOR}, "review.started"
    ),
    "request_information": _move(
        {S.IN_REVIEW}, {S.INFO_REQUESTED}, {Role.REVIEWER}, "review.information_requested"
    ),
    "answer_information_request": _move(
        {S.INFO_REQUESTED},
        {S.IN_REVIEW},
        {Role.OWNER, Role.MEMBER},
        "application.information_provided",
    ),
    "recommend": _move({S.IN_REVIEW}, {S.RECOMMENDED}, {Role.REVIEWER}, "review.recommended"),
    "return_for_rework": _move(
        {S.RECOMMENDED}, {S.IN_REVIEW}, {Role.SUPERVISOR}, "review.returned_for_rework"
    ),
    "decide": _move(
        {S.RECOMMENDED}, {S.CERTIFIED, S.DENIED}, {Role.SUPERVISOR}, "application.decided"
    ),
}

# Internal review steps the applicant does not see on their timeline.
STAFF_ONLY_VERBS = {"review.recommended", "review.returned_for_rework"}


def actor_role(user: User, application: Application) -> str | None:
    """How `user` relates to `application`, for the purpose of the moves table. "Reviewer" means the
    reviewer assigned to it (see `application_assign`)."""
    if not user.is_authenticated:
        return None
    membership = membership_of(user)
    if membership is not None and membership.organisation_id == application.organisation_id:
        return Role.OWNER if membership.is_owner else Role.MEMBER
    if is_supervisor(user):
        return Role.SUPERVISOR
    # A reviewer acts on the applications assigned to them, and on no other.
    if is_reviewer(user) and application.assigned_reviewer_id == user.pk:
        return Role.REVIEWER
    return None


def allowed_moves(*, application: Application, user: User) -> list[str]:
    role = actor_role(user, application)
    return [
        name
        for name, move in MOVES.items()
        if role in move.roles and application.status in move.sources
    ]


def _transition(
    *,
    application: Application,
    actor: User,
    move_name: str,
    to: str,
    data: dict | None = None,
    expected_version: int | None = None,
    prepare: Callable[[], dict] | None = None,
) -> Event:
    """Make one move. `prepare`, called once the move is known to be allowed, checks what the move
    itself needs and returns further fields to set with the status."""
    move = MOVES[move_name]
    assert to in move.targets, f"{move_name} cannot lead to {to}"
    role = actor_role(actor, application)
    state = application.get_status_display().lower()
    if role not in move.roles:
        raise PermissionDenied(
            f"{actor} ({role or 'no role'}) may not {move_name.replace('_', ' ')} "
            f"an application that is {state}."
        )
    if application.status not in move.sources:
        raise TransitionNotAllowed(
            f"An application that is {state} cannot be {move_name.replace('_', ' ')} "
            f"(asked by {actor}, {role})."
        )
    fields = prepare() if prepare else {}
    version = application.version if expected_version is None else expected_version
    updated = Application.objects.filter(
        pk=application.pk, status=application.status, version=version
    ).update(status=to, version=F("version") + 1, updated_at=timezone.now(), **fields)
    if updated != 1:
        raise StaleApplication()
    event = Event.objects.create(
        application=application,
        actor=actor,
        verb=move.verb,
        from_status=application.status,
        to_status=to,
        data=data if data is not None else {},
        applicant_visible=move.verb not in STAFF_ONLY_VERBS,
    )
    application.refresh_from_db()
    notify_applicants(event=event)
    return event


def _next_reference(year: int) -> str:
    """RKCP-YYYY-NNNNNN. The counter row is locked until the submitting transaction ends."""
    ReferenceCounter.objects.get_or_create(year=year)
    counter = ReferenceCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"RKCP-{year}-{counter.last:06d}"


@transaction.atomic
def application_submit(
    *, application: Application, actor: User, expected_version: int | None = None
) -> Application:
    """Pin the Handbook edition in force, snapshot the profile, issue the reference number."""

    def prepare() -> dict:
        edition = handbook_edition_in_force()
        if edition is None:
            raise ValidationError(
                "No Handbook edition is in force; applications cannot be submitted."
            )
        signed = Attestation.objects.filter(
            application=application, application_version=application.version
        ).exists()
        if not signed:
            raise ValidationError(
                "An owner must sign the attestation before the application is submitted."
            )
        organisation = application.organisation
        missing = [item for items in missing_items(application).values() for item in items]
        if missing:
            raise ValidationError(
                f"The application is not finished. Still needed: {'; '.join(missing)}."
            )
        snapshot = organisation.profile_snapshot()
        reference = _next_reference(timezone.now().year)
        return {
            "reference": reference,
            "entries_per_year": organisation.entries_per_year,
            "risk_flag_bits": risk_flag_bits(snapshot["risk_flags"]),
            "search_text": search_text(reference=reference, snapshot=snapshot),
            "handbook_edition": edition,
            "submitted_at": timezone.now(),
            "profile_snapshot": snapshot,
            "size_class": size_class(
                entries_per_year=organisation.entries_per_year,
                import_value=organisation.import_value,
            ),
        }

    _transition(
        application=application,
        actor=actor,
        move_name="submit",
        to=S.SUBMITTED,
        expected_version=expected_version,
        prepare=prepare,
    )
    return application


@transaction.atomic
def application_withdraw(
    *,
    application: Application,
    actor: User,
    reason: str = "",
    expected_version: int | None = None,
) -> Application:
    _transition(
        application=application,
        actor=actor,
        move_name="withdraw",
        to=S.WITHDRAWN,
        data={"reason": reason} if reason else None,
        expected_version=expected_version,
    )
    return application


@transaction.atomic
def application_start_review(*, application: Application, actor: User) -> Application:
    _transition(application=application, actor=actor, move_name="start_review", to=S.IN_REVIEW)
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
    questions: list[Question | str],
    due: date,
    with_letter: bool = False,
) -> InformationRequest:
    """Ask the applicant questions; the application waits for the answers until `due`. With
    `with_letter`, the questions are also sent as a letter (a PDF to keep)."""
    questions = [q if isinstance(q, Question) else Question(text=q) for q in questions]
    questions = [q for q in questions if q.text.strip()]
    if not questions:
        raise ValidationError({"questions": "Write at least one question."})
    if any(q.demonstration not in ("", *Demonstration.values) for q in questions):
        raise ValidationError(
            {"questions": "A question can only be about one of the six demonstrations."}
        )
    if due <= timezone.localdate():
        raise ValidationError({"due": "The answers must be due after today."})
    _transition(
        application=application,
        actor=actor,
        move_name="request_information",
        to=S.INFO_REQUESTED,
        data={"questions": [q.text for q in questions], "due": due.isoformat()},
    )
    request = InformationRequest.objects.create(
        application=application, requested_by=actor, due=due
    )
    InformationRequestItem.objects.bulk_create(
        InformationRequestItem(
            request=request, position=i, demonstration=q.demonstration, question=q.text
        )
        for i, q in enumerate(questions)
    )
    if with_letter:
        letter_lifecycle.letter_create_for_information_request(request=request)
    return request


def open_information_request(application: Application) -> InformationRequest | None:
    return application.information_requests.filter(answered_at__isnull=True).first()


@transaction.atomic
def application_answer_information_request(*, application: Application, actor: User) -> Application:
    """Send the saved answers (`information_request_save_answers`) to CBP. Every question must have
    an answer; nothing else about the application changes."""

    def prepare() -> dict:
        request = open_information_request(application)
        if request is None:
            raise TransitionNotAllowed("There is no open request for information to answer.")
        items = list(request.items.all())
        unanswered = [item for item in items if not item.answer.strip()]
        if unanswered:
            raise ValidationError(
                {
                    f"answer_{item.pk}": f"Answer question {item.position + 1}."
                    for item in unanswered
                }
            )
        request.answered_at = timezone.now()
        request.answered_by = actor
        request.save(update_fields=["answered_at", "answered_by"])
        event_data["answers"] = [item.answer for item in items]  # read when the event is written
        return {}

    event_data: dict = {}
    _transition(
        application=application,
        actor=actor,
        move_name="answer_information_request",
        to=S.IN_REVIEW,
        prepare=prepare,
        data=event_data,
    )
    return application


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
    _transition(
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
    _transition(
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
) -> Decision:
    """The supervisor's sign-off of the recommendation `recommended_by` made: certify or deny.
    The supervisor cannot be the recommender."""
    _check_outcome(outcome, reasons)

    def prepare() -> dict:
        if recommended_by.pk == actor.pk:
            raise PermissionDenied(
                "The reviewer who recommended cannot also sign the decision off."
            )
        return {}

    _transition(
        application=application,
        actor=actor,
        move_name="decide",
        to=S.CERTIFIED if outcome == Decision.Outcome.CERTIFIED else S.DENIED,
        data={"outcome": outcome, "reasons": reasons or []},
        prepare=prepare,
    )
    today = timezone.localdate()
    decision = Decision.objects.create(
        application=application,
        outcome=outcome,
        reasons=reasons or [],
        recommended_by=recommended_by,
        decided_by=actor,
        effective_date=today,
        appeal_deadline=(
            letters.appeal_deadline(today) if outcome == Decision.Outcome.DENIED else None
        ),
    )
    # The letter is asked for in the same transaction: it is never lost, and rendered on commit.
    letter_lifecycle.letter_create_for_decision(decision=decision)
    return decision


# An application waits on CBP in these states: it can be assigned, claimed or reassigned.
AWAITING_CBP = {S.SUBMITTED, S.IN_REVIEW, S.INFO_REQUESTED, S.RECOMMENDED}


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
    event = Event.objects.create(
        application=application,
        actor=actor,
        verb="review.assigned",
        data={"reviewer": reviewer.pk, "reviewer_name": str(reviewer), "previous": previous},
        applicant_visible=False,
    )
    application.refresh_from_db()
    return event
