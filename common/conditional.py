"""Questions that are asked only when an earlier answer makes them apply.

"Describe each penalty" means nothing to an importer who answered No to "Has CBP ever assessed a
penalty?", and the alternative method's dates mean nothing to one that keeps originals. A form names
such questions in `shown_when`; then:

- the page hides them until the answer they depend on is given (static/js/rkcp.js reads the
  ``data-shown-when`` attributes templates/uswds/field.html writes; without JavaScript they stay
  visible, their hints saying when they apply);
- the server ignores what was typed in a question that does not apply and clears what was stored
  there, so a changed answer leaves nothing behind that no longer fits;
- check your answers and the application's page leave them out instead of listing "Not answered".
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms


@dataclass(frozen=True)
class ShownWhen:
    """A question applies when `field` holds one of `values` (as submitted: "True", "alternative")."""

    field: str
    values: tuple[str, ...]

    def holds(self, value: Any) -> bool:
        return _as_submitted(value) in self.values


def _as_submitted(value: Any) -> str:
    return "" if value is None else str(value)


def applies(shown_when: Mapping[str, ShownWhen], name: str, answers: Mapping[str, Any]) -> bool:
    """Whether question `name` applies, given stored answers (a dict, or an object's attributes
    read through `answers.get`)."""
    condition = shown_when.get(name)
    return condition is None or condition.holds(answers.get(condition.field))


class ConditionalQuestionsMixin:
    """For a Django form: `shown_when` maps a question to the answer it depends on. Cleaning clears
    a question whose condition fails (and drops its errors); each field carries its condition as
    `field.shown_when` for the template."""

    shown_when: dict[str, ShownWhen] = {}
    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]
    _errors: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, condition in self.shown_when.items():
            if name in self.fields:
                self.fields[name].shown_when = condition  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()  # type: ignore[misc]
        for name, condition in self.shown_when.items():
            if name not in self.fields or condition.field not in self.cleaned_data:
                continue  # the answer it depends on has its own mistake: decide nothing yet
            if condition.holds(self.cleaned_data[condition.field]):
                continue
            self.cleaned_data[name] = self.fields[name].to_python(None)
            if self._errors and name in self._errors:
                del self._errors[name]
        return cleaned
