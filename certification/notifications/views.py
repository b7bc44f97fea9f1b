"""The person's messages: the in-app side of the notifications written on every workflow move.

Reading a message is a state change, so it happens only on POST: the list's "Open" button marks the
message read and redirects to it (POST, redirect, GET); the message page itself only shows. Arriving
at a message by its address leaves it unread and offers "Mark as read".
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from certification.events import StaffTopic
from certification.notifications import services
from certification.notifications.selectors import (
    notification_get_for_user,
    notifications_for_user,
    staff_email_topics,
    unread_notification_count,
)
from certification.responses import call_service
from recordkeepers.rules import is_cbp_staff

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


class StaffEmailChoicesForm(forms.Form):
    topics = forms.MultipleChoiceField(
        label="Email me when",
        help_text="Every message stays on this page whichever you choose.",
        choices=StaffTopic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


@login_required
def email_choices(request: HttpRequest) -> HttpResponse:
    """A staff member chooses which messages they also get by email."""
    if not is_cbp_staff(request.user):
        raise Http404("No such page")
    form = StaffEmailChoicesForm(
        request.POST or None,
        initial={"topics": sorted(staff_email_topics(user=request.user))},
    )
    status = None
    if request.method == "POST":
        status = call_service(
            form,
            lambda data: services.staff_email_choices_save(
                actor=request.user, topics=set(data["topics"])
            ),
        )
        if status is None:
            messages.success(request, "Your email choices are saved.")
            return redirect("notifications:list")
    return render(
        request,
        "certification/notifications/email_choices.html",
        {"form": form},
        status=status or 200,
    )
