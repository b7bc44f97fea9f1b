"""The demo's people: one account per role, with fixed credentials that the README lists.

Fixed TOTP secrets let a person enrol the same accounts in an authenticator app. They are demo data
only: `seed_demo` refuses to run unless DEBUG is on. The sample answers below fill the demo's
applications, and tests use them for a finished application.
"""

from dataclasses import dataclass

from certification.services.drafts import (
    application_save_individuals,
    application_save_profile,
    application_save_response,
)

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
    DemoAccount(
        "appeals@cbp.example.gov",
        "Avery Appeals",
        "appeals_official",
        "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
    ),
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
    # An individual's importer number beside its IRS number: a Social Security number, which the
    # service keeps sealed and shows masked (recordkeepers.importer_numbers).
    social_security_number: str = ""


# Made up for the demo and the tests (the numbers set aside for examples, 987-65-432x, fail the
# checks every importer number passes).
DEMO_SOCIAL_SECURITY_NUMBER = "536-22-1947"

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
        social_security_number=DEMO_SOCIAL_SECURITY_NUMBER,
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


# A complete set of answers, written as a medium-sized importer's compliance manager would. The demo
# fills its applications with these through the services, and tests use them for a finished draft.
DEMO_ANSWERS: dict[str, tuple[dict, str]] = {
    "i": (
        {
            "record_types": ["entry", "invoices", "transport", "packing", "payment", "preference"],
            "retention_schedule": (
                "Entry records, invoices, transport documents and payment records: 5 years from the "
                "date of entry. Packing lists: 60 days after release. FTA certifications: 5 years "
                "from the date of the claim."
            ),
            "policy": "Import Records Policy IR-1, revised March 2026, approved by the CFO",
        },
        "Our policy cites 19 CFR part 163 and its Appendix (the (a)(1)(A) list).",
    ),
    "ii": (
        {
            "training_audience": "Import coordinators (4), accounts payable (2), warehouse leads (3).",
            "training_frequency": "annual",
            "last_training": "2026-09-15",
            "training_materials": "Slides based on CBP's Informed Compliance Publication; sign-in sheets.",
        },
        "New staff are trained in their first month.",
    ),
    "iii": (
        {
            "procedures": "SOP-07 Entry file preparation; SOP-08 Records retention and retrieval",
            "record_linking": "Each entry number is recorded on the PO in our ERP, which links the invoice and the payment.",
            "storage": "Scanned entry packets in our document system; originals in the records room for 120 days.",
            "retrieval_days": 10,
            "broker_oversight": "Our broker sends a monthly entry list; we reconcile it against the ERP.",
        },
        "",
    ),
    "iv": (
        {
            "staying_current": "CSMS subscriptions, our broker's monthly bulletin and two trade seminars a year."
        },
        "",
    ),
    "v": (
        {
            "method": "alternative",
            "alternative_description": "Scanned images in a write-once document management system.",
            "notice_date": "2025-01-06",
            "implementation_date": "2025-02-10",
            "standards": ["procedures", "indexing", "legible", "originals_kept"],
            "cbp_objection": "",
            "backups": "Nightly off-site backups; quarterly legibility sampling of 25 files.",
        },
        "",
    ),
    "vi": (
        {
            "detection": "A monthly reconciliation finds entries missing any record of the (a)(1)(A) list.",
            "escalation": "Gaps go to the compliance manager within 2 business days.",
            "reporting": "The compliance manager notifies CBP Regulatory Audit by email within 10 days.",
            "corrective_action": "Each action is logged, assigned an owner and checked at the next self-test.",
            "self_testing": "quarterly",
        },
        "",
    ),
}

DEMO_INDIVIDUALS = [
    {
        "kind": "primary",
        "name": "Jordan Ellis",
        "title": "Trade Compliance Manager",
        "email": "jordan.ellis@example.com",
        "phone": "202-555-0143",
        "duties": "Owns the records policy, trains staff, answers CBP requests.",
        "qualifications": "Licensed customs broker, 12 years in import compliance.",
    },
    {
        "kind": "backup",
        "name": "Priya Nair",
        "title": "Senior Import Coordinator",
        "email": "priya.nair@example.com",
        "phone": "202-555-0178",
        "duties": "Stands in for the compliance manager and runs the monthly reconciliation.",
        "qualifications": "Certified Customs Specialist.",
    },
]


def demo_profile(*, importer_number: str, ports: list[str]) -> dict:
    """The parts of a business profile that the size table does not set."""
    return {
        "importer_type": "corporation",
        "address_line1": "100 Harbor Boulevard",
        "address_line2": "",
        "city": "Long Beach",
        "state": "CA",
        "postal_code": "90802",
        "importer_numbers": [importer_number],
        "ports": ports,
        "customs_brokers": ["Pacific Customs Brokers Inc."],
        "has_prior_penalties": False,
        "prior_penalties": "",
        "has_open_cases": False,
        "open_cases": "",
    }


def fill_application(
    *, application, actor, profile: dict, demonstrations: str = "i ii iii iv v vi"
):
    """Answer the wizard's steps for `application` through the services, as a person would."""
    application_save_profile(
        application=application,
        actor=actor,
        profile=profile,
        route=application.route,
        expected_version=application.version,
    )
    for demonstration in demonstrations.split():
        answers, narrative = DEMO_ANSWERS[demonstration]
        if demonstration == "iv":
            application_save_individuals(
                application=application,
                actor=actor,
                individuals=DEMO_INDIVIDUALS,
                answers=answers,
                narrative=narrative,
                expected_version=application.version,
            )
        else:
            application_save_response(
                application=application,
                actor=actor,
                demonstration=demonstration,
                answers=answers,
                narrative=narrative,
                expected_version=application.version,
            )
