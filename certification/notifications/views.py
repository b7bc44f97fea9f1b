"""The person's messages: the in-app side of the notifications written on every workflow move.

Reading a message is a state change, so it happens only on POST: the list's "Open" button marks the
message read and redirects to it (POST, redirect, GET); the message page itself only shows. Arriving
at a message by its address leaves it unread and offers "Mark as read".
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from certification.notifications import services
from certification.notifications.selectors import (
    notification_get_for_user,
    notifications_for_user,
    unread_notification_count,
)

PER_PAGE = 20


def first_paragraph(body: str) -> str:
    """The first paragraph of a message worth showing in the list: the emails open with a greeting
    ("Hello,"), which says nothing about the message, so a one-line paragraph ending in a comma is
    passed over."""
    paragraphs = [p.strip() for p in body.replace("\r\n", "\n").split("\n\n") if p.strip()]
    for paragraph in paragraphs:
        if "\n" in paragraph or not paragraph.endswith(","):
            return paragraph
    return paragraphs[0] if paragraphs else ""


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(notifications_for_user(user=request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "certification/notifications/list.html",
        {
            "page_obj": page,
            "page_range": page.paginator.get_elided_page_range(
                page.number, on_each_side=1, on_ends=1
            ),
            "items": [(n, first_paragraph(n.body)) for n in page],
            "unread_count": unread_notification_count(user=request.user),
        },
    )


@login_required
@require_GET
def notification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notification = notification_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "certification/notifications/detail.html",
        {"notification": notification, "body": notification.body.strip()},
    )


@login_required
@require_POST
def notification_mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a message: mark it read, then show it."""
    notification = notification_get_for_user(user=request.user, pk=pk)
    services.notification_mark_read(notification=notification, actor=request.user)
    return redirect("notifications:detail", pk=notification.pk)


@login_required
@require_POST
def notifications_mark_all_read(request: HttpRequest) -> HttpResponse:
    marked = services.notifications_mark_all_read(actor=request.user)
    if marked:
        messages.success(request, f"{marked} message{'' if marked == 1 else 's'} marked as read.")
    return redirect("notifications:list")
