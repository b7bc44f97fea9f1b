"""The applicant's moves: submitting, withdrawing, and sending the answers to CBP's questions."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from certification.errors import TransitionNotAllowed
from certification.models import (
    Application,
    Attestation,
    port_codes,
    risk_flag_columns,
    search_text,
)
from certification.references import next_reference
from certification.selectors import (
    application_missing_items,
    handbook_edition_in_force,
    information_request_open,
)
from certification.workflow.moves import S, transition
from recordkeepers.models import User
from recordkeepers.sizing import organisation_size_class


@transaction.atomic
def application_submit(
    *, application: Application, actor: User, expected_version: int | None = None
) -> Application:
    """Pin the Handbook edition in force, snapshot the profile (and issue the reference number if
    the draft has none)."""

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
        lacking = application_missing_items(application=application)
        missing = [item for items in lacking.values() for item in items]
        if missing:
            raise ValidationError(
                f"The application is not finished. Still needed: {'; '.join(missing)}."
            )
        sized = organisation_size_class(organisation)
        if sized is None:  # completeness asks for both measures: this is a guard, not a message
            raise ValidationError("The business profile needs entries per year and import value.")
        snapshot = organisation.profile_snapshot()
        # Issued when the draft started; a draft from before then gets its number now.
        reference = application.reference or next_reference(timezone.now().year)
        return {
            "reference": reference,
            "entries_per_year": organisation.entries_per_year,
            **risk_flag_columns(snapshot["risk_flags"]),
            "search_text": search_text(reference=reference, snapshot=snapshot),
            "port_codes": port_codes(snapshot),
            "handbook_edition": edition,
            "submitted_at": timezone.now(),
            "profile_snapshot": snapshot,
            "size_class": sized,
        }

    transition(
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
    transition(
        application=application,
        actor=actor,
        move_name="withdraw",
        to=S.WITHDRAWN,
        data={"reason": reason} if reason else None,
        expected_version=expected_version,
    )
    return application


@transaction.atomic
def application_answer_information_request(*, application: Application, actor: User) -> Application:
    """Send the saved answers (`information_request_save_answers`) to CBP. Every question must have
    an answer; nothing else about the application changes."""

    def prepare() -> dict:
        request = information_request_open(application=application)
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
        return {"answers_unread": True}  # the queue flags them until a reviewer opens them

    event_data: dict = {}
    transition(
        application=application,
        actor=actor,
        move_name="answer_information_request",
        to=S.IN_REVIEW,
        prepare=prepare,
        data=event_data,
    )
    return application
