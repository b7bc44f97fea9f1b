"""The container stack (docker-compose.yml and the Dockerfile) names only things that exist.

No Docker is needed: the files are read, and every command, module, health check and variable they
name is checked against the project itself, using the same parsers the programs use (celery's and
gunicorn's command lines, Django's management commands). A renamed module, a misspelt option or
variable, or a process left without a health check fails here rather than on a deploy.
"""

import json
import os
import re
import shlex
import subprocess
import sys
from fnmatch import fnmatch
from pathlib import Path
from urllib.parse import urlsplit

import click
import pytest
import yaml
from celery.app.utils import find_app
from celery.beat import NODENAME_DEFAULT as BEAT_NODENAME
from celery.bin.base import CLIContext
from celery.bin.celery import celery as celery_cli
from django.core.management import get_commands, load_command_class
from django.core.management.base import CommandError
from django.urls import Resolver404, resolve
from gunicorn.config import Config as GunicornConfig
from gunicorn.util import import_app
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
SETTINGS_FILE = ROOT / "config" / "settings.py"
OPERATIONS_GUIDE = ROOT / "docs" / "operations.md"
PYPROJECT = ROOT / "pyproject.toml"

REQUIRED_SERVICES = {"web", "worker", "beat", "postgres", "redis"}
MAIL_CATCHER_IMAGES = ("axllent/mailpit", "mailhog/mailhog")
# Variables an application service may set although settings.py does not read them, because another
# program in the container does. Anything else it sets must be read by settings.py.
READ_BY_OTHER_PROGRAMS = {
    "AWS_ACCESS_KEY_ID": "boto3, for django-storages' S3 backend",
    "AWS_SECRET_ACCESS_KEY": "boto3, for django-storages' S3 backend",
    "WEB_CONCURRENCY": "gunicorn's worker count",
}


# --- Reading the files ----------------------------------------------------------------------------
def _compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


def _services() -> dict[str, dict]:
    return _compose()["services"]


def _interpolate(value: str) -> str:
    """Compose's variable substitution, with no variables set: defaults apply, required ones are
    replaced by a placeholder, and `$$` is a literal `$`."""

    def substitute(match: re.Match) -> str:
        if match.group(0) == "$$":
            return "$"
        name, operator, argument = match.group("name"), match.group("op"), match.group("arg")
        if operator in (":-", "-"):
            return argument
        if operator in (":?", "?"):
            return f"set-{name.lower()}"
        return ""

    pattern = r"\$\$|\$\{(?P<name>\w+)(?:(?P<op>:-|-|:\?|\?)(?P<arg>[^}]*))?\}"
    return re.sub(pattern, substitute, value)


def _environment(service: dict) -> dict[str, str]:
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    return {name: _interpolate(str(value)) for name, value in environment.items()}


def _app_services() -> dict[str, dict]:
    """Services that run the application image, built from this repository."""
    return {name: service for name, service in _services().items() if "build" in service}


def _one_shot_services() -> set[str]:
    """Services that others wait to see finish, rather than to see healthy."""
    return {
        dependency
        for service in _services().values()
        if isinstance(service.get("depends_on"), dict)
        for dependency, condition in service["depends_on"].items()
        if condition.get("condition") == "service_completed_successfully"
    }


def _long_running_services() -> dict[str, dict]:
    one_shot = _one_shot_services()
    return {name: service for name, service in _services().items() if name not in one_shot}


def _dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined and comments dropped."""
    instructions, pending = [], ""
    for line in DOCKERFILE.read_text().splitlines():
        if line.lstrip().startswith("#"):
            continue
        pending += line.rstrip()
        if pending.endswith("\\"):
            pending = pending[:-1] + " "
            continue
        if pending.strip():
            keyword, _, arguments = pending.strip().partition(" ")
            instructions.append((keyword.upper(), arguments.strip()))
        pending = ""
    return instructions


def _dockerfile(keyword: str) -> list[str]:
    return [arguments for name, arguments in _dockerfile_instructions() if name == keyword]


def _image_command() -> list[str]:
    (command,) = _dockerfile("CMD")
    return json.loads(command)


def _image_health_check() -> list[str]:
    (health_check,) = _dockerfile("HEALTHCHECK")
    return json.loads(health_check[health_check.index(" CMD ") + len(" CMD ") :])


def _command(service: dict) -> list[str] | None:
    """The command a service runs: its own, or the image's for a built service without one."""
    command = service.get("command")
    if command is None:
        return _image_command() if "build" in service else None
    if isinstance(command, str):
        return shlex.split(_interpolate(command))
    return [_interpolate(str(part)) for part in command]


