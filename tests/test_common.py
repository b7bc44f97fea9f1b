"""What the apps share: the settings row's model and admin, and sending a task on commit."""

import pytest
from django.db import transaction
from django.urls import reverse

from certification.models import WorkloadSettings
from common.tasks import enqueue_on_commit

pytestmark = pytest.mark.django_db


def test_a_settings_row_is_added_once_and_never_deleted_in_the_admin(as_staff, cbp_admin):
    admin = as_staff(cbp_admin)
    add = reverse("admin:certification_workloadsettings_add")
    assert admin.get(add).status_code == 200  # no row yet: the admin may create it
    WorkloadSettings.current()
    assert admin.get(add).status_code == 403
    delete = reverse("admin:certification_workloadsettings_delete", args=[1])
    assert admin.get(delete).status_code == 403
    assert WorkloadSettings.objects.count() == 1


def test_a_task_is_sent_only_once_the_transaction_commits(
    owner_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        enqueue_on_commit("certification.tasks.sweep_unsent_notification_emails")
    assert len(callbacks) == 1


def test_a_misspelt_task_name_fails_loudly(django_capture_on_commit_callbacks):
    with (
        pytest.raises(KeyError),
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        enqueue_on_commit("certification.tasks.render_leter", letter_id=1)
