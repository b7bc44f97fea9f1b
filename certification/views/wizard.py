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
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from certification import services, wizard
from certification.forms import (
    AttestationForm,
    DemonstrationForm,
    DesignatedIndividualFormSet,
    ReplaceEvidenceForm,
    RouteForm,
    TermsForm,
)
from certification.models import Application, ApplicationStatus, DemonstrationResponse
from certification.selectors import application_get_for_user, handbook_edition_in_force
from certification.services import ATTESTATION_TEXT
from certification.workflow import StaleApplication, application_submit
from recordkeepers.forms import BusinessProfileForm
from recordkeepers.selectors import membership_for_user

# The buttons of a step. AUTOSAVE is sent by static/js/rkcp.js when the session is about to end
# with unsaved changes on the page: it saves and comes back to the same step.
CONTINUE, EXIT, AUTOSAVE = "continue", "exit", "autosave"


def _step_url(application: Application, step: wizard.Step) -> str:
    return reverse("certification:wizard-step", args=[application.pk, step.slug])


def _after_save(request: HttpRequest, application: Application, step: wizard.Step):
    """Where "Save and continue" and "Save and exit" lead."""
    if request.POST.get("action") == AUTOSAVE:
        messages.info(
            request,
            "We saved your answers because you had not done anything for a while. Carry on here.",
        )
        return redirect(_step_url(application, step))
    if request.POST.get("action") == EXIT:
        messages.success(
            request,
            "Your answers are saved. You or a colleague can carry on from your dashboard at any time.",
        )
        return redirect("certification:application-detail", application.pk)
    following = wizard.next_step(application, step)
    return redirect(_step_url(application, following or step))


def _render(request, application, step, context: dict, *, status: int = 200) -> HttpResponse:
    steps = wizard.steps_for(application)
    index = steps.index(step)
    return render(
        request,
        step.template,
        {
            "application": application,
            "step": step,
            "steps": steps,
            "step_number": index + 1,
            "previous": steps[index - 1] if index else None,
            # Steps with a form are saved in the background before an idle session ends.
            "autosave": step.slug not in {wizard.CHECK, wizard.SUBMIT},
            **context,
        },
        status=status,
    )


def _status(form_has_errors: bool, conflict: bool) -> int:
    return 409 if conflict else 400 if form_has_errors else 200


def _refresh_version(form, application: Application) -> None:
    """After a partial save the page is shown again: it must carry the version it now stands at."""
    form.data = form.data.copy()
    form.data[form.add_prefix("version")] = str(application.version)


def _conflict(request, application: Application, step: wizard.Step) -> None:
    messages.error(
        request,
        "Your changes on this page were not saved: someone else (a colleague, or you in another "
        "tab) saved this application after you opened the page. Copy anything you want to keep, "
        "then open the step again to see the latest answers.",
    )


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
    return redirect(_step_url(application, wizard.STEPS[0]))


