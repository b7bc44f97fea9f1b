from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from reviews.priority import Priority

register = template.Library()


@register.filter
def expectation(criterion, size_class: str) -> str:
    """What the criterion expects of an importer of this size."""
    return criterion.expectation_for(size_class)


@register.filter
def priority_items(why: Priority) -> SafeString:
    """The `<li>`s of "Why this is here": each part of the priority with what it adds, escaped.
    Joined here rather than by a template loop, which cost a fifth of the queue's rendering."""
    return format_html_join("", "<li>{}: {}</li>", why.explained)
