"""What every wizard page shares: where a save leads, how a step is rendered, and the status that
tells a person's browser (and tests) what happened."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from certification.models import Application
from certification.wizard import steps as wizard
from common.form_messages import summary_items

CONTINUE, EXIT, AUTOSAVE = "continue", "exit", "autosave"
# A step opened by "Change" on check your answers carries this, and its save leads back there.
RETURN_TO = "return_to"
RETURN_TO_CHECK = "check"


def returning_to_check(request: HttpRequest) -> bool:
    return (request.POST if request.method == "POST" else request.GET).get(
        RETURN_TO
    ) == RETURN_TO_CHECK


def step_url(application: Application, step: wizard.Step) -> str:
    return reverse("certification:wizard-step", args=[application.url_key, step.slug])


def after_save(request: HttpRequest, application: Application, step: wizard.Step):
    """Where "Save and continue" and "Save and exit" lead."""
    if request.POST.get("action") == AUTOSAVE:
        messages.info(
            request,
            "We saved your answers because you had not done anything for a while. Carry on here.",
        )
        return redirect(step_url(application, step))
    if request.POST.get("action") == EXIT:
        messages.success(
            request,
            "Your answers are saved. You or a colleague can carry on from your dashboard at any time.",
        )
        return redirect("certification:application-detail", application.url_key)
    if returning_to_check(request):
        return redirect(step_url(application, wizard.STEPS_BY_SLUG[wizard.CHECK]))
    following = wizard.next_step(application, step)
    return redirect(step_url(application, following or step))


def leaving(request: HttpRequest) -> bool:
    return request.POST.get("action") == EXIT


def exit_with_unsaved(request: HttpRequest, application: Application, *forms) -> HttpResponse:
    """ "Save and exit" on a page with mistakes: what was valid is already saved; leave anyway, and
    say which answers were not kept and why, so nothing is lost without the person knowing."""
    unsaved = "; ".join(item.message.rstrip(".") for item in summary_items(*forms))
    messages.warning(
        request,
        f"We saved your other answers. These were not saved because they need fixing: {unsaved}.",
    )
    return redirect("certification:application-detail", application.url_key)


def render_step(request, application, step, context: dict, *, status: int = 200) -> HttpResponse:
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
            "returning": returning_to_check(request)
            and step.slug not in {wizard.CHECK, wizard.SUBMIT},
            **context,
        },
        status=status,
    )


def response_status(form_has_errors: bool, conflict: bool) -> int:
    return 409 if conflict else 400 if form_has_errors else 200


def refresh_version(form, application: Application) -> None:
    """After a partial save the page is shown again: it must carry the version it now stands at."""
    form.data = form.data.copy()
    form.data[form.add_prefix("version")] = str(application.version)


def report_conflict(request, application: Application, step: wizard.Step) -> None:
    messages.error(
        request,
        "Your changes on this page were not saved: someone else (a colleague, or you in another "
        "tab) saved this application after you opened the page. Copy anything you want to keep, "
        "then open the step again to see the latest answers.",
    )