@login_required
def wizard_step(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    application = application_get_for_user(user=request.user, pk=pk)
    step = wizard.STEPS_BY_SLUG.get(slug)
    if step is None:
        raise Http404("No such step")
    if application.status != ApplicationStatus.DRAFT:
        return redirect("certification:application-detail", application.pk)
    if not request.user.has_perm("certification.edit_application", application):
        raise PermissionDenied("Only the organization's members can edit its application.")
    if not step.shows(application):
        return redirect(_step_url(application, wizard.STEPS[0]))
    if step.slug == wizard.PROFILE:
        return _profile(request, application, step)
    if step.slug == wizard.TERMS:
        return _terms(request, application, step)
    if step.slug == wizard.INDIVIDUALS:
        return _individuals(request, application, step)
    if step.slug == wizard.CHECK:
        return _check(request, application, step)
    if step.slug == wizard.SUBMIT:
        return _submit(request, application, step)
    return _demonstration(request, application, step)


def _profile(request, application: Application, step: wizard.Step) -> HttpResponse:
    organisation = application.organisation
    initial = {"route": application.route, "version": application.version}
    if request.method != "POST":
        return _render(
            request,
            application,
            step,
            {
                "profile_form": BusinessProfileForm(instance=organisation),
                "route_form": RouteForm(initial=initial),
            },
        )
    profile_form = BusinessProfileForm(request.POST, instance=organisation)
    route_form = RouteForm(request.POST, initial=initial)
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
        _conflict(request, application, step)
    if profile_ok and route_ok and not conflict:
        return _after_save(request, application, step)
    if not conflict:
        _refresh_version(route_form, application)
    return _render(
        request,
        application,
        step,
        {"profile_form": profile_form, "route_form": route_form},
        status=_status(True, conflict),
    )


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
            _conflict(request, application, step)
        else:
            return _after_save(request, application, step)
    return _render(
        request, application, step, {"form": form}, status=_status(bool(form.errors), conflict)
    )


def _store_evidence(request, application, step, form) -> bool:
    """Store each new file, remove one if asked. Returns whether the version went stale."""
    for upload in form.cleaned_data.get("evidence") or []:
        try:
            services.evidence_add(
                application=application,
                actor=request.user,
                demonstration=step.demonstration,
                upload=upload,
                expected_version=application.version,
            )
        except StaleApplication:
            return True
        except ValidationError as error:
            form.add_error("evidence", error)
    remove = request.POST.get("remove_evidence", "")
    if remove.isascii() and remove.isdigit():  # a tampered value would fail the lookup with a 500
        evidence = application.evidence.filter(pk=remove, demonstration=step.demonstration).first()
        if evidence is not None:
            try:
                services.evidence_remove(
                    evidence=evidence, actor=request.user, expected_version=application.version
                )
            except StaleApplication:
                return True
            except ValidationError as error:  # removed meanwhile, by a colleague or another tab
                messages.info(request, " ".join(error.messages))
            else:
                messages.success(request, f"Removed “{evidence.original_name}”.")
    return False


def _save_demonstration(request, application, step, form, response, *, individuals=None) -> bool:
    """Save what cleaned; store the files. Returns True when the version was stale."""
    previous_answers = response.answers if response else {}
    previous_narrative = response.narrative if response else ""
    version = form.cleaned_data.get("version")
    if version is None:
        raise ValidationError("The form was incomplete; reload the page.")
    answers = form.valid_answers(previous=previous_answers)
    narrative = form.cleaned_data.get("narrative", previous_narrative)
    try:
        if individuals is not None:
            services.application_save_individuals(
                application=application,
                actor=request.user,
                individuals=individuals,
                answers=answers,
                narrative=narrative,
                expected_version=version,
            )
        elif response is None or (answers, narrative) != (previous_answers, previous_narrative):
            services.application_save_response(
                application=application,
                actor=request.user,
                demonstration=step.demonstration,
                answers=answers,
                narrative=narrative,
                expected_version=version,
            )
        elif version != application.version:
            raise StaleApplication()
    except StaleApplication:
        return True
    return _store_evidence(request, application, step, form)


def _demonstration_context(application, step, form, **extra) -> dict:
    return {
        "form": form,
        "criteria": _criteria(step),
        "evidence": application.evidence.filter(demonstration=step.demonstration),
        **extra,
    }


def _criteria(step: wizard.Step):
    """What reviewers look for, from the Handbook in force, shown to the applicant beside the step."""
    edition = handbook_edition_in_force()
    return edition.criteria.filter(demonstration=step.demonstration) if edition else []


def _response(application, step) -> DemonstrationResponse | None:
    return application.responses.filter(demonstration=step.demonstration).first()


def _bind(step, request, response, application) -> DemonstrationForm:
    form_class = step.form_class
    if request.method == "POST":
        return form_class(request.POST, request.FILES)
    return form_class(
        initial=form_class.initial_from(
            answers=response.answers if response else {},
            narrative=response.narrative if response else "",
            version=application.version,
        )
    )


def _demonstration(request, application: Application, step: wizard.Step) -> HttpResponse:
    response = _response(application, step)
    form = _bind(step, request, response, application)
    if request.method != "POST":
        return _render(request, application, step, _demonstration_context(application, step, form))
    valid = form.is_valid()
    try:
        conflict = _save_demonstration(request, application, step, form, response)
    except ValidationError as error:
        return HttpResponse(error.messages[0], status=400)
    if conflict:
        _conflict(request, application, step)
    elif valid and not form.errors and not request.POST.get("remove_evidence"):
        return _after_save(request, application, step)
    else:
        _refresh_version(form, application)
    return _render(
        request,
        application,
        step,
        _demonstration_context(application, step, form),
        status=_status(bool(form.errors), conflict),
    )


def _individuals(request, application: Application, step: wizard.Step) -> HttpResponse:
    response = _response(application, step)
    form = _bind(step, request, response, application)
    queryset = application.designated_individuals.all()
    if request.method != "POST":
        formset = DesignatedIndividualFormSet(queryset=queryset, prefix="individuals")
        return _render(
            request,
            application,
            step,
            _demonstration_context(application, step, form, formset=formset),
        )
    formset = DesignatedIndividualFormSet(request.POST, queryset=queryset, prefix="individuals")
    valid = form.is_valid()
    formset_ok = formset.is_valid()
    people = None
    if formset_ok:
        people = [
            f.cleaned_data
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
    try:
        conflict = _save_demonstration(
            request, application, step, form, response, individuals=people
        )
    except ValidationError as error:
        return HttpResponse(error.messages[0], status=400)
    if conflict:
        _conflict(request, application, step)
    elif valid and formset_ok and not form.errors and not request.POST.get("remove_evidence"):
        if request.POST.get("action") == "add":
            return redirect(_step_url(application, step) + "#individual-new")
        return _after_save(request, application, step)
    else:
        _refresh_version(form, application)
        if formset_ok:
            # Saved: show the rows as stored, with a fresh blank row to add another.
            formset = DesignatedIndividualFormSet(
                queryset=application.designated_individuals.all(), prefix="individuals"
            )
    has_errors = bool(form.errors) or not formset_ok
    return _render(
        request,
        application,
        step,
        _demonstration_context(application, step, form, formset=formset),
        status=_status(has_errors, conflict),
    )


def _check(request, application: Application, step: wizard.Step) -> HttpResponse:
    missing = wizard.missing_items(application)
    return _render(
        request,
        application,
        step,
        {
            "sections": wizard.summary(application),
            "complete": not any(missing.values()),
            "individuals": application.designated_individuals.all(),
            "evidence": application.evidence.all(),
        },
    )


def _submit(request, application: Application, step: wizard.Step) -> HttpResponse:
    missing = wizard.missing_items(application)
    can_sign = request.user.has_perm("certification.submit_application", application)
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
        return _render(request, application, step, context)
    if not can_sign:
        raise PermissionDenied("Only an owner of the organization can sign and submit.")
    conflict = False
    if form.is_valid():
        version = form.cleaned_data["version"]
        try:
            # One step for the person, so one transaction: a submission that fails (an unfinished
            # application, no Handbook in force) leaves no signature behind.
            with transaction.atomic():
                services.application_attest(
                    application=application,
                    actor=request.user,
                    signer_name=form.cleaned_data["signer_name"],
                    signer_title=form.cleaned_data["signer_title"],
                    expected_version=version,
                )
                application_submit(
                    application=application, actor=request.user, expected_version=version
                )
        except StaleApplication:
            conflict = True
            messages.error(
                request,
                "The application changed after you opened this page. Check your answers again, "
                "then sign.",
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Application {application.reference} is submitted. We have emailed everyone in "
                "your organization a confirmation.",
            )
            return redirect("certification:application-detail", application.pk)
    return _render(request, application, step, context, status=_status(True, conflict))


@login_required
def evidence_replace(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    """Replace one uploaded file with another, then go back to its step."""
    application = application_get_for_user(user=request.user, pk=pk)
    if not request.user.has_perm("certification.edit_application", application):
        raise Http404("No such file")
    evidence = application.evidence.filter(pk=evidence_pk).first()
    step = wizard.step_for_demonstration(evidence.demonstration) if evidence else None
    if step is None:
        raise Http404("No such file")
    form = ReplaceEvidenceForm(
        request.POST or None, request.FILES or None, initial={"version": application.version}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.evidence_replace(
                    evidence=evidence,
                    actor=request.user,
                    upload=form.cleaned_data["file"],
                    expected_version=form.cleaned_data["version"],
                )
            except StaleApplication as error:
                form.add_error(None, error)
                status = 409
            except ValidationError as error:
                form.add_error("file", error)
                status = 400
            else:
                messages.success(request, f"Replaced “{evidence.original_name}”.")
                return redirect(_step_url(application, step))
        else:
            status = 400
    return render(
        request,
        "certification/wizard/evidence_replace.html",
        {"application": application, "evidence": evidence, "step": step, "form": form},
        status=status,
    )
