"""The business profile's fixed lists: importer types, states, risk flags and size classes."""

from django.db import models


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
