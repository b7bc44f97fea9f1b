from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from recordkeepers.models import Invitation
from recordkeepers.services import invitation_issue_token


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_invitation(*, invitation_id: int) -> None:
    """Email a pending invitation, once: a redelivered task, or the sweep's, finds it sent and does
    nothing. The token is issued here, under the row's lock, so it never travels through the queue."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("organisation", "invited_by")
            .get(pk=invitation_id)
        )
        if invitation.sent_at is not None:
            return
        token = invitation_issue_token(invitation=invitation)
        if token is None:  # accepted, withdrawn or expired meanwhile
            return
        context = {
            "invitation": invitation,
            "accept_url": settings.SITE_URL
            + reverse("recordkeepers:invitation-accept", args=[token]),
        }
        send_mail(
            subject=render_to_string("recordkeepers/email/invitation_subject.txt", context).strip(),
            message=render_to_string("recordkeepers/email/invitation_message.txt", context),
            from_email=None,
            recipient_list=[invitation.email],
        )
        Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now())


@shared_task(acks_late=True)
def sweep_unsent_invitations() -> int:
    """Send the pending invitations whose email has not gone out (asked for while the broker was
    down, or lost with it). Run by Celery beat."""
    waiting = Invitation.objects.pending().filter(
        sent_at__isnull=True,
        created_at__lte=timezone.now() - timedelta(seconds=settings.SWEEP_SECONDS / 2),
    )
    invitation_ids = list(waiting.order_by("created_at", "pk").values_list("pk", flat=True)[:500])
    for invitation_id in invitation_ids:
        send_invitation.delay(invitation_id=invitation_id)
    return len(invitation_ids)
