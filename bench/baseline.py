"""The baseline a step save is measured against: the smallest honest POST on the same stack.

One model form with one field, behind the same login and middleware as the wizard (sessions,
messages, CSRF, the staff second-factor check): load the row, validate, save, redirect. Whatever
the wizard costs beyond this is the wizard's own work. Used only by `bench.step_save`, through this
module's `urlpatterns`; it is not routed in the service.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import include, path
from django.views.decorators.http import require_POST

from recordkeepers.models import Organisation


class LegalNameForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["legal_name"]


@login_required
@require_POST
def legal_name_save(request: HttpRequest, pk: int) -> HttpResponse:
    # Scoped to the person's own organisation in the same query, as a selector would be.
    organisation = get_object_or_404(Organisation, pk=pk, memberships__user=request.user)
    form = LegalNameForm(request.POST, instance=organisation)
    if not form.is_valid():
        return HttpResponse(status=400)
    form.save()
    return redirect("bench-baseline", organisation.pk)


urlpatterns = [
    path("bench/baseline/<int:pk>", legal_name_save, name="bench-baseline"),
    path("", include("config.urls")),
]
