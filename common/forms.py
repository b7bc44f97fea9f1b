"""Every form field that takes text refuses invisible formatting and control characters, and keeps
what it accepts in NFC (the rules are in `common.text`).

`install()` runs once, from `CommonConfig.ready()`, and wraps `django.forms.CharField.clean`. Why
there, rather than a shared base form or a validator added field by field:
- every field that takes typed text is a `CharField` (EmailField, SlugField, JSONField, allauth's
  email and phone fields, the admin's fields for CharField and TextField columns), and each one's
  `clean` is the path what was typed takes to `cleaned_data`, so a field written tomorrow is covered
  without anyone remembering to add anything;
- the forms we do not write (allauth's sign-up and account forms, the Django admin's ModelForms)
  would otherwise each need overriding, and one missed would be a hole;
- a validator can refuse but cannot change the value, and NFC has to change it;
- a middleware sees the raw request, not the field, so it could not put the message beside the
  field, and would refuse a whole page for one answer.
The message is a field error: the form shows it beside the field, and views keep what cleaned.

Left alone: password fields (a `PasswordInput` widget), which are never shown, so cannot reorder
anything, and must be taken exactly as typed (normalising a password set earlier would lock its
owner out); and disabled fields, whose value is what is stored, not what was typed.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from common import text

MESSAGES = {
    text.Problem.BIDI: (
        "Remove the invisible formatting characters (such as text-direction marks) from this "
        "answer; they can change how the text around them reads."
    ),
    text.Problem.CONTROL: (
        "Remove the control characters from this answer; they cannot be seen or printed, and "
        "usually come from copying text out of another program."
    ),
}
CODES = {text.Problem.BIDI: "bidi_control", text.Problem.CONTROL: "control_character"}


def clean_typed_text(value: str) -> str:
    """`value` in NFC, or ValidationError with one message for each kind of refused character."""
    found = text.problems(value)
    if found:
        raise ValidationError(
            [ValidationError(MESSAGES[problem], code=CODES[problem]) for problem in found]
        )
    return text.normalise(value)


def applies_to(field: forms.Field) -> bool:
    """Whether `field` takes typed text that the rules cover (see the module's docstring)."""
    return (
        isinstance(field, forms.CharField)
        and not field.disabled
        and not isinstance(field.widget, forms.PasswordInput)
    )


def _wrap(clean: Callable[..., Any]) -> Callable[..., Any]:
    def clean_checking_text(self: forms.Field, value: Any) -> Any:
        if isinstance(value, str) and applies_to(self):
            value = clean_typed_text(value)
        return clean(self, value)

    clean_checking_text.checks_typed_text = True  # type: ignore[attr-defined]
    return clean_checking_text


def install() -> None:
    """Wrap `CharField.clean` (once; a second call changes nothing)."""
    current = forms.CharField.clean
    if getattr(current, "checks_typed_text", False):
        return
    forms.CharField.clean = _wrap(current)  # type: ignore[method-assign]
