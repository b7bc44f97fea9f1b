from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from recordkeepers.forms import InvitationAcceptForm, InvitationForm, OrganisationForm
from recordkeepers.models import Organisation
from recordkeepers.rules import is_cbp_staff, may
from recordkeepers.selectors import (
    invitation_get_in_organisation,
    invitation_get_pending_by_token,
    membership_for_user,
    membership_get_in_organisation,
    organisation_members,
    organisation_pending_invitations,
    user_exists_with_email,
)
from recordkeepers.services import (
    invitation_accept,
    invitation_accept_with_new_account,
    invitation_create,
    invitation_revoke,
    membership_remove,
    organisation_register,
)


def _own_organisation(request: HttpRequest) -> Organisation:
    membership = membership_for_user(user=request.user)
    if membership is None:
        raise Http404("You do not belong to an organization")
    return membership.organisation


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    """For a signed-in person without an organisation (for example, one removed from theirs); not
    for CBP's staff (`organisation_register`)."""
    if is_cbp_staff(request.user):
        raise PermissionDenied("CBP's staff do not register an importer's organization.")
    if membership_for_user(user=request.user) is not None:
        return redirect("dashboard")
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation_register(actor=request.user, legal_name=form.cleaned_data["legal_name"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your organization is registered.")
            return redirect("dashboard")
    return render(
        request,
        "recordkeepers/organisation_create.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
def members(request: HttpRequest) -> HttpResponse:
    organisation = _own_organisation(request)
    can_manage = may(request.user, "recordkeepers.manage_members", organisation)
    form = InvitationForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("Only an owner of the organization can invite colleagues.")
        if form.is_valid():
            try:
                invitation = invitation_create(
                    organisation=organisation,
                    email=form.cleaned_data["email"],
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"We have emailed an invitation to {invitation.email}.")
                return redirect("recordkeepers:members")
    return render(
        request,
        "recordkeepers/members.html",
        {
            "organisation": organisation,
            "memberships": organisation_members(organisation=organisation),
            "invitations": organisation_pending_invitations(organisation=organisation),
            "can_manage": can_manage,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _own_organisation(request)
    membership = membership_get_in_organisation(organisation=organisation, pk=pk)
    try:
        membership_remove(membership=membership, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{membership.user.email} no longer has access.")
    return redirect("recordkeepers:members")


@login_required
@require_POST
def invitation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _own_organisation(request)
    invitation = invitation_get_in_organisation(organisation=organisation, pk=pk)
    invitation_revoke(invitation=invitation, actor=request.user)
    messages.success(request, f"The invitation to {invitation.email} is withdrawn.")
    return redirect("recordkeepers:members")


def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_get_pending_by_token(token=token)
    account_exists = user_exists_with_email(email=invitation.email)
    context = {"invitation": invitation, "account_exists": account_exists}

    if request.user.is_authenticated:
        if request.user.email.casefold() != invitation.email.casefold():
            context["wrong_account"] = True
            return render(request, "recordkeepers/invitation_accept.html", context, status=403)
        if request.method == "POST":
            try:
                invitation_accept(invitation=invitation, actor=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("dashboard")
            messages.success(request, f"You have joined {invitation.organisation}.")
            return redirect("dashboard")
        return render(request, "recordkeepers/invitation_accept.html", context)

    if account_exists:
        # Sign in first, then come back here to accept.
        context["login_url"] = (
            f"{reverse('account_login')}?next={reverse('recordkeepers:invitation-accept', args=[token])}"
        )
        return render(request, "recordkeepers/invitation_accept.html", context)

    form = InvitationAcceptForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept_with_new_account(
                invitation=invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend="allauth.account.auth_backends.AuthenticationBackend")
            messages.success(request, f"Welcome. You have joined {invitation.organisation}.")
            return redirect("dashboard")
    context["form"] = form
    return render(
        request,
        "recordkeepers/invitation_accept.html",
        context,
        status=400 if form.errors else 200,
    )
