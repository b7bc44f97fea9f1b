"""The size class of an importing business, from its entries per year and import value."""

from decimal import Decimal

from django.conf import settings

from recordkeepers.models import Organisation, SizeClass

_ORDER = [SizeClass.MICRO, SizeClass.SMALL, SizeClass.MEDIUM, SizeClass.LARGE]


def size_class(*, entries_per_year: int, import_value: Decimal) -> SizeClass:
    """The larger of the classes the two measures give: a business with few entries of great
    value is weighed as the value says, and the other way round.

    Thresholds (`SIZE_CLASS_THRESHOLDS`) give, for micro, small and medium, the entries per year and
    import value (USD) a business must stay below to be in that class.
    """
    if entries_per_year < 0 or import_value < 0:
        raise ValueError("Entries and import value cannot be negative")
    by_entries = by_value = SizeClass.LARGE
    for name in reversed(_ORDER[:-1]):
        max_entries, max_value = settings.SIZE_CLASS_THRESHOLDS[name.value]
        if entries_per_year < max_entries:
            by_entries = name
        if import_value < Decimal(max_value):
            by_value = name
    return max(by_entries, by_value, key=_ORDER.index)


def organisation_size_class(organisation: Organisation) -> SizeClass | None:
    """The organisation's size class from its business profile, or None while the profile lacks
    either measure."""
    if organisation.entries_per_year is None or organisation.import_value is None:
        return None
    return size_class(
        entries_per_year=organisation.entries_per_year, import_value=organisation.import_value
    )


# What each size class means for an application: expectations scale with the business's size.
_LARGER = (
    "CBP expects written procedures for each function that handles records, a backup designated "
    "individual as well as a primary one, regular self-testing and oversight of your customs brokers."
)
_MEANING = {
    SizeClass.MICRO: (
        "A short written procedure and one designated individual can be enough to show how you "
        "train employees and keep records."
    ),
    SizeClass.SMALL: (
        "Short written procedures and one designated individual are usually enough; naming a "
        "backup as well is welcome."
    ),
    SizeClass.MEDIUM: _LARGER,
    SizeClass.LARGE: _LARGER,
}


def size_class_sentence(size: SizeClass) -> str:
    """The applicant's size class and what it means, as the wizard tells them."""
    return (
        f"From your entries per year and import value, your business is a "
        f"{size.label.lower()} importer. {_MEANING[size]}"
    )
