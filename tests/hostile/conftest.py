"""The hostile corpus's shared records: built once a module, rolled back after it."""

import pytest

from tests.hostile.world import module_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    yield from module_world(django_db_blocker)


@pytest.fixture
def sign_in(client, world, db):
    """The test client signed in as one of the world's personas (staff have their authenticator)."""

    def as_persona(persona: str):
        client.logout()
        client.force_login(world.user(persona))
        return client

    return as_persona
