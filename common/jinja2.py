"""The Jinja2 environment for the few templates Jinja2 renders (templates in jinja2/; ADR 0007).

Strict about names: a misspelt variable is an error a test meets, not an empty cell in a page.
Nothing is added to it (no `url`, no filters): its templates only place what Python worked out.
"""

from typing import Any

from jinja2 import Environment, StrictUndefined


def environment(**options: Any) -> Environment:
    # Django's backend passes its own defaults for these; ours win.
    options.update(undefined=StrictUndefined)
    return Environment(autoescape=True, **{k: v for k, v in options.items() if k != "autoescape"})
