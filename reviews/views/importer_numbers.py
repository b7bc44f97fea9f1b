"""The whole importer numbers, for the reviewer or a supervisor to check against CBP's records
(reviews.services.importer_numbers). Asked for by POST, so that no link, prefetch or history
entry opens them, and the look is recorded."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from reviews import services
from reviews.views.access import declared_workspace_application


@login_required
@require_POST
def importer_numbers(request: HttpRequest, pk: int) -> HttpResponse:
    application = declared_workspace_application(request, pk)
    numbers = services.review_show_importer_numbers(application=application, actor=request.user)
    return render(
        request,
        "reviews/importer_numbers.html",
        {"application": application, "numbers": numbers},
    )