def _health_check_command(health_check: dict) -> list[str]:
    test = health_check["test"]
    if isinstance(test, str):
        return shlex.split(_interpolate(test))
    kind, *rest = test
    if kind == "CMD-SHELL":
        return shlex.split(_interpolate(" ".join(rest)))
    return [_interpolate(str(part)) for part in rest]


def _health_check_disabled(health_check: dict | None) -> bool:
    return not health_check or health_check.get("disable") or health_check.get("test") == ["NONE"]


def _settings_variables() -> set[str]:
    """Names of the environment variables settings.py reads through django-environ."""
    text = SETTINGS_FILE.read_text()
    names = set(re.findall(r"\benv(?:\.\w+)?\(\s*[\"']([A-Z][A-Z0-9_]*)[\"']", text))
    assert "DATABASE_URL" in names, "the pattern for reading settings.py no longer matches it"
    return names


# --- Checking a command against the project -------------------------------------------------------
def _parse_celery(argv: list[str]) -> tuple[str, dict]:
    """Parse `celery -A <app> <command> [options]` with celery's own command line; return the
    command and its options. Raises AssertionError saying what is wrong."""
    assert len(argv) >= 4 and argv[1] in ("-A", "--app"), (
        f"write celery commands as `celery -A <app> <command> ...`, not {shlex.join(argv)!r}"
    )
    app_name, name, arguments = argv[2], argv[3], argv[4:]
    try:
        app = find_app(app_name)
    except (ImportError, AttributeError) as error:
        raise AssertionError(f"celery -A {app_name}: no Celery app there ({error})") from error
    parent = click.Context(
        celery_cli, info_name="celery", obj=CLIContext(app=app, no_color=True, workdir=None)
    )
    command = celery_cli.get_command(parent, name)
    assert command is not None, f"celery has no command {name!r}"
    try:
        context = command.make_context(name, list(arguments), parent=parent)
    except click.ClickException as error:
        raise AssertionError(f"celery {name}: {error.format_message()}") from error
    return name, context.params


def _parse_gunicorn(argv: list[str]):
    parser = GunicornConfig(usage="gunicorn [OPTIONS] APP_MODULE", prog="gunicorn").parser()
    try:
        options = parser.parse_args(argv[1:])
    except SystemExit as error:
        raise AssertionError(f"gunicorn does not accept {shlex.join(argv[1:])!r}") from error
    assert len(options.args) == 1, f"gunicorn needs one module:attribute, got {options.args}"
    return options


def _problems_with_command(argv: list[str]) -> list[str]:
    program = argv[0]
    try:
        if program == "celery":
            _parse_celery(argv)
        elif program == "gunicorn":
            options = _parse_gunicorn(argv)
            try:
                application = import_app(options.args[0])
            except Exception as error:  # gunicorn would fail to start just the same
                return [f"gunicorn {options.args[0]}: {type(error).__name__}: {error}"]
            if not callable(application):
                return [f"gunicorn {options.args[0]} is not a WSGI callable"]
        elif program == "python" and argv[1:2] == ["manage.py"]:
            assert (ROOT / "manage.py").is_file(), "there is no manage.py"
            name, arguments = argv[2], argv[3:]
            commands = get_commands()
            assert name in commands, f"manage.py has no command {name!r}"
            parser = load_command_class(commands[name], name).create_parser("manage.py", name)
            try:
                parser.parse_args(arguments)
            except CommandError as error:
                return [f"manage.py {name}: {error}"]
        else:
            return [f"no check knows the program {program!r}; teach this test about it"]
    except AssertionError as error:
        return [str(error)]
    return []


