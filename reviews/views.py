from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from recordkeepers.rules import is_cbp_staff


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if not is_cbp_staff(request.user):
        raise PermissionDenied("This page is for CBP staff.")
    return render(request, "reviews/dashboard.html")
