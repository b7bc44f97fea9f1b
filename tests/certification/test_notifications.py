import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse

from certification.context_processors import navigation
from certification.models import Notification
from certification.notifications.selectors import notifications_for_user, unread_notification_count
from certification.notifications.services import notification_mark_read, notifications_mark_all_read
from certification.tasks import send_notification_email
from certification.workflow import application_submit
from tests.factories import draft_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(owner_a, member_a, owner_b, django_capture_on_commit_callbacks):
    """owner_a's application, submitted, with the emails the move scheduled sent."""
    application = draft_application(owner=owner_a)
    with django_capture_on_commit_callbacks(execute=True):
        application_submit(application=application, actor=owner_a)
    return application


@pytest.fixture
def message_a(submitted, owner_a) -> Notification:
    return owner_a.notifications.get()


def many_notifications(application, user, count: int) -> list[Notification]:
    return Notification.objects.bulk_create(
        Notification(
            recipient=user,
            application=application,
            subject=f"Message {number:02d}",
            body=f"Hello,\n\nSummary of message {number:02d}.\n\nMore.",
        )
        for number in range(count)
    )


# --- Writing and sending -------------------------------------------------------------------------
def test_a_move_notifies_every_member_of_the_organisation_and_nobody_else(
    submitted, owner_a, member_a, owner_b
):
    assert owner_a.notifications.count() == 1
    assert member_a.notifications.count() == 1
    assert owner_b.notifications.count() == 0
    notification = owner_a.notifications.get()
    assert notification.application == submitted
    assert notification.event.verb == "application.submitted"
    assert submitted.reference in notification.subject
    assert notification.read_at is None


def test_each_member_is_emailed_once_by_the_task(submitted, owner_a, member_a):
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [owner_a.email, member_a.email]
    )
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_the_email_task_sends_a_notification_only_once(
    owner_a, member_a, django_capture_on_commit_callbacks
):
    application = draft_application(owner=owner_a)
    # The move's own on-commit emails are left out, to run the task by hand.
    with django_capture_on_commit_callbacks(execute=False):
        application_submit(application=application, actor=owner_a)
    notification = owner_a.notifications.get()

    send_notification_email.delay(notification_id=notification.pk)
    send_notification_email.delay(notification_id=notification.pk)  # a redelivered message

    assert [message.to for message in mail.outbox] == [[owner_a.email]]
    assert mail.outbox[0].subject == notification.subject
    notification.refresh_from_db()
    assert notification.emailed_at is not None


# --- Selectors and services ----------------------------------------------------------------------
def test_the_sweep_emails_what_was_not_sent_and_nothing_twice(owner_a, settings):
    """Emails asked for while the broker was down are sent by beat's sweep, once; very old ones,
    and ones just asked for (on their way), are left."""
    from datetime import timedelta

    from django.utils import timezone

    from certification.tasks import sweep_unsent_notification_emails

    application = draft_application(owner=owner_a)
    application_submit(application=application, actor=owner_a)  # its on-commit sends never ran
    unsent = owner_a.notifications.get()
    fresh, stale = many_notifications(application, owner_a, 2)
    now = timezone.now()
    Notification.objects.filter(pk=unsent.pk).update(created_at=now - timedelta(minutes=5))
    Notification.objects.filter(pk=stale.pk).update(created_at=now - timedelta(days=4))

    assert sweep_unsent_notification_emails.delay().get() == 1
    assert [message.subject for message in mail.outbox] == [unsent.subject]
    assert sweep_unsent_notification_emails.delay().get() == 0
    assert len(mail.outbox) == 1
    assert set(Notification.objects.filter(emailed_at=None)) == {fresh, stale}


def test_a_person_reads_only_their_own_notifications_newest_first(submitted, owner_a, owner_b):
    older = owner_a.notifications.get()
    [newer] = many_notifications(submitted, owner_a, 1)
    assert list(notifications_for_user(user=owner_a)) == [newer, older]
    assert list(notifications_for_user(user=owner_b)) == []
    assert unread_notification_count(user=owner_a) == 2
    assert unread_notification_count(user=owner_b) == 0


def test_only_the_recipient_can_mark_a_notification_read(message_a, owner_a, member_a, owner_b):
    for stranger in (member_a, owner_b):
        with pytest.raises(PermissionDenied):
            notification_mark_read(notification=message_a, actor=stranger)
    message_a.refresh_from_db()
    assert message_a.read_at is None

    notification_mark_read(notification=message_a, actor=owner_a)
    first_read = Notification.objects.get(pk=message_a.pk).read_at
    assert first_read is not None
    # Opening it again keeps the moment it was first read, even from a stale copy.
    stale = Notification.objects.get(pk=message_a.pk)
    stale.read_at = None
    assert notification_mark_read(notification=stale, actor=owner_a).read_at == first_read
    assert Notification.objects.get(pk=message_a.pk).read_at == first_read


def test_marking_all_read_touches_only_the_actors_unread_notifications(
    submitted, owner_a, member_a
):
    many_notifications(submitted, owner_a, 2)
    assert notifications_mark_all_read(actor=owner_a) == 3
    assert unread_notification_count(user=owner_a) == 0
    assert unread_notification_count(user=member_a) == 1
    assert notifications_mark_all_read(actor=owner_a) == 0


