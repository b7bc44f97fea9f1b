"""Writes of the applicant's answers to CBP's questions, before they are sent."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from certification.models import (
    Application,
    InformationRequest,
)
from recordkeepers.models import User
from recordkeepers.rules import may


def _lock_open_request(*, request: InformationRequest, actor: User) -> InformationRequest:
    """Lock the application while its open request's answers change, or refuse."""
    application = Application.objects.select_for_update().get(pk=request.application_id)
    if not may(actor, "certification.answer_information_request_application", application):
        raise PermissionDenied("Only the organization's members can answer CBP's questions.")
    request = InformationRequest.objects.get(pk=request.pk)
    if request.answered_at is not None:
        raise ValidationError("These questions have already been answered.")
    return request


@transaction.atomic
def information_request_save_answers(
    *, information_request: InformationRequest, actor: User, answers: dict[int, str]
) -> None:
    """Keep the answers typed so far, without sending them: `answers` maps question id to text."""
    _lock_open_request(request=information_request, actor=actor)
    for item in information_request.items.filter(pk__in=answers):
        if item.answer != answers[item.pk]:
            item.answer = answers[item.pk]
            item.save(update_fields=["answer", "updated_at"])


@transaction.atomic
def information_request_acknowledge(*, application: Application) -> int:
    """The reviewer has opened the applicant's answers: the review queue stops flagging them."""
    Application.objects.filter(pk=application.pk).update(answers_unread=False)
    application.answers_unread = False
    return application.information_requests.filter(
        answered_at__isnull=False, acknowledged_at__isnull=True
    ).update(acknowledged_at=timezone.now())
