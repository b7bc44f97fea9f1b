"""An application's reference number, RKCP-YYYY-NNNNNN: issued when the draft is started, so the
applicant, colleagues and CBP call it by one number from its first page to its last letter, and
its pages' addresses carry the same number (`ApplicationKey`)."""

import re

from certification.models import ReferenceCounter

PATTERN = r"RKCP-[0-9]{4}-[0-9]{6}"
_REFERENCE = re.compile(PATTERN)


def next_reference(year: int) -> str:
    """The next number of `year`. The counter row stays locked until the transaction ends, so two
    applications started at once never share a number; a draft deleted or abandoned leaves a gap."""
    ReferenceCounter.objects.get_or_create(year=year)
    counter = ReferenceCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"RKCP-{year}-{counter.last:06d}"


def is_reference(value: str) -> bool:
    return _REFERENCE.fullmatch(value) is not None


class ApplicationKey:
    """The path converter of the applicant's pages: an application's reference, or (for a draft
    started before drafts had one, and for old links) its number. Views look it up with
    `certification.selectors.application_get_for_user`, which takes either."""

    regex = rf"{PATTERN}|[0-9]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: object) -> str:
        return str(value)
