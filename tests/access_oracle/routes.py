"""A route's entry in the expectations table, and the small rules several entries share."""

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.access_oracle.oracle import NOT_FOUND, OK
from tests.access_oracle.world import Persona, Subject, World

Rule = Callable[[World, Persona, Subject | None, str], str]
BOTH = frozenset({"GET", "POST"})
GET = frozenset({"GET"})
POST = frozenset({"POST"})


@dataclass(frozen=True)
class Route:
    rule: Rule
    subject: str | None = None
    methods: frozenset[str] = BOTH
    login: bool = True
    admin: bool = False
    # Fixed URL arguments besides the subject's (a wizard step's slug, a demonstration).
    extra: dict = field(default_factory=dict)


def everyone(w, p, s, m) -> str:
    return OK


def when(condition: Callable[[World, Persona, Subject | None], bool], otherwise=NOT_FOUND) -> Rule:
    return lambda w, p, s, m: OK if condition(w, p, s) else otherwise
