"""What makes cached names and roles stale (the queue's list of reviewers, the workspace's parts:
`selectors.queue.PEOPLE`): a person saved (a name, an address, an account switched off) or
removed, a person's groups changed, a group saved or removed. A sign-in saves only its time,
which changes nothing they show. And what makes the cached workload settings stale
(`selectors.queue.WORKLOAD`): an admin saving them."""

from typing import Any

from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from certification.models import WorkloadSettings
from common import cache_versions
from recordkeepers.models import User
from reviews.selectors.queue import PEOPLE, WORKLOAD


@receiver(post_save, sender=User)
@receiver(post_delete, sender=User)
@receiver(post_save, sender=Group)
@receiver(post_delete, sender=Group)
def person_or_group_changed(sender: Any, update_fields: Any = None, **kwargs: Any) -> None:
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    cache_versions.bump(PEOPLE)


@receiver(m2m_changed, sender=User.groups.through)
def groups_changed(sender: Any, action: str, **kwargs: Any) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        cache_versions.bump(PEOPLE)


@receiver(post_save, sender=WorkloadSettings)
@receiver(post_delete, sender=WorkloadSettings)
def workload_settings_changed(sender: Any, **kwargs: Any) -> None:
    cache_versions.bump(WORKLOAD)
