"""The public statements every applicant may read before giving anything: the Privacy Act statement
and the Paperwork Reduction Act statement, linked from the footer and from each form that collects."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def privacy_act_statement(request: HttpRequest) -> HttpResponse:
    return render(request, "certification/statements/privacy_act.html")


def paperwork_reduction_act_statement(request: HttpRequest) -> HttpResponse:
    return render(request, "certification/statements/paperwork_reduction_act.html")
