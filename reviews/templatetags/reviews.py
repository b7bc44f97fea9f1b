from html import escape

from django import template
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
    Joined here rather than by a template loop, which cost a fifth of the queue's rendering, and
    escaped by the standard library's `escape`, which Django's calls for plain text: the labels
    are never marked safe, and `format_html_join` cost half as much again, 25 times a page."""
    return SafeString(
        "".join(
            f"<li>{escape(str(label))}: {escape(str(added))}</li>" for label, added in why.explained
        )
    )
