"""The oracle's data, built once for the module in a transaction rolled back at its end: each
test runs inside it, in a savepoint of its own."""

import pytest
from django.db import transaction
from django.test import override_settings

from tests.access_oracle.world import build_world


def _storages(settings, root) -> dict:
    return {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root, "base_url": None},
        },
    }


@pytest.fixture(scope="module")
def oracle_storage(tmp_path_factory):
    return tmp_path_factory.mktemp("oracle-private-media")


@pytest.fixture
def private_storage(settings, oracle_storage):
    """The files the world stored, for every test of the module (the shared fixture gives each
    test an empty directory of its own)."""
    settings.STORAGES = _storages(settings, oracle_storage)
    return oracle_storage


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, oracle_storage):
    from django.conf import settings

    from config.celery import app as celery_app

    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(
                STORAGES=_storages(settings, oracle_storage),
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            ):
                built = build_world()
            yield built
        finally:
            celery_app.conf.task_always_eager = eager
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
