"""Letter templates' versions: the one in use for a kind, and saving an admin's text as the next."""

from django.db import transaction

from certification.letters import content as letters
from certification.letters.defaults import DEFAULT_TEMPLATES
from certification.models import (
    LetterTemplate,
)
from recordkeepers.models import User


@transaction.atomic
def letter_template_save_new_version(*, template: LetterTemplate, actor: User) -> LetterTemplate:
    """Save an admin's text as the next version of its kind: the one letters use from now on.
    Versions already saved are never changed (`LetterTemplate.save` refuses)."""
    letters.check_template(kind=template.kind, subject=template.subject, body=template.body)
    # Lock the kind's versions first, so that of two admins saving at once the second waits here
    # and then counts the first's new row, rather than taking the same number and failing.
    versions = LetterTemplate.objects.select_for_update().filter(kind=template.kind)
    latest = max(versions.values_list("version", flat=True), default=0)
    template.version = latest + 1
    template.created_by = actor
    template.save()
    return template


def letter_template_in_use(*, kind: str) -> LetterTemplate:
    """The kind's template in use: its highest version, or the shipped text as version 1."""
    template = LetterTemplate.objects.filter(kind=kind).order_by("-version").first()
    if template is None:
        subject, body = DEFAULT_TEMPLATES[kind]
        template, _ = LetterTemplate.objects.get_or_create(
            kind=kind, version=1, defaults={"subject": subject, "body": body}
        )
    return template


def letter_template_text(*, kind: str) -> tuple[str, str]:
    """The subject and body a letter of `kind` would be rendered from now, read without writing:
    for a preview, which saves nothing (`letter_template_in_use` saves the shipped text as
    version 1 should a kind have none)."""
    template = LetterTemplate.objects.filter(kind=kind).order_by("-version").first()
    if template is None:
        return DEFAULT_TEMPLATES[kind]
    return template.subject, template.body
