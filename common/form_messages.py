"""Our own words for Django's stock form messages, and every form's errors gathered for a page.

Django's messages ("This field is required.", "Ensure this value is greater than or equal to 1.")
do not say which question they are about, and read like a machine. Rather than override
``error_messages`` on every field of every form (and miss one), the page reads each error's code and
parameters when it renders them: an error whose text is still Django's own is said again in plain
words naming the question; a message a form wrote for itself is shown as written. Both the error
summary at the top of a page and the message beside each field come from here, so they always agree.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from django import forms
from django.core import validators
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.boundfield import BoundField
from django.utils.html import strip_tags


@cache
def _stock_messages() -> dict[str, frozenset[str]]:
    """Django's own message templates, by error code: fields' defaults and validators' messages."""
    found: dict[str, set[str]] = {}

    def add(code: str, message: object) -> None:
        found.setdefault(code, set()).add(str(message))

    for name in dir(forms.fields):
        kind = getattr(forms.fields, name)
        if isinstance(kind, type) and issubclass(kind, forms.Field):
            for code, message in getattr(kind, "default_error_messages", {}).items():
                add(code, message)
    for kind in (
        validators.MinValueValidator,
        validators.MaxValueValidator,
        validators.MinLengthValidator,
        validators.MaxLengthValidator,
        validators.StepValueValidator,
    ):
        add(kind.code, kind.message)
    for code, message in validators.DecimalValidator.messages.items():
        add(code, message)
    add("invalid", validators.EmailValidator.message)
    add("invalid", validators.URLValidator.message)
    add("null_characters_not_allowed", validators.ProhibitNullCharactersValidator.message)
    return {code: frozenset(messages) for code, messages in found.items()}


def _is_stock(error: ValidationError) -> bool:
    return str(error.message) in _stock_messages().get(error.code or "", frozenset())


def _lower_first(label: str) -> str:
    """'Legal name' → 'legal name'; an acronym ('EIN', 'ZIP code') keeps its capitals."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def _question(label: str) -> str:
    return f"“{label.rstrip(':')}”"


def _required(field: forms.Field, label: str) -> str:
    widget = field.widget
    if isinstance(widget, forms.CheckboxInput):
        return f"Select the box to confirm: {label}"
    if isinstance(field, forms.FileField):
        return f"Choose a file for {_question(label)}"
    if isinstance(widget, forms.RadioSelect | forms.Select) or isinstance(
        field, forms.ChoiceField | forms.ModelChoiceField
    ):
        return f"Choose an answer to {_question(label)}"
    if label.endswith("?") or len(label) > 60:
        return f"Answer {_question(label)}"
    return f"Enter {_lower_first(label)}"


def _plain(field: forms.Field, label: str, error: ValidationError) -> str | None:
    """Our wording for a stock error, or None to keep the error's own message."""
    params = error.params or {}
    code = error.code
    subject = _question(label) if label.endswith("?") or len(label) > 60 else label
    if code == "required":
        return _required(field, label)
    if code == "min_value":
        return f"{subject} must be {params.get('limit_value')} or more"
    if code == "max_value":
        return f"{subject} must be {params.get('limit_value')} or less"
    if code == "step_size":
        return f"{subject} must be a multiple of {params.get('limit_value')}"
    if code == "min_length":
        return f"{subject} must be at least {params.get('limit_value')} characters"
    if code == "max_length" and isinstance(field, forms.FileField):
        return f"The file's name must be {params.get('max')} characters or fewer"
    if code == "max_length":
        return f"{subject} must be {params.get('limit_value')} characters or fewer"
    if code == "invalid" and isinstance(field, forms.IntegerField):
        return f"{subject} must be a whole number, like 25"
    if code in {"invalid", "max_digits", "max_whole_digits"} and isinstance(
        field, forms.DecimalField | forms.FloatField
    ):
        return f"{subject} must be an amount, like 1250.50"
    if code == "max_decimal_places":
        return f"{subject} can have no more than {params.get('max')} digits after the decimal point"
    if code == "invalid" and isinstance(field, forms.DateField):
        return f"{subject} must be a real date, like 3/31/2026"
    if code == "invalid" and isinstance(field, forms.EmailField):
        return "Enter an email address in the correct format, like name@example.com"
    if code == "invalid" and isinstance(field, forms.URLField):
        return "Enter a web address in the correct format, like https://www.example.com"
    if code in {"invalid_choice", "invalid_list", "invalid_pk_value"}:
        return f"Choose one of the answers offered for {_question(label)}"
    if code == "empty":
        return "The file you chose is empty: choose a file with something in it"
    if code in {"missing", "invalid"} and isinstance(field, forms.FileField):
        return "The file did not arrive: choose it again"
    if code == "null_characters_not_allowed":
        return f"{subject} contains a character that cannot be stored: remove it"
    return None


def message_for(field: forms.Field | None, label: str, error: ValidationError) -> str:
    """What a person reads for one error: our words for Django's stock messages, else its own."""
    if field is not None and label and _is_stock(error):
        plain = _plain(field, label, error)
        if plain is not None:
            return plain
    return str(next(iter(error)))


def field_messages(field: BoundField) -> list[str]:
    """The messages shown beside one field."""
    label = strip_tags(str(field.label or "")).strip()
    return [
        message_for(field.field, label, error)
        for error in field.form.errors.as_data().get(field.name, [])
    ]


@dataclass(frozen=True)
class SummaryItem:
    message: str
    href: str


def _target(field: BoundField) -> str:
    """The id an error-summary link moves to: a group's first option, else the input itself."""
    if isinstance(field.field.widget, forms.RadioSelect):
        options = field.subwidgets
        if options:
            return options[0].id_for_label
    return field.id_for_label or field.auto_id or ""


def _form_items(form: forms.BaseForm, heading: str = "") -> Iterator[SummaryItem]:
    lead = f"{heading}: " if heading else ""
    for error in form.errors.as_data().get(NON_FIELD_ERRORS, []):
        yield SummaryItem(lead + str(next(iter(error))), "")
    for field in form:
        if field.name not in form.errors:
            continue
        target = "" if field.is_hidden else _target(field)
        for message in field_messages(field):
            yield SummaryItem(lead + message, f"#{target}" if target else "")


def summary_items(*forms_or_formsets: object) -> list[SummaryItem]:
    """Every error of the given forms and formsets, in page order, each linked to its field.

    A formset contributes its own errors first, then each of its forms' errors led by the form's
    place ("Person 2: Enter email"), so a summary over several people says whose answer is wrong.
    """
    items: list[SummaryItem] = []
    for thing in forms_or_formsets:
        if isinstance(thing, forms.BaseFormSet):
            if not thing.is_bound:
                continue
            items.extend(SummaryItem(str(e), "") for e in thing.non_form_errors())
            for number, form in enumerate(thing.forms, start=1):
                if form.errors:
                    items.extend(_form_items(form, _formset_heading(thing, form, number)))
        elif isinstance(thing, forms.BaseForm) and thing.is_bound:
            items.extend(_form_items(thing))
    return items


def _formset_heading(formset: forms.BaseFormSet, form: forms.BaseForm, number: int) -> str:
    """Whose errors these are: the formset's own words for a form if it has them (a named person),
    else "Entry 2"."""
    heading = getattr(formset, "summary_heading", None)
    return heading(form, number) if heading else f"Entry {number}"
