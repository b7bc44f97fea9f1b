"""The certification app's models, one module a concept; imported here so that Django finds them and
callers write `from certification.models import Application`."""

from certification.models.applications import (
    AWAITING_CBP_STATUSES,
    Application,
    ApplicationStatus,
    Attestation,
    DemonstrationResponse,
    DesignatedIndividual,
    ReferenceCounter,
    port_codes,
    risk_flag_bits,
    risk_flag_columns,
    search_text,
)
from certification.models.decisions import Decision
from certification.models.events import HISTORY_VERSION, Event
from certification.models.evidence import Evidence
from certification.models.handbook import Criterion, Demonstration, HandbookEdition
from certification.models.information_requests import InformationRequest, InformationRequestItem
from certification.models.letters import Letter, LetterKind, LetterStatus, LetterTemplate
from certification.models.notifications import Notification, StaffEmailChoice
from certification.models.workload import WorkloadSettings

__all__ = [
    "AWAITING_CBP_STATUSES",
    "HISTORY_VERSION",
    "Application",
    "ApplicationStatus",
    "Attestation",
    "Criterion",
    "Decision",
    "Demonstration",
    "DemonstrationResponse",
    "DesignatedIndividual",
    "Event",
    "Evidence",
    "HandbookEdition",
    "InformationRequest",
    "InformationRequestItem",
    "Letter",
    "LetterKind",
    "LetterStatus",
    "LetterTemplate",
    "Notification",
    "ReferenceCounter",
    "StaffEmailChoice",
    "WorkloadSettings",
    "port_codes",
    "risk_flag_bits",
    "risk_flag_columns",
    "search_text",
]
