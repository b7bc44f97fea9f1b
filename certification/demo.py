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
