"""The applicant's portal around an application: its page, withdrawal and answers to CBP's
questions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from certification import scheduling
from certification.evidence.services import information_request_add_evidence
from certification.forms import InformationAnswerForm, WithdrawForm
from certification.letters.selectors import letters_for_application
from certification.models import ApplicationStatus
from certification.responses import call_service
from certification.selectors import (
    application_get_for_user,
    application_timeline,
    information_request_open,
)
from certification.services.information_requests import information_request_save_answers
from certification.wizard import steps as wizard
from certification.wizard import summary
from certification.workflow import (
    application_answer_information_request,
    application_withdraw,
)
from recordkeepers.rules import is_cbp_staff, may

# What the applicant should do next, or what happens next, in each state.
NEXT_ACTION = {
    ApplicationStatus.DRAFT: "Finish the application, then an owner signs and submits it.",
    ApplicationStatus.SUBMITTED: "CBP will assign a reviewer. You do not need to do anything.",
    ApplicationStatus.IN_REVIEW: "A CBP reviewer is reviewing the application.",
    ApplicationStatus.INFO_REQUESTED: "CBP has asked for more information. Answer the questions.",
    ApplicationStatus.RECOMMENDED: "A CBP supervisor is reviewing the reviewer's recommendation.",
    ApplicationStatus.CERTIFIED: "Your organization is certified. The decision letter sets out the conditions of participation.",
    ApplicationStatus.DENIED: "CBP denied the application. The decision letter explains why and how to appeal.",
    ApplicationStatus.WITHDRAWN: "The application was withdrawn. You can start a new one.",
}


@login_required
def application_detail(request: HttpRequest, pk: str) -> HttpResponse:
    application = application_get_for_user(user=request.user, pk=pk)
    is_draft = application.status == ApplicationStatus.DRAFT
    missing = wizard.missing_items(application) if is_draft else {}
    can_answer = may(
        request.user, "certification.answer_information_request_application", application
    )
    return render(
        request,
        "certification/application_detail.html",
        {
            "application": application,
            "events": application_timeline(user=request.user, application=application),
            "next_action": NEXT_ACTION.get(application.status, ""),
            "expected_timeline": scheduling.projection_for_application(application=application),
            "progress": [(wizard.STEPS_BY_SLUG[slug], items) for slug, items in missing.items()],
            "first_unfinished": wizard.first_unfinished(application, missing),
            "sections": [] if is_draft else summary.summary(application),
            "individuals": application.designated_individuals.all(),
            "evidence": application.evidence.all(),
            "letters": letters_for_application(application=application),
            "is_staff_viewer": is_cbp_staff(request.user),
            "today": timezone.localdate(),
            "can_edit": may(request.user, "certification.edit_application", application),
            "can_answer": can_answer,
            "open_request": information_request_open(application=application)
            if can_answer
            else None,
            "can_withdraw": may(request.user, "certification.withdraw_application", application),
        },
    )


@login_required
def application_continue(request: HttpRequest, pk: str) -> HttpResponse:
    """Where "Continue the application" leads: the first step still needing answers, or check your
    answers when none does. An application past its draft has no steps: its own page."""
    application = application_get_for_user(user=request.user, pk=pk)
    if application.status != ApplicationStatus.DRAFT or not may(
        request.user, "certification.edit_application", application
    ):
        return redirect("certification:application-detail", application.url_key)
    step = wizard.first_unfinished(application, wizard.missing_items(application))
    return redirect("certification:wizard-step", application.url_key, step.slug)


@login_required
def application_withdraw_view(request: HttpRequest, pk: str) -> HttpResponse:
    """Asks for confirmation first (GET), withdraws on POST."""
    application = application_get_for_user(user=request.user, pk=pk)
    if not may(request.user, "certification.withdraw_application", application):
        raise PermissionDenied("This application cannot be withdrawn.")
    form = WithdrawForm(request.POST or None, initial={"version": application.version})
    status = 200
    if request.method == "POST":
        status = call_service(
            form,
            lambda data: application_withdraw(
                application=application,
                actor=request.user,
                reason=data["reason"],
                expected_version=data["version"],
            ),
        )
        if status is None:
            messages.success(request, "The application is withdrawn.")
            return redirect("certification:application-detail", application.url_key)
    return render(
        request,
        "certification/application_withdraw.html",
        {"application": application, "form": form},
        status=status,
    )


@login_required
def information_request_answer(request: HttpRequest, pk: str) -> HttpResponse:
    """Answer CBP's questions: text and files for each, saved on every post, then sent.

    Only the answers become editable: the rest of the application stays as it was submitted.
    """
    application = application_get_for_user(user=request.user, pk=pk)
    if not may(request.user, "certification.answer_information_request_application", application):
        raise PermissionDenied("There are no questions from CBP to answer.")
    info_request = information_request_open(application=application)
    if info_request is None:
        raise PermissionDenied("There are no questions from CBP to answer.")
    items = list(info_request.items.prefetch_related("evidence"))
    form = InformationAnswerForm(request.POST or None, request.FILES or None, items=items)
    status = 200
    if request.method == "POST":
        valid = form.is_valid()
        information_request_save_answers(
            information_request=info_request, actor=request.user, answers=form.valid_answers()
        )
        for item, upload in form.uploads():
            try:
                information_request_add_evidence(item=item, actor=request.user, upload=upload)
            except ValidationError as error:
                form.add_error(f"files_{item.pk}", error)
        if valid and not form.errors and request.POST.get("action") == "send":
            try:
                application_answer_information_request(application=application, actor=request.user)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, "Your answers were sent to CBP.")
                return redirect("certification:application-detail", application.url_key)
        if not form.errors:
            messages.success(request, "Your answers are saved. Send them when they are ready.")
            return redirect("certification:information-request-answer", application.url_key)
        status = 400
    return render(
        request,
        "certification/information_request_answer.html",
        {
            "application": application,
            "info_request": info_request,
            "rows": [(item, form[f"answer_{item.pk}"], form[f"files_{item.pk}"]) for item in items],
            "form": form,
        },
        status=status,
    )
