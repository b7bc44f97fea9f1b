"""Every route of the project, asked by every persona about objects of their own organisation,
of another, and ids that do not exist, by GET and by POST; each answer held to the oracle
(`oracle.py`, `expectations.py`). Nobody gets a server error, and "not yours" reads exactly as "not
there"."""

import re
from urllib.parse import quote, urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.access_oracle.expectations import TABLE
from tests.access_oracle.oracle import ADMIN_LOGIN, METHOD, MFA, NOT_FOUND, OK, REFUSED, SIGN_IN
from tests.access_oracle.world import (
    CONFLICTED,
    PERSONAS,
    RECORDKEEPER_ROLES,
    missing_subject,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _patterns(resolver=None, prefix="", namespace=None):
    """(key, route, full name, pattern) for every pattern, through every include."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _patterns(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield (name or route), route, name, pattern


PATTERNS = list(_patterns())


def test_every_pattern_has_an_entry_and_every_entry_a_pattern():
    keys = {key for key, *_ in PATTERNS}
    unlisted = [f"{key} ({route})" for key, route, *_ in PATTERNS if key not in TABLE]
    assert not unlisted, "Routes with no expectation: say who may use them: " + "; ".join(unlisted)
    assert not set(TABLE) - keys, f"Expectations for no route: {sorted(set(TABLE) - keys)}"


def _params(pattern: URLPattern) -> set[str]:
    inner = pattern.pattern
    return set(getattr(inner, "converters", {})) | set(inner.regex.groupindex)


def _url(route: str, name: str | None, kwargs: dict) -> str:
    if name:
        return reverse(name, kwargs=kwargs)
    if "(?P<url>" in route:
        return "/admin/" + kwargs["url"]
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), route)


def classify(response, method: str) -> str:
    code = response.status_code
    if code >= 500:
        return f"server error {code}"
    if code in (301, 302, 303, 307, 308):
        where = urlsplit(response["Location"])
        if where.netloc and where.netloc != "testserver":
            return f"redirect away to {response['Location']}"
        if where.path == reverse("account_login"):
            return SIGN_IN
        if where.path == reverse("mfa_activate_totp"):
            return MFA
        if where.path == reverse("admin:login"):
            return ADMIN_LOGIN
        return OK
    if 200 <= code < 300:
        return OK
    if code in (400, 409) and method == "POST":
        return OK
    return {403: REFUSED, 404: NOT_FOUND, 405: METHOD}.get(code, f"status {code}")


def expected(route, path: str, persona, subject, method: str, world) -> str:
    if not persona.second_factor and not path.startswith(("/accounts/", "/healthz")):
        return MFA
    if not persona.signed_in and route.login:
        return ADMIN_LOGIN if route.admin else SIGN_IN
    if method not in route.methods:
        return METHOD
    return route.rule(world, persona, subject, method)


PER_REQUEST = re.compile(
    rb'(value|nonce|content)="[^"]*"|"X-CSRFToken": "[^"]*"|data-session-idle-seconds="[0-9]*"'
)


def _fetch(persona, method: str, url: str):
    client = Client(raise_request_exception=False)
    if persona.session_key:
        client.cookies[settings.SESSION_COOKIE_NAME] = persona.session_key
    # Each request leaves the data as it found it: an empty POST may still act (a logout, marking
    # messages read), and the next request must see the demo as built.
    with transaction.atomic():
        response = client.get(url) if method == "GET" else client.post(url, {})
        transaction.set_rollback(True)
    if method == "POST":
        cache.clear()
    return response


def _shape(response) -> tuple:
    """What a person can tell of an answer: its status, templates and body (less what differs on
    every request, tokens and nonces, and the address they asked for, which they know)."""
    templates = tuple(t.name for t in getattr(response, "templates", []) or [])
    body = b"" if response.streaming else PER_REQUEST.sub(b"", response.content)
    path = response.request["PATH_INFO"].encode()
    body = body.replace(path, b"<path>").replace(quote(path).encode(), b"<path>")
    return response.status_code, templates, body


def _personas(world, subject):
    """The personas, with organisation A the subject's (or the certified one, for routes about no
    object of an organisation)."""
    home = subject.organisation_id if subject and subject.organisation_id else world.home.pk
    return [world.persona(label, home) for label in PERSONAS]


def _subjectless_personas(world, key: str):
    """Routes about no object: for our own pages, each organisation in turn is A."""
    if key.startswith(("admin", "account_", "mfa_")):
        yield from (world.persona(label, world.home.pk) for label in PERSONAS)
        return
    seen = {}
    for organisation in world.organisations:
        for label in PERSONAS:
            if label in RECORDKEEPER_ROLES or label == CONFLICTED or label not in seen:
                persona = world.persona(label, organisation.pk)
                seen.setdefault(label, persona)
                yield persona


@pytest.mark.parametrize(
    ("key", "route", "name", "pattern"), PATTERNS, ids=[key for key, *_ in PATTERNS]
)
def test_route_answers_each_persona_as_the_oracle_says(key, route, name, pattern, world):
    entry = TABLE.get(key)
    if entry is None:
        pytest.fail(f"No expectation for {key} ({route})")
    params = _params(pattern)
    wrong: list[str] = []
    checked = 0
    missing_shape: dict[tuple, tuple] = {}

    def ask(persona, subject, method, kwargs):
        nonlocal checked
        url = _url(route, name, {k: v for k, v in kwargs.items() if k in params})
        response = _fetch(persona, method, url)
        got = classify(response, method)
        want = expected(entry, url, persona, subject, method, world)
        checked += 1
        where = subject.label if subject else "-"
        if got != want:
            wrong.append(
                f"{method} {url} as {persona.label} ({getattr(persona.user, 'email', '-')}) "
                f"on {where}: expected {want}, got {got} ({response.status_code})"
            )
        return response, got

    def missing_for(persona, method, kwargs):
        marker = (getattr(persona.user, "pk", None), method)
        if marker not in missing_shape:
            absent = missing_subject(entry.subject, world)
            response, _ = ask(persona, absent, method, {**kwargs, **absent.kwargs})
            missing_shape[marker] = _shape(response)
        return missing_shape[marker]

    if entry.subject is None:
        for persona in _subjectless_personas(world, key):
            for method in ("GET", "POST"):
                ask(persona, None, method, dict(entry.extra))
    else:
        subjects = list(world.subjects.get(entry.subject, []))
        absent = missing_subject(entry.subject, world)
        for index, subject in enumerate(subjects):
            for persona in _personas(world, subject):
                # Turned away before any object is looked up: asked about the first one only.
                if index and (not persona.signed_in or not persona.second_factor):
                    continue
                for method in ("GET", "POST"):
                    response, got = ask(persona, subject, method, {**subject.kwargs, **entry.extra})
                    if got == NOT_FOUND and absent is not None:
                        other = missing_for(persona, method, entry.extra)
                        if _shape(response) != other:
                            wrong.append(
                                f"{method} as {persona.label} on {subject.label}: not found, but "
                                f"not as an id that does not exist reads ({response.status_code} "
                                f"vs {other[0]}, templates {_shape(response)[1]} vs {other[1]})"
                            )
        if absent is not None:
            for persona in _personas(world, None):
                for method in ("GET", "POST"):
                    missing_for(persona, method, entry.extra)
    assert checked, f"{key}: nothing was asked"
    print(f"{key}: {checked} answers")
    assert not wrong, f"{key} ({route}), {len(wrong)} of {checked} answers wrong:\n" + "\n".join(
        wrong
    )
