"""The demo's people: one account per role, with fixed credentials that the README lists.

Fixed TOTP secrets let a person enrol the same accounts in an authenticator app. They are demo data
only: `seed_demo` refuses to run unless DEBUG is on.
"""

from dataclasses import dataclass

DEMO_PASSWORD = "Demo-Recordkeeping-2026"  # noqa: S105 - published demo credential
DEMO_ORGANISATION = "Acme Imports LLC"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    role: str  # "owner" or "member" of the demo organisation, or a StaffRole value
    totp_secret: str | None = None


DEMO_ACCOUNTS = [
    DemoAccount("owner@acme-imports.example", "Olivia Owner", "owner"),
    DemoAccount("member@acme-imports.example", "Marcus Member", "member"),
    DemoAccount(
        "reviewer@cbp.example.gov", "Riley Reviewer", "reviewer", "JBSWY3DPEHPK3PXPJBSWY3DP"
    ),
    DemoAccount(
        "supervisor@cbp.example.gov", "Sam Supervisor", "supervisor", "KRSXG5CTMVRXEZLUKRSXG5CT"
    ),
    DemoAccount("admin@cbp.example.gov", "Ada Admin", "admin", "MFRGGZDFMZTWQ2LKMFRGGZDF"),
]


@dataclass(frozen=True)
class DemoOrganisation:
    legal_name: str
    owner_email: str
    entries_per_year: int
    import_value: str
    duties_paid: str
    risk_flags: tuple[str, ...]
    # The state its demo application is brought to, through the workflow services.
    application_state: str


# One organisation per size class of the program's table, and between them every state.
DEMO_ORGANISATIONS = [
    DemoOrganisation(
        DEMO_ORGANISATION, "owner@acme-imports.example", 220, "4200000", "260000", ("fta",), "draft"
    ),
    DemoOrganisation(
        "Bayou Coffee Roasters",
        "owner@bayou-coffee.example",
        18,
        "450000",
        "12000",
        ("pga",),
        "submitted",
    ),
    DemoOrganisation(
        "Cascade Outdoor Gear Inc.",
        "owner@cascade-gear.example",
        1800,
        "64000000",
        "2900000",
        ("adcvd", "fta"),
        "in_review",
    ),
    DemoOrganisation(
        "Delmar Auto Parts Corp.",
        "owner@delmar-auto.example",
        21000,
        "780000000",
        "31000000",
        ("adcvd", "drawback", "ftz", "related_party"),
        "info_requested",
    ),
    DemoOrganisation(
        "Evergreen Textiles LLC",
        "owner@evergreen-textiles.example",
        340,
        "7800000",
        "1100000",
        ("fta",),
        "recommended",
    ),
    DemoOrganisation(
        "Fairview Medical Supply",
        "owner@fairview-medical.example",
        2600,
        "120000000",
        "3400000",
        ("pga",),
        "certified",
    ),
    DemoOrganisation(
        "Granite State Tools", "owner@granite-tools.example", 35, "800000", "60000", (), "denied"
    ),
    DemoOrganisation(
        "Harbor Light Candles",
        "owner@harbor-candles.example",
        60,
        "1300000",
        "90000",
        (),
        "withdrawn",
    ),
]
