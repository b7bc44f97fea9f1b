"""A web process's first requests, done before it serves any: importing every view and compiling
every template.

Django imports the URLconf (and with it every view module) on the first request a process
serves, and compiles each template the first time it renders it. In a new gunicorn worker the
first queue page took 124 ms where the next took 12 (docs/benchmarks.md), and after a deploy or a
worker's restart every worker pays this at once, on people's requests. `config/wsgi.py` calls
`warm_up()` as the process starts instead (about 0.4 s a process). Both engines keep what they
compiled (Django's cached loader, on with DEBUG too, reloads a template only when its file changes).
"""

from collections.abc import Iterator
from pathlib import Path

from django.template import TemplateSyntaxError, engines
from django.template.backends.django import DjangoTemplates
from django.template.backends.jinja2 import Jinja2
from django.urls import get_resolver

# The suffixes of the files the Django template engine renders: pages and emails.
TEMPLATE_SUFFIXES = (".html", ".txt")


def warm_up() -> list[str]:
    """Import the URLconf and compile every template the engines would cache; the names of the
    templates that did not compile (third-party packages ship templates for apps of theirs that
    are not installed here, such as allauth's social accounts)."""
    get_resolver().url_patterns  # noqa: B018 - the property imports every view module
    skipped = []
    for engine in engines.all():
        if isinstance(engine, Jinja2):
            for name in engine.env.list_templates():
                engine.env.get_template(name)
        elif isinstance(engine, DjangoTemplates):
            for name in sorted(set(_template_names(engine))):
                try:
                    engine.engine.get_template(name)
                except TemplateSyntaxError:
                    skipped.append(name)
    return skipped


def _template_names(engine: DjangoTemplates) -> Iterator[str]:
    for loader in engine.engine.template_loaders:
        for each in getattr(loader, "loaders", [loader]):  # the cached loader wraps the others
            for directory in each.get_dirs():
                root = Path(directory)
                for path in root.rglob("*"):
                    if path.suffix in TEMPLATE_SUFFIXES and path.is_file():
                        yield path.relative_to(root).as_posix()
