from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from recordkeepers.models import Invitation
from recordkeepers.services import invitation_issue_token


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_invitation(*, invitation_id: int) -> None:
    invitation = Invitation.objects.select_related("organisation", "invited_by").get(
        pk=invitation_id
    )
    token = invitation_issue_token(invitation=invitation)
    if token is None:
        return
    context = {
        "invitation": invitation,
        "accept_url": settings.SITE_URL + reverse("recordkeepers:invitation-accept", args=[token]),
    }
    send_mail(
        subject=render_to_string("recordkeepers/email/invitation_subject.txt", context).strip(),
        message=render_to_string("recordkeepers/email/invitation_message.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )
