"""Replacing one of a draft's evidence files with another, from its wizard step."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from certification.evidence import services
from certification.evidence.forms import ReplaceEvidenceForm
from certification.responses import call_service
from certification.selectors import application_get_for_user
from certification.wizard import steps as wizard
from certification.wizard.navigation import step_url
from recordkeepers.rules import may


@login_required
def evidence_replace(request: HttpRequest, pk: str, evidence_pk: int) -> HttpResponse:
    """Replace one uploaded file with another, then go back to its step."""
    application = application_get_for_user(user=request.user, pk=pk)
    if not may(request.user, "certification.edit_application", application):
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
        status = call_service(
            form,
            lambda data: services.evidence_replace(
                evidence=evidence,
                actor=request.user,
                upload=data["file"],
                expected_version=data["version"],
            ),
            unkeyed_to="file",
        )
        if status is None:
            messages.success(request, f"Replaced “{evidence.original_name}”.")
            return redirect(step_url(application, step))
    return render(
        request,
        "certification/wizard/evidence_replace.html",
        {"application": application, "evidence": evidence, "step": step, "form": form},
        status=status,
    )