# --- The tests ------------------------------------------------------------------------------------
def test_every_built_service_uses_the_dockerfile_in_the_repository():
    built = _app_services()
    assert built, "no service builds the application image"
    for name, service in built.items():
        build = service["build"]
        if isinstance(build, str):
            build = {"context": build}
        context = (COMPOSE_FILE.parent / build.get("context", ".")).resolve()
        dockerfile = context / build.get("dockerfile", "Dockerfile")
        assert context == ROOT, f"{name} builds from {context}, not the repository"
        assert dockerfile == DOCKERFILE and DOCKERFILE.is_file(), f"{name} builds {dockerfile}"


def test_every_file_the_dockerfile_copies_is_in_the_build_context():
    ignored = [
        line.strip().rstrip("/")
        for line in DOCKERIGNORE.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    problems = []
    for arguments in _dockerfile("COPY"):
        if "--from=" in arguments:
            continue  # copies from another build stage, not from the context
        parts = [part for part in arguments.split() if not part.startswith("--")]
        for source in parts[:-1]:
            if not (ROOT / source).exists():
                problems.append(f"COPY {source}: no such file in the repository")
            prefixes = [
                str(Path(*Path(source).parts[:n])) for n in range(1, len(Path(source).parts) + 1)
            ]
            if source != "." and any(fnmatch(p, pattern) for p in prefixes for pattern in ignored):
                problems.append(f"COPY {source}: excluded by .dockerignore")
    assert problems == []


def test_image_python_is_the_version_the_project_requires():
    runtime_stage = [image for image in _dockerfile("FROM") if image.startswith("python:")]
    assert runtime_stage, "the image is not built on an official python image"
    version = re.match(r"python:(\d+\.\d+)", runtime_stage[-1]).group(1)
    requires = re.search(r'requires-python\s*=\s*"([^"]+)"', PYPROJECT.read_text()).group(1)
    assert SpecifierSet(requires).contains(f"{version}.0"), (version, requires)


def test_image_runs_as_a_non_root_user():
    users = _dockerfile("USER")
    assert users, "the image runs as root"
    assert users[-1].split(":")[0] not in ("root", "0")


def test_build_gives_collectstatic_every_variable_production_settings_require():
    """The image collects static files with DJANGO_ENV=production; settings that come to require
    another variable in production would break the build, so try it with the same environment."""
    environment = {"PATH": os.environ["PATH"]}
    for arguments in _dockerfile("ENV"):
        environment |= dict(token.split("=", 1) for token in shlex.split(arguments))
    (step,) = [arguments for arguments in _dockerfile("RUN") if "collectstatic" in arguments]
    tokens = shlex.split(step)
    while "=" in tokens[0] and tokens[0].split("=", 1)[0].isidentifier():
        name, value = tokens.pop(0).split("=", 1)
        environment[name] = value
    command = tokens[: tokens.index("&&")] if "&&" in tokens else tokens
    assert command[:3] == ["python", "manage.py", "collectstatic"], command
    result = subprocess.run(
        [sys.executable, *command[1:], "--dry-run"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert environment.get("DJANGO_ENV") == "production"
    assert result.returncode == 0, result.stderr[-2000:]


# Importing the WSGI application loads WhiteNoise, which warns that static files are not collected.
@pytest.mark.filterwarnings("ignore:No directory at:UserWarning")
def test_every_service_command_refers_to_something_in_the_project():
    problems = {
        name: _problems_with_command(command)
        for name, service in _services().items()
        if (command := _command(service)) is not None
    }
    problems["Dockerfile CMD"] = _problems_with_command(_image_command())
    assert {name: found for name, found in problems.items() if found} == {}


def test_stack_has_web_worker_beat_database_broker_and_mail_catcher():
    services = _services()
    assert services.keys() >= REQUIRED_SERVICES, REQUIRED_SERVICES - services.keys()
    assert _command(services["web"])[0] == "gunicorn"
    assert _parse_celery(_command(services["worker"]))[0] == "worker"
    assert _parse_celery(_command(services["beat"]))[0] == "beat"
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    catchers = [
        n for n, s in services.items() if s.get("image", "").startswith(MAIL_CATCHER_IMAGES)
    ]
    assert catchers, "no mail catcher in the stack"


def test_every_long_running_service_has_a_health_check():
    unchecked = [
        name
        for name, service in _long_running_services().items()
        if _health_check_disabled(service.get("healthcheck"))
    ]
    assert unchecked == []


def test_web_health_checks_ask_the_health_endpoint_on_the_port_gunicorn_binds():
    probes = {"Dockerfile HEALTHCHECK": (_image_health_check(), _image_command())}
    for name, service in _long_running_services().items():
        command = _command(service)
        if command and command[0] == "gunicorn":
            probes[name] = (_health_check_command(service["healthcheck"]), command)
    for name, (probe, command) in probes.items():
        bound_ports = {bind.rsplit(":", 1)[1] for bind in _parse_gunicorn(command).bind}
        assert probe[:2] == ["python", "-c"], f"{name}: probe with python, the image has no curl"
        compile(probe[2], name, "exec")  # a syntax error would mark the service unhealthy forever
        (url,) = re.findall(r"http://[^'\"]+", probe[2])
        address = urlsplit(url)
        assert str(address.port) in bound_ports, (
            f"{name} probes {url}; gunicorn binds {bound_ports}"
        )
        try:
            assert resolve(address.path).url_name == "healthz", f"{name} probes {address.path}"
        except Resolver404 as error:
            raise AssertionError(f"{name} probes {address.path}, which is not a URL") from error


def test_celery_health_checks_ping_the_node_their_own_service_runs():
    checked = 0
    for name, service in _long_running_services().items():
        command = _command(service)
        if not command or command[0] != "celery":
            continue
        role, options = _parse_celery(command)
        probe_command, probe = _parse_celery(_health_check_command(service["healthcheck"]))
        assert (probe_command, probe["command"]) == ("inspect", "ping"), name
        (destination,) = probe["destination"]
        node_name, _, host = destination.partition("@")
        assert host == "$HOSTNAME", f"{name} pings {destination}, not its own container"
        if role == "worker":
            expected = options["hostname"].partition("@")[0]
        else:
            assert role == "beat", f"{name}: no health check is known for celery {role}"
            # Beat answers pings only with remote control on.
            assert options["remote_control"], f"{name}: beat needs --enable-remote-control"
            expected = (options["hostname"] or BEAT_NODENAME).partition("@")[0]
        assert node_name == expected, f"{name} pings {node_name!r}, but runs as {expected!r}"
        checked += 1
    assert checked >= 2, "expected health checks on the worker and beat"


def test_app_services_set_only_variables_that_settings_reads():
    known = _settings_variables() | READ_BY_OTHER_PROGRAMS.keys()
    unknown = {
        name: sorted(_environment(service).keys() - known)
        for name, service in _app_services().items()
    }
    assert {name: names for name, names in unknown.items() if names} == {}


def test_app_services_connect_to_services_in_the_stack_and_wait_for_them():
    services = _services()
    for name, service in _app_services().items():
        environment = _environment(service)
        backends = {}
        for variable in ("DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL", "EMAIL_URL"):
            assert variable in environment, f"{name} does not set {variable}"
            host = urlsplit(environment[variable]).hostname
            assert host in services, f"{name}: {variable} names {host!r}, not a service"
            backends[variable] = host
        database = urlsplit(environment["DATABASE_URL"])
        postgres = _environment(services[backends["DATABASE_URL"]])
        assert (database.username, database.password, database.path.lstrip("/")) == (
            postgres["POSTGRES_USER"],
            postgres["POSTGRES_PASSWORD"],
            postgres["POSTGRES_DB"],
        ), f"{name}: DATABASE_URL does not match the postgres service's credentials"
        if name in _long_running_services():
            waits_for = set(service.get("depends_on") or ())
            assert set(backends.values()) <= waits_for, f"{name} does not wait for its services"


def test_app_processes_start_only_after_migrations_succeed():
    services = _services()
    migrations = [
        name
        for name, service in _app_services().items()
        if _command(service)[:3] == ["python", "manage.py", "migrate"]
    ]
    assert len(migrations) == 1, "expected one service that applies migrations"
    (migrate,) = migrations
    assert services[migrate]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in _app_services().keys() - {migrate}:
        condition = services[name]["depends_on"][migrate]["condition"]
        assert condition == "service_completed_successfully", name


@pytest.mark.parametrize("variable", sorted(_settings_variables()))
def test_operations_guide_documents_every_variable_settings_reads(variable):
    assert f"`{variable}`" in OPERATIONS_GUIDE.read_text()