# --- The pages -----------------------------------------------------------------------------------
def test_the_list_shows_the_persons_messages(client, submitted, message_a, owner_a):
    client.force_login(owner_a)
    response = client.get(reverse("notifications:list"))

    assert response.status_code == 200
    assert message_a.subject in response.text
    # The first paragraph after the greeting.
    assert f"Application submitted: application {submitted.reference} from" in response.text
    assert "Hello," not in response.text
    assert "Unread" in response.text
    assert reverse("certification:application-detail", args=[submitted.reference]) in response.text
    assert reverse("notifications:mark-read", args=[message_a.pk]) in response.text
    assert "Mark all as read" in response.text


def test_another_persons_message_is_not_found(client, message_a, owner_b, member_a):
    for stranger in (owner_b, member_a):
        client.force_login(stranger)
        assert client.get(reverse("notifications:detail", args=[message_a.pk])).status_code == 404
        response = client.post(reverse("notifications:mark-read", args=[message_a.pk]))
        assert response.status_code == 404
        listed = client.get(reverse("notifications:list")).text
        assert reverse("notifications:mark-read", args=[message_a.pk]) not in listed
    message_a.refresh_from_db()
    assert message_a.read_at is None


def test_showing_a_message_does_not_mark_it_read_but_opening_it_does(client, message_a, owner_a):
    client.force_login(owner_a)
    detail = reverse("notifications:detail", args=[message_a.pk])

    response = client.get(detail)
    assert response.status_code == 200
    assert "CBP has received the application." in response.text
    assert "Mark as read" in response.text
    message_a.refresh_from_db()
    assert message_a.read_at is None

    response = client.post(reverse("notifications:mark-read", args=[message_a.pk]))
    assert response.status_code == 302
    assert response.url == detail
    message_a.refresh_from_db()
    assert message_a.read_at is not None
    assert "Mark as read" not in client.get(detail).text


def test_state_changes_are_post_only(client, message_a, owner_a):
    client.force_login(owner_a)
    assert client.get(reverse("notifications:mark-read", args=[message_a.pk])).status_code == 405
    assert client.get(reverse("notifications:mark-all-read")).status_code == 405
    assert client.post(reverse("notifications:list")).status_code == 405
    message_a.refresh_from_db()
    assert message_a.read_at is None


def test_mark_all_as_read_from_the_list(client, submitted, owner_a, member_a):
    client.force_login(owner_a)
    response = client.post(reverse("notifications:mark-all-read"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("notifications:list")
    assert "1 message marked as read." in response.text
    assert "Mark all as read" not in response.text
    assert unread_notification_count(user=owner_a) == 0
    assert unread_notification_count(user=member_a) == 1


def test_the_list_is_paginated_twenty_a_page(client, submitted, owner_a):
    many_notifications(submitted, owner_a, 24)  # with the submission's: 25
    client.force_login(owner_a)

    first = client.get(reverse("notifications:list"))
    second = client.get(reverse("notifications:list"), {"page": 2})

    assert len(first.context["items"]) == 20
    assert len(second.context["items"]) == 5
    assert 'class="usa-pagination"' in first.text
    assert 'aria-current="page">1<' in first.text
    assert "?page=2" in first.text
    shown = {n.pk for n, _ in first.context["items"]} | {n.pk for n, _ in second.context["items"]}
    assert len(shown) == 25
    assert client.get(reverse("notifications:list"), {"page": "x"}).status_code == 200


def test_anonymous_visitors_are_asked_to_sign_in(client, message_a):
    response = client.get(reverse("notifications:detail", args=[message_a.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


# --- The header ----------------------------------------------------------------------------------
def test_the_header_shows_the_unread_count_to_recordkeepers(client, submitted, owner_a):
    many_notifications(submitted, owner_a, 1)
    client.force_login(owner_a)
    response = client.get(reverse("dashboard"))
    assert reverse("notifications:list") in response.text
    assert "2 unread</span>" in response.text

    notifications_mark_all_read(actor=owner_a)
    response = client.get(reverse("dashboard"))
    assert reverse("notifications:list") in response.text
    assert "unread</span>" not in response.text


def test_the_unread_count_is_one_query_only_when_used(owner_a, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = owner_a
    context = navigation(request)
    with django_assert_num_queries(1):
        assert context["unread_messages"]() == 0
        assert context["unread_messages"]() == 0


def test_staff_have_a_messages_link_for_their_own_work(client, reviewer, enrol_totp):
    # Staff are told of assignments, answers and sign-offs (tests/certification/
    # test_staff_notifications.py), so their header shows their messages as applicants' does.
    enrol_totp(reviewer)
    client.force_login(reviewer)
    response = client.get(reverse("reviews:dashboard"))
    assert response.status_code == 200
    assert reverse("notifications:list") in response.text
    assert "unread_messages" in response.context


def test_message_text_is_shown_escaped(client, submitted, owner_a):
    [notification] = Notification.objects.bulk_create(
        [
            Notification(
                recipient=owner_a,
                application=submitted,
                subject="<b>Subject</b>",
                body="Hello,\n\n<script>alert(1)</script> from Acme\n\nhttps://rkcp.example.gov/x",
            )
        ]
    )
    client.force_login(owner_a)
    for url in (
        reverse("notifications:list"),
        reverse("notifications:detail", args=[notification.pk]),
    ):
        text = client.get(url).text
        assert "<script>alert(1)</script>" not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt; from Acme" in text
        assert "<b>Subject</b>" not in text
    detail = client.get(reverse("notifications:detail", args=[notification.pk])).text
    assert 'href="https://rkcp.example.gov/x"' in detail
