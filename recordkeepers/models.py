"""Who applies: people, their organisations, memberships and invitations, and CBP staff roles."""

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from recordkeepers.validators import (
    validate_importer_numbers,
    validate_port_codes,
    validate_zip_code,
)


class StaffRole(models.TextChoices):
    """CBP roles. Each is a Django group of the same name, created by a migration."""

    REVIEWER = "reviewer", "Reviewer"
    SUPERVISOR = "supervisor", "Supervisor"
    ADMIN = "admin", "Administrator"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> "User":
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in: a recordkeeper's employee or a member of CBP staff.

    People sign in with their email address. One name field, because names do not all split into
    first and last.
    """

    username = None
    first_name = None
    last_name = None
    email = models.EmailField("email address", max_length=254, unique=True)
    full_name = models.CharField(max_length=150, blank=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name or self.email


class ImporterType(models.TextChoices):
    """How the importer is organised, as declared on its CBP Form 5106."""

    CORPORATION = "corporation", "Corporation"
    LLC = "llc", "Limited liability company (LLC)"
    PARTNERSHIP = "partnership", "Partnership"
    SOLE_PROPRIETORSHIP = "sole_proprietorship", "Sole proprietorship"
    INDIVIDUAL = "individual", "Individual"
    GOVERNMENT = "government", "Government agency"
    OTHER = "other", "Other"


# States, the District of Columbia and the territories with US ZIP codes (USPS abbreviations).
US_STATES = [
    ("AL", "Alabama"),
    ("AK", "Alaska"),
    ("AS", "American Samoa"),
    ("AZ", "Arizona"),
    ("AR", "Arkansas"),
    ("CA", "California"),
    ("CO", "Colorado"),
    ("CT", "Connecticut"),
    ("DE", "Delaware"),
    ("DC", "District of Columbia"),
    ("FL", "Florida"),
    ("GA", "Georgia"),
    ("GU", "Guam"),
    ("HI", "Hawaii"),
    ("ID", "Idaho"),
    ("IL", "Illinois"),
    ("IN", "Indiana"),
    ("IA", "Iowa"),
    ("KS", "Kansas"),
    ("KY", "Kentucky"),
    ("LA", "Louisiana"),
    ("ME", "Maine"),
    ("MD", "Maryland"),
    ("MA", "Massachusetts"),
    ("MI", "Michigan"),
    ("MN", "Minnesota"),
    ("MS", "Mississippi"),
    ("MO", "Missouri"),
    ("MT", "Montana"),
    ("NE", "Nebraska"),
    ("NV", "Nevada"),
    ("NH", "New Hampshire"),
    ("NJ", "New Jersey"),
    ("NM", "New Mexico"),
    ("NY", "New York"),
    ("NC", "North Carolina"),
    ("ND", "North Dakota"),
    ("MP", "Northern Mariana Islands"),
    ("OH", "Ohio"),
    ("OK", "Oklahoma"),
    ("OR", "Oregon"),
    ("PA", "Pennsylvania"),
    ("PR", "Puerto Rico"),
    ("RI", "Rhode Island"),
    ("SC", "South Carolina"),
    ("SD", "South Dakota"),
    ("TN", "Tennessee"),
    ("TX", "Texas"),
    ("UT", "Utah"),
    ("VT", "Vermont"),
    ("VI", "U.S. Virgin Islands"),
    ("VA", "Virginia"),
    ("WA", "Washington"),
    ("WV", "West Virginia"),
    ("WI", "Wisconsin"),
    ("WY", "Wyoming"),
]


def _money(value) -> str | None:
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
    importer_numbers = models.JSONField(
        default=list, blank=True, validators=[validate_importer_numbers]
    )
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

    def profile_missing(self) -> list[str]:
        """What a complete business profile still lacks, in words for the importer.

        Empty when the profile is complete. The application wizard checks it before submission.
        """
        missing = []
        if not self.legal_name.strip():
            missing.append("The organization's legal name")
        if not self.importer_type:
            missing.append("The type of importer")
        if not self.has_complete_address:
            missing.append("A complete address (street, city, state and ZIP code)")
        if not self.importer_numbers:
            missing.append("At least one importer number")
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

    def profile_snapshot(self) -> dict:
        """The profile as it stands, for an application to keep as submitted.

        Keyed by field name and JSON-serialisable: amounts are strings, so no precision is lost.
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


class Membership(models.Model):
    """A person's place in an organisation. A person belongs to at most one organisation."""

    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        MEMBER = "member", "Member"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="membership")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "-role", "user__email"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=["owner", "member"]), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) at {self.organisation}"

    @property
    def is_owner(self) -> bool:
        return self.role == self.Role.OWNER


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> "InvitationQuerySet":
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )

    def get_by_token(self, token: str) -> "Invitation":
        return self.get(token_hash=_hash_token(token))


class Invitation(models.Model):
    """An owner's invitation for a colleague to join the organisation.

    Only the SHA-256 of the token is stored: the token itself travels in the email alone, so a copy of
    the database cannot be used to accept invitations.
    """

    VALID_FOR = timedelta(days=14)

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(max_length=254)
    role = models.CharField(
        max_length=16, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(
        null=True, blank=True, help_text="When its email went out; empty until then."
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                "organisation",
                Lower("email"),
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation for {self.email} to {self.organisation}"

    def set_new_token(self) -> str:
        """Give the invitation a fresh token and return it (the only time it is seen)."""
        token = secrets.token_urlsafe(32)
        self.token_hash = _hash_token(token)
        return token

    @property
    def is_pending(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class RiskFlag(models.TextChoices):
    """The "nature" of an importing business: what raises the stakes of its recordkeeping."""

    ADCVD = "adcvd", "Antidumping or countervailing duty goods"
    FTA = "fta", "Free trade agreement or special program claims"
    DRAWBACK = "drawback", "Drawback claims"
    FTZ = "ftz", "Foreign-trade zone or bonded warehouse"
    PGA = "pga", "Goods regulated by partner government agencies"
    RELATED_PARTY = "related_party", "Purchases from related parties"


class SizeClass(models.TextChoices):
    """Size of the importing business, derived from entries per year and import value."""

    MICRO = "micro", "Micro"
    SMALL = "small", "Small"
    MEDIUM = "medium", "Medium"
    LARGE = "large", "Large"
