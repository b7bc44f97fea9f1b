"""Reads about people and organisations, with their access checks."""

from django.db.models import QuerySet
from django.http import Http404

from recordkeepers.models import Invitation, Membership, Organisation, User


def membership_for_user(*, user: User) -> Membership | None:
    return Membership.objects.select_related("organisation").filter(user=user).first()


def user_exists_with_email(*, email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists()


def organisation_members(*, organisation: Organisation) -> QuerySet[Membership]:
    return organisation.memberships.select_related("user").order_by("-role", "user__email")


def organisation_pending_invitations(*, organisation: Organisation) -> QuerySet[Invitation]:
    return organisation.invitations.pending().select_related("invited_by").order_by("email")


def invitation_get_pending_by_token(*, token: str) -> Invitation:
    """The open invitation with this token, or 404 (unknown, used, revoked and expired alike)."""
    try:
        invitation = Invitation.objects.select_related("organisation").get_by_token(token)
    except Invitation.DoesNotExist:
        raise Http404("No such invitation") from None
    if not invitation.is_pending:
        raise Http404("This invitation is no longer valid")
    return invitation


def membership_get_in_organisation(*, organisation: Organisation, pk: int) -> Membership:
    try:
        return organisation.memberships.select_related("user").get(pk=pk)
    except Membership.DoesNotExist:
        raise Http404("No such member") from None


def invitation_get_in_organisation(*, organisation: Organisation, pk: int) -> Invitation:
    try:
        return organisation.invitations.pending().get(pk=pk)
    except Invitation.DoesNotExist:
        raise Http404("No such invitation") from None
