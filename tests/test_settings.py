"""Settings come from the environment; these run Django in a subprocess with a chosen environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from celery.app.defaults import NAMESPACES as CELERY_NAMESPACES
from celery.app.defaults import flatten

BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "x7!k2#p9@m4$q8&w1^z6*r3(t5)y0-u_i=o+e[a]s{d}f|g;h:j'l,c.v/b<n>m?1234",
    "DJANGO_ALLOWED_HOSTS": "rkcp.example.gov",
    "DATABASE_URL": "postgres://rkcp@db.internal:5432/rkcp",
    "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
    "EMAIL_URL": "smtp://mail.internal:25",
    "CACHE_URL": "redis://redis.internal:6379/1",
    # The federal statements' numbers (check --deploy warns without them).
    "RKCP_OMB_CONTROL_NUMBER": "1651-0999",
    "RKCP_OMB_EXPIRATION_DATE": "2099-06-30",
    "RKCP_PRIVACY_ACT_SORN": "DHS/CBP-099 Example Records, 99 FR 12345",
    # Importer numbers' keys (common/sealing.py): Fernet keys, newest first, and the digests' key.
    "RKCP_FIELD_ENCRYPTION_KEYS": "q1hW6pTn8m0cH3v9Xr2yKZb5Ld7Uf4Es1Ga6Jo8Ni0M=",
    "RKCP_BLIND_INDEX_KEY": "a-production-blind-index-key-of-enough-length-0001",
}


def _run(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(
            ("DJANGO_", "DATABASE_URL", "CELERY_", "EMAIL_URL", "CACHE_URL", "AWS_")
        )
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    code = f"import sys; from django.core.management import execute_from_command_line; execute_from_command_line(['manage.py', *{list(args)!r}])"
    return _run(code, env)


def _settings(env: dict[str, str], *names: str) -> dict:
    code = (
        "import json, django; from django.conf import settings as s; "
        f"print(json.dumps({{n: str(getattr(s, n)) for n in {list(names)!r}}}))"
    )
    result = _run(code, env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_with_no_environment_the_service_runs_embedded():
    values = _settings({}, "DEBUG", "DATABASES", "CELERY_TASK_ALWAYS_EAGER", "MAILERS", "STORAGES")
    assert values["DEBUG"] == "True"
    assert "sqlite3" in values["DATABASES"]
    assert values["CELERY_TASK_ALWAYS_EAGER"] == "True"
    assert "django.core.mail.backends.console.EmailBackend" in values["MAILERS"]
    assert "FileSystemStorage" in values["STORAGES"]


def test_service_variables_switch_on_the_real_services():
    values = _settings(
        {
            "DATABASE_URL": "postgres://rkcp:secret@db.internal:5432/rkcp",
            "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
            "EMAIL_URL": "smtp://mail.internal:25",
            "AWS_STORAGE_BUCKET_NAME": "rkcp-private",
        },
        "DATABASES",
        "CELERY_TASK_ALWAYS_EAGER",
        "MAILERS",
        "STORAGES",
    )
    assert "postgresql" in values["DATABASES"] and "db.internal" in values["DATABASES"]
    assert values["CELERY_TASK_ALWAYS_EAGER"] == "False"
    assert "django.core.mail.backends.smtp.EmailBackend" in values["MAILERS"]
    assert "'host': 'mail.internal'" in values["MAILERS"]
    assert "storages.backends.s3.S3Storage" in values["STORAGES"]


def test_production_settings_pass_the_deployment_checklist():
    result = _manage("check", "--deploy", "--fail-level", "DEBUG", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


@pytest.mark.parametrize(
    "name",
    [
        "DJANGO_SECRET_KEY",
        "DATABASE_URL",
        "CACHE_URL",
        "CELERY_BROKER_URL",
        "EMAIL_URL",
        "RKCP_FIELD_ENCRYPTION_KEYS",
        "RKCP_BLIND_INDEX_KEY",
    ],
)
def test_production_refuses_to_start_without_each_real_service_or_key(name):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != name}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert name in result.stderr


def test_production_static_files_collect_with_every_reference_resolved(tmp_path):
    """The manifest storage fails on a stylesheet or script naming a file we did not ship."""
    if not (BASE_DIR / "static" / "vendor" / "uswds").exists():
        pytest.fail("static/vendor is missing: run `make install` (npm run build)")
    env = {**PRODUCTION_ENV, "DJANGO_STATIC_ROOT": str(tmp_path / "static")}
    result = _manage("collectstatic", "--noinput", env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())
    assert "vendor/uswds/css/uswds-rkcp.min.css" in manifest["paths"]
    assert "css/rkcp.css" in manifest["paths"]


def test_a_key_that_is_not_a_fernet_key_is_refused_when_settings_load():
    env = {
        **PRODUCTION_ENV,
        "RKCP_FIELD_ENCRYPTION_KEYS": f"{PRODUCTION_ENV['RKCP_FIELD_ENCRYPTION_KEYS']},oops",
    }
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "key 2 of RKCP_FIELD_ENCRYPTION_KEYS is not a Fernet key" in result.stderr


def test_production_refuses_debug():
    result = _manage("check", env={**PRODUCTION_ENV, "DJANGO_DEBUG": "true"})
    assert result.returncode != 0
    assert "DJANGO_DEBUG" in result.stderr


def test_an_unknown_environment_name_is_refused():
    result = _manage("check", env={"DJANGO_ENV": "prod"})
    assert result.returncode != 0
    assert "DJANGO_ENV" in result.stderr


def test_a_web_process_starts_without_weasyprint():
    # Some 0.7 s and 40 MB a process: only the worker's task and the previews render.
    code = (
        "import sys, django; django.setup(); "
        "from django.core.handlers.wsgi import WSGIHandler; WSGIHandler(); "
        "from django.urls import get_resolver; get_resolver().url_patterns; "
        "print('weasyprint' in sys.modules)"
    )
    result = _run(code, env={})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_a_worker_child_limit_below_one_is_refused_at_start():
    # Celery itself would refuse it only when a worker starts, after the web had started fine.
    result = _manage("check", env={"RKCP_WORKER_MAX_TASKS_PER_CHILD": "0"})
    assert result.returncode != 0
    assert "RKCP_WORKER_MAX_TASKS_PER_CHILD must be at least 1" in result.stderr


def test_every_celery_setting_is_one_celery_knows():
    """A misspelt CELERY_ name would be silently ignored; refuse it here instead."""
    from django.conf import settings

    known = {f"CELERY_{key.upper()}" for key, _ in flatten(CELERY_NAMESPACES)}
    ours = {name for name in dir(settings) if name.startswith("CELERY_")}
    assert ours, "no Celery settings found"
    assert ours <= known, f"unknown Celery settings: {sorted(ours - known)}"


def test_the_sweeps_setting_s_old_name_is_refused_rather_than_ignored():
    result = _manage("check", env={"RKCP_LETTER_SWEEP_SECONDS": "5"})
    assert result.returncode != 0
    assert "RKCP_LETTER_SWEEP_SECONDS is now RKCP_SWEEP_SECONDS" in result.stderr
    assert _settings({"RKCP_SWEEP_SECONDS": "5"}, "SWEEP_SECONDS") == {"SWEEP_SECONDS": "5"}
