"""The applicant's wizard: one page per step, each saved to the database.

Views look the application up through the selector (another organisation's is a 404), bind the
step's forms, call the services and render. Whatever a person typed survives a mistake: values that
clean are saved even when another field has an error, uploaded files that pass are stored, and the
page comes back with every typed value and a message beside each field to fix (status 400). A save
made from a stale copy (another tab, a colleague) is refused with status 409 and saves nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from certification.models import Application, ApplicationStatus
from certification.responses import add_service_errors
from certification.selectors import application_get_for_user
from certification.services import drafts as services
from certification.services.drafts import ATTESTATION_TEXT
from certification.services.submission import application_sign_and_submit
from certification.wizard import steps as wizard
from certification.wizard import summary
from certification.wizard.demonstration_views import demonstration_step, individuals_step
from certification.wizard.forms import AttestationForm, RouteForm, TermsForm
from certification.wizard.navigation import (
    AUTOSAVE,
    after_save,
    exit_with_unsaved,
    leaving,
    refresh_version,
    render_step,
    report_conflict,
    response_status,
    step_url,
)
from certification.workflow import StaleApplication
from recordkeepers.forms import BusinessProfileForm
from recordkeepers.rules import may
from recordkeepers.selectors import membership_for_user
from recordkeepers.sizing import organisation_size_class, size_class_sentence


@login_required
@require_POST
def application_start(request: HttpRequest) -> HttpResponse:
    membership = membership_for_user(user=request.user)
    if membership is None:
        raise Http404("You do not belong to an organization")
    try:
        application = services.application_start(
            organisation=membership.organisation, actor=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("dashboard")
    return redirect(step_url(application, wizard.STEPS[0]))


@login_required
def wizard_step(request: HttpRequest, pk: str, slug: str) -> HttpResponse:
    application = application_get_for_user(user=request.user, pk=pk)
    step = wizard.STEPS_BY_SLUG.get(slug)
    if step is None:
        raise Http404("No such step")
    if application.status != ApplicationStatus.DRAFT:
        return redirect("certification:application-detail", application.url_key)
    if not may(request.user, "certification.edit_application", application):
        raise PermissionDenied("Only the organization's members can edit its application.")
    if not step.shows(application):
        return redirect(step_url(application, wizard.STEPS[0]))
    if step.slug in wizard.PROFILE_PARTS:
        return _profile(request, application, step)
    if step.slug == wizard.TERMS:
        return _terms(request, application, step)
    if step.slug == wizard.INDIVIDUALS:
        return individuals_step(request, application, step)
    if step.slug == wizard.CHECK:
        return _check(request, application, step)
    if step.slug == wizard.SUBMIT:
        return _submit(request, application, step)
    return demonstration_step(request, application, step)


def _profile_forms(request, application: Application, step: wizard.Step):
    """One page of the business profile, and the route to certification on its second page. The
    route form carries the version on both."""
    initial = {"route": application.route, "version": application.version}
    data = request.POST if request.method == "POST" else None
    profile_form = BusinessProfileForm(
        data, instance=application.organisation, fields=wizard.PROFILE_PARTS[step.slug]
    )
    route_form = RouteForm(data, initial=initial)
    if step.slug != wizard.BUSINESS:
        del route_form.fields["route"]
    return profile_form, route_form


def _profile(request, application: Application, step: wizard.Step) -> HttpResponse:
    organisation = application.organisation
    profile_form, route_form = _profile_forms(request, application, step)
    context = {"profile_form": profile_form, "route_form": route_form}
    if request.method != "POST":
        if step.slug == wizard.BUSINESS:
            context["size_sentence"] = _size_sentence(organisation)
        return render_step(request, application, step, context)
    profile_ok, route_ok = profile_form.is_valid(), route_form.is_valid()
    conflict = False
    version = route_form.cleaned_data.get("version")
    if version is None:
        return HttpResponse("The form was incomplete; reload the page.", status=400)
    valid_profile = {
        name: value
        for name, value in profile_form.cleaned_data.items()
        if name not in profile_form.errors
    }
    try:
        services.application_save_profile(
            application=application,
            actor=request.user,
            profile=valid_profile,
            route=route_form.cleaned_data.get("route") or application.route,
            expected_version=version,
        )
    except StaleApplication:
        conflict = True
        report_conflict(request, application, step)
    if profile_ok and route_ok and not conflict:
        sentence = _size_sentence(organisation) if step.slug == wizard.BUSINESS else ""
        if sentence and request.POST.get("action") != AUTOSAVE:
            messages.info(request, sentence)  # told as soon as the profile can size the business
        return after_save(request, application, step)
    if leaving(request) and not conflict:
        return exit_with_unsaved(request, application, profile_form, route_form)
    if not conflict:
        refresh_version(route_form, application)
    if step.slug == wizard.BUSINESS:
        context["size_sentence"] = _size_sentence(organisation)
    return render_step(request, application, step, context, status=response_status(True, conflict))


def _size_sentence(organisation) -> str:
    size = organisation_size_class(organisation)
    return size_class_sentence(size) if size else ""


def _terms(request, application: Application, step: wizard.Step) -> HttpResponse:
    form = TermsForm(
        request.POST or None,
        initial={"proposed_terms": application.proposed_terms, "version": application.version},
    )
    conflict = False
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["proposed_terms"] != application.proposed_terms:
                services.application_save_terms(
                    application=application,
                    actor=request.user,
                    proposed_terms=form.cleaned_data["proposed_terms"],
                    expected_version=form.cleaned_data["version"],
                )
        except StaleApplication:
            conflict = True
            report_conflict(request, application, step)
        else:
            return after_save(request, application, step)
    elif request.method == "POST" and leaving(request) and form.has_error("proposed_terms"):
        return exit_with_unsaved(request, application, form)
    return render_step(
        request,
        application,
        step,
        {"form": form},
        status=response_status(bool(form.errors), conflict),
    )


def _check(request, application: Application, step: wizard.Step) -> HttpResponse:
    missing = wizard.missing_items(application)
    return render_step(
        request,
        application,
        step,
        {
            "sections": summary.summary(application),
            "complete": not any(missing.values()),
            "individuals": application.designated_individuals.all(),
            "evidence": application.evidence.all(),
        },
    )


def _submit(request, application: Application, step: wizard.Step) -> HttpResponse:
    missing = wizard.missing_items(application)
    can_sign = may(request.user, "certification.submit_application", application)
    form = AttestationForm(
        request.POST or None,
        initial={"signer_name": request.user.full_name, "version": application.version},
    )
    context = {
        "form": form,
        "missing": missing,
        "complete": not any(missing.values()),
        "can_sign": can_sign,
        "statement": ATTESTATION_TEXT.format(organization=application.organisation.legal_name),
    }
    if request.method != "POST":
        return render_step(request, application, step, context)
    if not can_sign:
        raise PermissionDenied("Only an owner of the organization can sign and submit.")
    conflict = False
    if form.is_valid():
        try:
            application_sign_and_submit(
                application=application,
                actor=request.user,
                signer_name=form.cleaned_data["signer_name"],
                signer_title=form.cleaned_data["signer_title"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleApplication:
            conflict = True
            messages.error(
                request,
                "The application changed after you opened this page. Check your answers again, "
                "then sign.",
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Application {application.reference} is submitted. We have emailed everyone in "
                "your organization a confirmation.",
            )
            return redirect("certification:application-detail", application.url_key)
    return render_step(request, application, step, context, status=response_status(True, conflict))
