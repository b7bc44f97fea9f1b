"""Showing what people typed so that it cannot reorder the page around it.

`{{ organisation.legal_name|bdi }}` escapes the value and wraps it in `<bdi>`, which isolates it
for the Unicode bidirectional algorithm: a right-to-left name (or an override stored before such
characters were refused) is laid out within its own box and never reverses the words after it.
Use it wherever a person's own words sit inside the service's sentences: names in headers and
rows, reasons, answers.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def bdi(value: object) -> SafeString | str:
    """`value`, escaped, inside `<bdi>`; "" for None or an empty value (no empty element)."""
    if value is None or value == "":
        return ""
    return format_html("<bdi>{}</bdi>", value)
