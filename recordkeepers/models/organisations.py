"""The recordkeeper organisation and its business profile."""

from decimal import Decimal
from typing import Any

from django.db import models

from recordkeepers.importer_numbers import StoredNumbers, in_full, search_digest
from recordkeepers.models.choices import US_STATES, ImporterType
from recordkeepers.validators import (
    is_ssn_form,
    validate_importer_numbers,
    validate_port_codes,
    validate_zip_code,
)


def _money(value: Decimal | None) -> str | None:
    return str(value) if value is not None else None


class Organisation(models.Model):
    """A recordkeeper: the importer (or other party) that applies for certification.

    Its business profile is filled in as step 1 of the application wizard and saved incomplete, so
    every profile field may be empty here; `profile_missing()` says what a complete one still needs.
    """

    legal_name = models.CharField(max_length=200)
    dba_name = models.CharField("doing business as (DBA) name", max_length=200, blank=True)
    importer_type = models.CharField(max_length=32, choices=ImporterType.choices, blank=True)
    address_line1 = models.CharField("address line 1", max_length=200, blank=True)
    address_line2 = models.CharField("address line 2", max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField("state or territory", max_length=2, choices=US_STATES, blank=True)
    postal_code = models.CharField(
        "ZIP code", max_length=10, blank=True, validators=[validate_zip_code]
    )
    # Normalised by recordkeepers.validators; lists keep the order the importer gave them in.
    # As shown: a Social Security number masked, the whole list then sealed beside it (set both
    # with `set_importer_numbers`; recordkeepers.importer_numbers says why).
    importer_numbers = models.JSONField(
        default=list, blank=True, validators=[validate_importer_numbers]
    )
    sealed_importer_numbers = models.TextField(blank=True, editable=False)
    ports = models.JSONField(default=list, blank=True, validators=[validate_port_codes])
    customs_brokers = models.JSONField(default=list, blank=True)
    # The business profile: how much the business imports and what kind of imports, which is how
    # reviewers weigh "the size and nature of the importing business and the volume of imports".
    entries_per_year = models.PositiveIntegerField(null=True, blank=True)
    import_value = models.DecimalField(
        "import value per year (USD)", max_digits=15, decimal_places=2, null=True, blank=True
    )
    duties_paid = models.DecimalField(
        "duties, taxes and fees per year (USD)",
        max_digits=15,
        decimal_places=2,
        null=True,
        blank=True,
    )
    risk_flags = models.JSONField(default=list, blank=True)
    # Null means "not answered yet": an empty description alone cannot tell "none" from a draft
    # nobody has reached yet, and reviewers must know which.
    has_prior_penalties = models.BooleanField(
        "prior recordkeeping penalties (19 U.S.C. 1509)", null=True, blank=True
    )
    prior_penalties = models.TextField(
        "prior recordkeeping penalties, described", max_length=5000, blank=True
    )
    has_open_cases = models.BooleanField("open CBP cases or investigations", null=True, blank=True)
    open_cases = models.TextField(
        "open CBP cases or investigations, described", max_length=5000, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The business profile's fields, in the order the importer fills them in, in two parts that the
    # wizard asks on two pages: who the organisation is, and what it imports. The profile form shows
    # these, `organisation_update_profile` writes only these, and the snapshot keeps these.
    DETAILS_FIELDS: tuple[str, ...] = (
        "legal_name",
        "dba_name",
        "importer_type",
        "address_line1",
        "address_line2",
        "city",
        "state",
        "postal_code",
        "importer_numbers",
    )
    BUSINESS_FIELDS: tuple[str, ...] = (
        "entries_per_year",
        "import_value",
        "duties_paid",
        "ports",
        "customs_brokers",
        "risk_flags",
        "has_prior_penalties",
        "prior_penalties",
        "has_open_cases",
        "open_cases",
    )
    PROFILE_FIELDS: tuple[str, ...] = DETAILS_FIELDS + BUSINESS_FIELDS

    class Meta:
        ordering = ["legal_name"]
        verbose_name = "organization"  # what users read; the code keeps the design's name
        constraints = [
            models.CheckConstraint(
                condition=models.Q(importer_type__in=["", *ImporterType.values]),
                name="organisation_importer_type_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.legal_name

    @property
    def has_business_profile(self) -> bool:
        return self.entries_per_year is not None and self.import_value is not None

    @property
    def has_complete_address(self) -> bool:
        return all([self.address_line1, self.city, self.state, self.postal_code])

    def set_importer_numbers(self, numbers: list[str]) -> None:
        """Keep `numbers` (normalised, in clear): masked where personal, and sealed."""
        stored = StoredNumbers.of(numbers)
        self.importer_numbers = stored.shown
        self.sealed_importer_numbers = stored.sealed

    def importer_numbers_in_full(self) -> list[str]:
        """The importer numbers in clear: only for the form that edits them and for a reviewer
        who checks them against CBP's records."""
        return in_full(self.importer_numbers or [], self.sealed_importer_numbers)

    def profile_missing(self) -> list[str]:
        """What a complete business profile still lacks, in words for the importer.

        Empty when the profile is complete. The application wizard checks it before submission.
        """
        return self.details_missing() + self.business_missing()

    def details_missing(self) -> list[str]:
        """What the profile's first part (who the organisation is) still lacks."""
        missing = []
        if not self.legal_name.strip():
            missing.append("The organization's legal name")
        if not self.importer_type:
            missing.append("The type of importer")
        if not self.has_complete_address:
            missing.append("A complete address (street, city, state and ZIP code)")
        if not self.importer_numbers:
            missing.append("At least one importer number")
        return missing

    def business_missing(self) -> list[str]:
        """What the profile's second part (its business and imports) still lacks."""
        missing = []
        if self.entries_per_year is None:
            missing.append("The number of entries per year")
        if self.import_value is None:
            missing.append("The value of imports per year")
        if not self.ports:
            missing.append("At least one port of entry")
        if self.has_prior_penalties is None:
            missing.append("An answer on prior recordkeeping penalties")
        elif self.has_prior_penalties and not self.prior_penalties.strip():
            missing.append("A description of the prior recordkeeping penalties")
        if self.has_open_cases is None:
            missing.append("An answer on open CBP cases or investigations")
        elif self.has_open_cases and not self.open_cases.strip():
            missing.append("A description of the open CBP cases or investigations")
        return missing

    def profile_snapshot(self) -> dict[str, Any]:
        """The profile as it stands, for an application to keep as submitted.

        Keyed by field name and JSON-serialisable: amounts are strings, so no precision is lost.
        Importer numbers as the organisation keeps them (shown, sealed), with the digests of any
        Social Security numbers for the review queue's exact search.
        """
        return {
            "legal_name": self.legal_name,
            "dba_name": self.dba_name,
            "importer_type": self.importer_type,
            "address_line1": self.address_line1,
            "address_line2": self.address_line2,
            "city": self.city,
            "state": self.state,
            "postal_code": self.postal_code,
            "importer_numbers": list(self.importer_numbers or []),
            "sealed_importer_numbers": self.sealed_importer_numbers,
            "importer_number_digests": [
                search_digest(number)
                for number in self.importer_numbers_in_full()
                if is_ssn_form(number)
            ],
            "ports": list(self.ports or []),
            "customs_brokers": list(self.customs_brokers or []),
            "entries_per_year": self.entries_per_year,
            "import_value": _money(self.import_value),
            "duties_paid": _money(self.duties_paid),
            "risk_flags": sorted(self.risk_flags or []),
            "has_prior_penalties": self.has_prior_penalties,
            "prior_penalties": self.prior_penalties,
            "has_open_cases": self.has_open_cases,
            "open_cases": self.open_cases,
        }
