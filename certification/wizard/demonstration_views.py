"""The demonstration steps: each step's answers, its evidence files and, for (iv), the designated
individuals."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect

from certification.completeness import BACKUP_INDIVIDUAL
from certification.errors import StaleApplication
from certification.evidence import services as evidence_services
from certification.models import Application, DemonstrationResponse
from certification.selectors import handbook_edition_in_force
from certification.services import drafts as services
from certification.wizard import steps as wizard
from certification.wizard.forms import DemonstrationForm, DesignatedIndividualFormSet
from certification.wizard.navigation import (
    after_save,
    exit_with_unsaved,
    leaving,
    refresh_version,
    render_step,
    report_conflict,
    response_status,
    returning_to_check,
    step_url,
)
from recordkeepers.sizing import organisation_size_class, size_class_sentence


def _store_evidence(request, application, step, form) -> bool:
    """Store each new file, remove one if asked. Returns whether the version went stale."""
    for upload in form.cleaned_data.get("evidence") or []:
        try:
            evidence_services.evidence_add(
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
                evidence_services.evidence_remove(
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


def demonstration_step(request, application: Application, step: wizard.Step) -> HttpResponse:
    response = _response(application, step)
    form = _bind(step, request, response, application)
    if request.method != "POST":
        return render_step(
            request, application, step, _demonstration_context(application, step, form)
        )
    valid = form.is_valid()
    try:
        conflict = _save_demonstration(request, application, step, form, response)
    except ValidationError as error:
        return HttpResponse(error.messages[0], status=400)
    if conflict:
        report_conflict(request, application, step)
    elif valid and not form.errors and not request.POST.get("remove_evidence"):
        return after_save(request, application, step)
    elif leaving(request):
        return exit_with_unsaved(request, application, form)
    else:
        refresh_version(form, application)
    return render_step(
        request,
        application,
        step,
        _demonstration_context(application, step, form),
        status=response_status(bool(form.errors), conflict),
    )


def _backup_expected(application: Application) -> bool:
    """Whether the business's size calls for a backup designated individual not yet named: what
    completeness says this step still lacks, said on the step itself."""
    return BACKUP_INDIVIDUAL in wizard.missing_items(application).get(wizard.INDIVIDUALS, [])


def _individuals_context(application, step, form, formset) -> dict:
    size = organisation_size_class(application.organisation)
    return _demonstration_context(
        application,
        step,
        form,
        formset=formset,
        size_sentence=size_class_sentence(size) if size else "",
        backup_expected=_backup_expected(application),
    )


def individuals_step(request, application: Application, step: wizard.Step) -> HttpResponse:
    response = _response(application, step)
    form = _bind(step, request, response, application)
    queryset = application.designated_individuals.all()
    if request.method != "POST":
        formset = DesignatedIndividualFormSet(queryset=queryset, prefix="individuals")
        return render_step(
            request,
            application,
            step,
            _individuals_context(application, step, form, formset),
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
        report_conflict(request, application, step)
    elif valid and formset_ok and not form.errors and not request.POST.get("remove_evidence"):
        if request.POST.get("action") == "add":
            again = "?return_to=check" if returning_to_check(request) else ""
            return redirect(step_url(application, step) + again + "#individual-new")
        if _backup_expected(application) and request.POST.get("action") != "autosave":
            messages.warning(
                request,
                "Saved. Still needed on “Designated individuals”: a backup designated individual, "
                "which CBP expects of medium and large importers.",
            )
        return after_save(request, application, step)
    elif leaving(request):
        return exit_with_unsaved(request, application, form, formset)
    else:
        refresh_version(form, application)
        if formset_ok:
            # Saved: show the rows as stored, with a fresh blank row to add another.
            formset = DesignatedIndividualFormSet(
                queryset=application.designated_individuals.all(), prefix="individuals"
            )
    has_errors = bool(form.errors) or not formset_ok
    return render_step(
        request,
        application,
        step,
        _demonstration_context(application, step, form, formset=formset),
        status=response_status(has_errors, conflict),
    )
