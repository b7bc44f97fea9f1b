"""Helpers for our USWDS form templates (templates/uswds/ and templates/allauth/elements/).

The markup around an input lives in the templates; these add what a template cannot easily say: the
USWDS class for each kind of widget and the ARIA attributes that tie an input to its hint and error
message, using the ids the templates give them (``<id>-hint``, ``<id>-error``).
"""

import html

from django import forms, template
from django.forms.boundfield import BoundField, BoundWidget
from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeString

from common.form_messages import SummaryItem, field_messages, summary_items

register = template.Library()


def _is_choices(widget: forms.Widget) -> bool:
    # CheckboxSelectMultiple is a RadioSelect subclass: both render one input per choice.
    return isinstance(widget, forms.RadioSelect)


def _input_class(field: BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        return "usa-checkbox__input"
    if isinstance(widget, forms.Textarea):
        css = "usa-textarea"
    elif isinstance(widget, forms.Select):
        css = "usa-select"
    elif isinstance(widget, forms.FileInput):
        return "usa-file-input"
    else:
        css = "usa-input"
    return f"{css} usa-input--error" if field.errors else css


@register.filter
def uswds_kind(field: BoundField) -> str:
    """Which layout a field needs: hidden, checkbox, choices (radios or checkboxes) or input."""
    widget = field.field.widget
    if widget.is_hidden:
        return "hidden"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if _is_choices(widget):
        return "checkboxes" if widget.allow_multiple_selected else "radios"
    return "input"


@register.filter
def uswds_hint(field: BoundField) -> str:
    """The field's help text, or "" when it holds no visible words (so no empty hint is drawn)."""
    help_text = field.help_text
    return help_text if help_text and strip_tags(str(help_text)).strip() else ""


def _described_by(field: BoundField) -> str:
    ids = [field.field.widget.attrs.get("aria-describedby", "")]
    if field.auto_id:
        if uswds_hint(field):
            ids.append(f"{field.auto_id}-hint")
        if field.errors:
            ids.append(f"{field.auto_id}-error")
    return " ".join(i for i in ids if i)


@register.filter
def uswds_described_by(field: BoundField) -> str:
    """The ids that describe a field, for the fieldset of a group of radios or checkboxes."""
    return _described_by(field)


@register.filter
def uswds_widget(field: BoundField) -> SafeString:
    """Render a field's widget with its USWDS class and its hint and error ids."""
    widget = field.field.widget
    attrs = {"class": " ".join(c for c in (widget.attrs.get("class"), _input_class(field)) if c)}
    if described_by := _described_by(field):
        attrs["aria-describedby"] = described_by
    if field.errors:
        attrs["aria-invalid"] = "true"
    # Placeholder text vanishes as people type and rarely meets contrast; USWDS puts the same
    # guidance in a hint instead. (Django leaves out an attribute whose value is False.)
    if "placeholder" in widget.attrs:
        attrs["placeholder"] = False
    if widget.template_name == _TEXTAREA_TEMPLATE:
        return _textarea(field, attrs)
    return field.as_widget(attrs=attrs)


# Django's own templates for one radio or checkbox of a group. With them, an option is one
# <input>; `_option_input` writes it as they do, without four template renders per option (a page of
# radios, such as the review workspace's rubric, spent most of its time in them).
_PLAIN_OPTION_TEMPLATES = frozenset(
    {"django/forms/widgets/radio_option.html", "django/forms/widgets/checkbox_option.html"}
)


def _text(value: object) -> str:
    """A value as the option's templates print it: escaped unless already marked safe."""
    return str(value.__html__()) if hasattr(value, "__html__") else html.escape(str(value))


def _attrs(attrs: dict) -> str:
    """A widget's attributes, as django/forms/widgets/attrs.html writes them."""
    parts = []
    for name, value in attrs.items():
        if value is True:
            parts.append(f" {_text(name)}")
        elif value is not False:
            parts.append(f' {_text(name)}="{_text(value)}"')
    return "".join(parts)


def _option_input(data: dict) -> SafeString:
    """One option's <input>, as django/forms/widgets/input.html writes it."""
    value = "" if data["value"] is None else f' value="{_text(data["value"])}"'
    return SafeString(
        f'<input type="{_text(data["type"])}" name="{_text(data["name"])}"{value}'
        f"{_attrs(data['attrs'])}>"
    )


_TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"


def _textarea(field: BoundField, attrs: dict) -> SafeString:
    """`field.as_widget(attrs=attrs)` for a plain Textarea, without its two template renders:
    the attributes and value as `as_widget` works them out, written as textarea.html does."""
    widget = field.field.widget
    if field.field.localize:
        widget.is_localized = True
    attrs = field.build_widget_attrs(attrs, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    data = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    value = _text(data["value"]) if data["value"] else ""
    return SafeString(
        f'<textarea name="{_text(data["name"])}"{_attrs(data["attrs"])}>\n{value}</textarea>'
    )


@register.filter
def uswds_option(option: BoundWidget, css_class: str) -> SafeString:
    """Render one radio or checkbox of a group with the given USWDS input class."""
    option.data["attrs"] = {**option.data["attrs"], "class": css_class}
    if option.template_name in _PLAIN_OPTION_TEMPLATES:
        return _option_input(option.data)
    return option.tag(wrap_label=False)


@register.simple_tag(takes_context=True)
def uswds_error_summary(context) -> list[SummaryItem]:
    """Every error of the context's `form` (and of `also`, a second form or formset posted with
    it), each linked to its field, in our own words (common.form_messages)."""
    return summary_items(context.get("form"), context.get("also"))


@register.filter
def uswds_shown_when(field: BoundField) -> str:
    """The data attributes of a question asked only after a given answer (common.conditional),
    which static/js/rkcp.js reads to show it only then; "" for every other question."""
    condition = getattr(field.field, "shown_when", None)
    if condition is None:
        return ""
    return format_html(
        ' data-shown-when="{}" data-shown-values="{}"',
        field.form.add_prefix(condition.field),
        " ".join(condition.values),
    )


@register.filter
def uswds_messages(field: BoundField) -> list[str]:
    """The messages beside a field, in the same words as the error summary."""
    return field_messages(field)


@register.filter
def uswds_has_required(form: forms.BaseForm) -> bool:
    """Whether any visible field is required, so the form explains the asterisk."""
    return any(field.field.required for field in form.visible_fields())


@register.filter
def uswds_button_class(button) -> str:
    """USWDS classes for a crispy-forms Submit, Button or Reset (ignoring its Bootstrap ones)."""
    own = [c for c in button.field_classes.split() if not c.startswith("btn")]
    if button.input_type in {"button", "reset"}:
        own.insert(0, "usa-button--outline")
    return " ".join(["usa-button", *own])
