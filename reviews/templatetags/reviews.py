from django import template

register = template.Library()


@register.filter
def expectation(criterion, size_class: str) -> str:
    """What the criterion expects of an importer of this size."""
    return criterion.expectation_for(size_class)
