"""Shared fixtures: personas, service markers, and switches for Celery and caches."""

import os

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection

from config.celery import app as celery_app
from recordkeepers.models import Membership, StaffRole
from tests.factories import MembershipFactory, OrganisationFactory, staff_user

# Playwright's sync API runs an event loop in the test thread; Django must allow its ORM there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytest_plugins = ["tests.browser", "tests.worker"]

REQUIRE_SERVICES = os.environ.get("RKCP_REQUIRE_SERVICES") == "1"


def skip_or_fail(reason: str) -> None:
    """Skip a test whose service is absent, except where every service is required (CI)."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason}, and RKCP_REQUIRE_SERVICES=1 requires it")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _service_markers(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        skip_or_fail("needs PostgreSQL: set DATABASE_URL=postgres://…")
    if request.node.get_closest_marker("redis") and not django_settings.CELERY_BROKER_URL:
        skip_or_fail("needs Redis: set CELERY_BROKER_URL=redis://…")


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, private_storage):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tasks run in the test's own process unless a test asks for the real worker.
    celery_app.conf.task_always_eager = True
    cache.clear()
    yield
    celery_app.conf.task_always_eager = django_settings.CELERY_TASK_ALWAYS_EAGER
    cache.clear()


# --- Personas ------------------------------------------------------------------------------------
@pytest.fixture
def organisation_a(db):
    return OrganisationFactory(legal_name="Acme Imports LLC")


@pytest.fixture
def organisation_b(db):
    return OrganisationFactory(legal_name="Borealis Trading Inc.")


@pytest.fixture
def owner_a(organisation_a):
    return MembershipFactory(
        organisation=organisation_a, role=Membership.Role.OWNER, user__email="owner@acme.example"
    ).user


@pytest.fixture
def member_a(organisation_a):
    return MembershipFactory(organisation=organisation_a, user__email="member@acme.example").user


@pytest.fixture
def owner_b(organisation_b):
    return MembershipFactory(
        organisation=organisation_b,
        role=Membership.Role.OWNER,
        user__email="owner@borealis.example",
    ).user


@pytest.fixture
def reviewer(db):
    return staff_user(StaffRole.REVIEWER, email="reviewer@cbp.example.gov")


@pytest.fixture
def other_reviewer(db):
    return staff_user(StaffRole.REVIEWER, email="reviewer2@cbp.example.gov")


@pytest.fixture
def supervisor(db):
    return staff_user(StaffRole.SUPERVISOR, email="supervisor@cbp.example.gov")


@pytest.fixture
def appeals_official(db):
    return staff_user(StaffRole.APPEALS_OFFICIAL, email="appeals@cbp.example.gov")


@pytest.fixture
def cbp_admin(db):
    return staff_user(StaffRole.ADMIN, email="admin@cbp.example.gov")


@pytest.fixture
def enrol_totp():
    """Give a staff user a TOTP authenticator; returns the secret."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    def enrol(user) -> str:
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
        return secret

    return enrol


@pytest.fixture
def handbook_in_force(db):
    """The default Handbook edition, which a transactional test's flush removes: put back if gone."""
    import importlib

    from django.db.migrations.executor import MigrationExecutor

    from certification.selectors import handbook_edition_in_force

    migration = importlib.import_module("certification.migrations.0002_default_handbook")
    # The migration's own (historical) models: the real ones refuse criteria of a published edition.
    state = MigrationExecutor(connection).loader.project_state()
    migration.create_default_handbook(state.apps, None)
    return handbook_edition_in_force()


@pytest.fixture
def as_staff(client, enrol_totp):
    """Sign a CBP staff member in (with the authenticator staff must have); returns the client."""

    def sign_in(user):
        enrol_totp(user)
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def letter_templates(db):
    """Each kind's letter template in use; version 1 ships in a migration, which a transactional
    test's flush removes, so it is put back (as the service itself would) if gone."""
    from certification.letters.versions import letter_template_in_use
    from certification.models import LetterKind

    return {kind: letter_template_in_use(kind=kind) for kind in LetterKind.values}


@pytest.fixture
def private_storage(settings, tmp_path):
    """Evidence and letters stored under the test's own temporary directory."""
    root = tmp_path / "private-media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root, "base_url": None},
        },
    }
    return root
