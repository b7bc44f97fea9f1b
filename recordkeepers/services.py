"""Writes about people and organisations. Keyword-only, atomic, and they check the actor."""

from typing import Any

from allauth.account.models import EmailAddress
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from common.tasks import enqueue_on_commit
from recordkeepers.models import Invitation, Membership, Organisation, User
from recordkeepers.rules import is_cbp_staff, is_organisation_member, may
from recordkeepers.validators import validate_importer_numbers_in_clear


def _require_no_organisation(*, user: User, field: str | None = None) -> None:
    if Membership.objects.filter(user=user).exists():
        message = f"{user.email} already belongs to an organization."
        raise ValidationError({field: message} if field else message)


@transaction.atomic
def organisation_register(*, actor: User, legal_name: str) -> Organisation:
    """Create a recordkeeper organisation with `actor`, who registers it, as its first owner.
    CBP's staff register none: an importer's organisation is its own people's, and a reviewer
    belonging to one would be linked to it (a conflict of interest) by their own act."""
    if is_cbp_staff(actor):
        raise PermissionDenied("CBP's staff do not register an importer's organization.")
    legal_name = " ".join(legal_name.split())
    if not legal_name:
        raise ValidationError({"legal_name": "Enter the organization's legal name."})
    _require_no_organisation(user=actor)
    organisation = Organisation.objects.create(legal_name=legal_name)
    Membership.objects.create(organisation=organisation, user=actor, role=Membership.Role.OWNER)
    return organisation


@transaction.atomic
def organisation_update_profile(
    *, organisation: Organisation, actor: User, data: dict[str, Any]
) -> Organisation:
    """Save (part of) the organisation's business profile, as a member of it typed it.

    `data` is BusinessProfileForm's cleaned_data, or any subset of `Organisation.PROFILE_FIELDS`: a
    draft may be incomplete, so only what is given is written. The model's own validation runs
    again here because not every caller comes through the form.
    """
    if not is_organisation_member(actor, organisation):
        raise PermissionDenied("Only people in the organization can change its profile.")
    unknown = set(data).difference(Organisation.PROFILE_FIELDS)
    if unknown:
        # A caller's mistake, not the user's: fail loudly rather than drop what was typed.
        raise ValueError(f"Not business-profile fields: {', '.join(sorted(unknown))}")
    written = list(data)
    errors: dict[str, list[str]] = {}
    for name, value in data.items():
        if name == "importer_numbers":
            try:
                validate_importer_numbers_in_clear(value)
            except ValidationError as error:
                errors[name] = error.messages
                continue
            organisation.set_importer_numbers(value)  # masked and sealed
            written.append("sealed_importer_numbers")
        else:
            setattr(organisation, name, value)
    checked = set(data) - set(errors)
    excluded = [f.name for f in Organisation._meta.concrete_fields if f.name not in checked]
    try:
        organisation.full_clean(exclude=excluded, validate_unique=False)
    except ValidationError as error:
        errors |= error.message_dict
    if errors:
        raise ValidationError(errors)
    organisation.save(update_fields=[*written, "updated_at"])
    return organisation


@transaction.atomic
def invitation_create(*, organisation: Organisation, email: str, actor: User) -> Invitation:
    """`actor` invites a colleague by email; the email itself is sent by a task once this commits."""
    if not may(actor, "recordkeepers.manage_members", organisation):
        raise PermissionDenied("Only an owner of the organization can invite colleagues.")
    email = email.strip()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None and Membership.objects.filter(user=existing).exists():
        raise ValidationError({"email": f"{email} already belongs to an organization."})
    # A lapsed invitation to the same address gives way to the new one.
    organisation.invitations.filter(
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__lte=timezone.now(),
    ).update(revoked_at=timezone.now())
    invitation = Invitation(
        organisation=organisation,
        email=email,
        invited_by=actor,
        expires_at=timezone.now() + Invitation.VALID_FOR,
    )
    invitation.set_new_token()  # a placeholder; the sending task issues the token that is mailed
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:
        raise ValidationError({"email": f"{email} has already been invited."}) from None
    # Beat's sweep sends it later if the broker cannot be reached now.
    enqueue_on_commit("recordkeepers.tasks.send_invitation", invitation_id=invitation.pk)
    return invitation


@transaction.atomic
def invitation_issue_token(*, invitation: Invitation) -> str | None:
    """Give a pending invitation a fresh token and return it, for the email that carries it.

    Every sending issues a new token, so the token never travels through the task queue and only the
    most recent email's link works. Returns None for an invitation that is no longer pending.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        return None
    token = invitation.set_new_token()
    invitation.save(update_fields=["token_hash"])
    return token


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> None:
    if not may(actor, "recordkeepers.manage_members", invitation.organisation):
        raise PermissionDenied("Only an owner of the organization can withdraw invitations.")
    Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def _accept(*, invitation: Invitation, user: User) -> Membership:
    claimed = Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(accepted_at=timezone.now(), accepted_by=user)
    if claimed != 1:
        raise ValidationError("This invitation has already been used or withdrawn.")
    return Membership.objects.create(
        organisation=invitation.organisation, user=user, role=invitation.role
    )


@transaction.atomic
def invitation_accept(*, invitation: Invitation, actor: User) -> Membership:
    """`actor`, an existing and signed-in account, joins the organisation it was invited to."""
    if actor.email.casefold() != invitation.email.casefold():
        raise PermissionDenied("This invitation was sent to a different email address.")
    _require_no_organisation(user=actor)
    # Following the emailed link proves the address, as verification would.
    EmailAddress.objects.filter(user=actor, email__iexact=actor.email).update(verified=True)
    return _accept(invitation=invitation, user=actor)


@transaction.atomic
def invitation_accept_with_new_account(
    *, invitation: Invitation, full_name: str, password: str
) -> User:
    """Create the invitee's account (its address verified by the link) and join the organisation."""
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError("An account with this email address already exists: sign in first.")
    user = User(email=invitation.email, full_name=" ".join(full_name.split()))
    user.set_password(password)
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    _accept(invitation=invitation, user=user)
    return user


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User) -> None:
    if not may(actor, "recordkeepers.manage_members", membership.organisation):
        raise PermissionDenied("Only an owner of the organization can remove colleagues.")
    if membership.is_owner:
        raise ValidationError("An owner cannot be removed.")
    membership.delete()


NEW_DEVICE_SIGN_IN = "signed in with a second factor from a new device"


@transaction.atomic
def new_device_sign_in_record(*, actor: User, ip_address: str | None, user_agent: str) -> LogEntry:
    """Write in the audit trail that `actor` signed in with a second factor from a browser not
    seen before: an "access" to their own account, with where it came from."""
    entry = LogEntry.objects.log_create(
        actor,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=actor,
        actor_email=actor.email,
        remote_addr=ip_address,
        changes_text=NEW_DEVICE_SIGN_IN,
        additional_data={
            "event": NEW_DEVICE_SIGN_IN,
            "ip_address": ip_address,
            "user_agent": user_agent[:512],
        },
    )
    assert entry is not None  # force_log: always written
    return entry
