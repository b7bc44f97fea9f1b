import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from recordkeepers.models import Invitation, Membership, Organisation
from recordkeepers.selectors import invitation_get_pending_by_token
from recordkeepers.services import (
    invitation_accept,
    invitation_accept_with_new_account,
    invitation_create,
    invitation_issue_token,
    invitation_revoke,
    membership_remove,
    organisation_register,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _invite_and_get_token(organisation, email, owner) -> tuple[Invitation, str]:
    invitation = invitation_create(organisation=organisation, email=email, actor=owner)
    return invitation, invitation_issue_token(invitation=invitation)


def test_registering_an_organisation_makes_the_person_its_owner():
    person = UserFactory()
    organisation = organisation_register(actor=person, legal_name="  Acme   Imports LLC ")
    assert organisation.legal_name == "Acme Imports LLC"
    assert person.membership.role == Membership.Role.OWNER
    assert person.membership.organisation == organisation


def test_a_person_cannot_register_a_second_organisation(owner_a):
    with pytest.raises(ValidationError):
        organisation_register(actor=owner_a, legal_name="Second Co")
    assert Organisation.objects.count() == 1


def test_invitation_email_carries_a_working_link(
    owner_a, organisation_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(
            organisation=organisation_a, email="new@acme.example", actor=owner_a
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new@acme.example"]
    assert organisation_a.legal_name in message.body
    token = message.body.split("/invitations/")[1].split("/")[0]
    assert invitation_get_pending_by_token(token=token) == invitation


def test_an_invitation_is_emailed_once_and_the_sweep_sends_one_left_unsent(
    owner_a, organisation_a, settings
):
    from datetime import timedelta

    from recordkeepers.tasks import send_invitation, sweep_unsent_invitations

    # Asked for while the broker was down: its on-commit send never ran.
    invitation = invitation_create(
        organisation=organisation_a, email="new@acme.example", actor=owner_a
    )
    assert sweep_unsent_invitations.delay().get() == 0  # just made: its send may be on its way
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - timedelta(seconds=settings.SWEEP_SECONDS)
    )
    assert sweep_unsent_invitations.delay().get() == 1
    assert [message.to for message in mail.outbox] == [["new@acme.example"]]
    token = mail.outbox[0].body.split("/invitations/")[1].split("/")[0]

    # Sent: neither the sweep nor a redelivered task sends it again, so the link keeps working.
    assert sweep_unsent_invitations.delay().get() == 0
    send_invitation.delay(invitation_id=invitation.pk)
    assert len(mail.outbox) == 1
    assert invitation_get_pending_by_token(token=token) == invitation

    # A withdrawn invitation is not swept.
    other = invitation_create(
        organisation=organisation_a, email="other@acme.example", actor=owner_a
    )
    invitation_revoke(invitation=other, actor=owner_a)
    Invitation.objects.filter(pk=other.pk).update(created_at=timezone.now() - timedelta(hours=1))
    assert sweep_unsent_invitations.delay().get() == 0


def test_only_owners_invite(member_a, organisation_a):
    with pytest.raises(PermissionDenied):
        invitation_create(organisation=organisation_a, email="x@acme.example", actor=member_a)
    assert not Invitation.objects.exists()


def test_owner_of_another_organisation_cannot_invite_into_ours(owner_b, organisation_a):
    with pytest.raises(PermissionDenied):
        invitation_create(organisation=organisation_a, email="x@acme.example", actor=owner_b)


def test_inviting_someone_who_already_belongs_to_an_organisation_is_refused(
    owner_a, organisation_a, owner_b
):
    with pytest.raises(ValidationError) as error:
        invitation_create(organisation=organisation_a, email=owner_b.email, actor=owner_a)
    assert "email" in error.value.message_dict


def test_a_second_open_invitation_to_the_same_address_is_refused(owner_a, organisation_a):
    invitation_create(organisation=organisation_a, email="new@acme.example", actor=owner_a)
    with pytest.raises(ValidationError):
        invitation_create(organisation=organisation_a, email="NEW@acme.example", actor=owner_a)
    assert Invitation.objects.count() == 1


def test_an_expired_invitation_gives_way_to_a_new_one(owner_a, organisation_a):
    old = invitation_create(organisation=organisation_a, email="new@acme.example", actor=owner_a)
    Invitation.objects.filter(pk=old.pk).update(expires_at=timezone.now())
    new = invitation_create(organisation=organisation_a, email="new@acme.example", actor=owner_a)
    old.refresh_from_db()
    assert old.revoked_at is not None
    assert new.is_pending


def test_reissuing_a_token_invalidates_the_previous_link(owner_a, organisation_a):
    invitation, first = _invite_and_get_token(organisation_a, "new@acme.example", owner_a)
    second = invitation_issue_token(invitation=invitation)
    assert invitation_get_pending_by_token(token=second) == invitation
    with pytest.raises(Exception, match="No such invitation"):
        invitation_get_pending_by_token(token=first)


def test_accepting_with_a_new_account_creates_a_verified_member(owner_a, organisation_a):
    invitation, _ = _invite_and_get_token(organisation_a, "New@Acme.example", owner_a)
    user = invitation_accept_with_new_account(
        invitation=invitation, full_name=" Nia  New ", password="Correct-Horse-Battery-9"
    )
    assert user.full_name == "Nia New"
    assert user.check_password("Correct-Horse-Battery-9")
    assert user.membership.organisation == organisation_a
    assert user.membership.role == Membership.Role.MEMBER
    assert EmailAddress.objects.get(user=user).verified
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert not invitation.is_pending


def test_an_invitation_cannot_be_used_twice(owner_a, organisation_a):
    invitation, _ = _invite_and_get_token(organisation_a, "new@acme.example", owner_a)
    invitation_accept_with_new_account(
        invitation=invitation, full_name="Nia", password="Correct-Horse-Battery-9"
    )
    with pytest.raises(ValidationError):
        invitation_accept_with_new_account(
            invitation=invitation, full_name="Nia", password="Correct-Horse-Battery-9"
        )
    assert Membership.objects.filter(organisation=organisation_a).count() == 2


def test_an_existing_account_accepts_only_its_own_invitation(owner_a, organisation_a):
    invitee = UserFactory(email="new@acme.example")
    stranger = UserFactory(email="stranger@example.com")
    invitation, _ = _invite_and_get_token(organisation_a, "new@acme.example", owner_a)
    with pytest.raises(PermissionDenied):
        invitation_accept(invitation=invitation, actor=stranger)
    membership = invitation_accept(invitation=invitation, actor=invitee)
    assert membership.organisation == organisation_a


def test_a_withdrawn_invitation_cannot_be_accepted(owner_a, organisation_a):
    invitation, token = _invite_and_get_token(organisation_a, "new@acme.example", owner_a)
    invitation_revoke(invitation=invitation, actor=owner_a)
    with pytest.raises(Exception, match="no longer valid"):
        invitation_get_pending_by_token(token=token)
    with pytest.raises(ValidationError):
        invitation_accept_with_new_account(
            invitation=invitation, full_name="Nia", password="Correct-Horse-Battery-9"
        )


def test_owner_removes_a_member_but_members_cannot(owner_a, member_a):
    with pytest.raises(PermissionDenied):
        membership_remove(membership=owner_a.membership, actor=member_a)
    membership_remove(membership=member_a.membership, actor=owner_a)
    assert not Membership.objects.filter(user=member_a).exists()


def test_an_owner_cannot_be_removed(owner_a):
    with pytest.raises(ValidationError):
        membership_remove(membership=owner_a.membership, actor=owner_a)
    assert Membership.objects.filter(user=owner_a).exists()
