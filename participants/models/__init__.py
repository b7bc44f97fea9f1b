"""The participants app's models, one module a concept: the register, the participants' reports
with their corrective actions, and the program's post-certification settings."""

from participants.models.notices import NoticeOfViolation, NoticeStatus
from participants.models.register import Participant, ParticipantStatus
from participants.models.removals import (
    Appeal,
    AppealFile,
    AppealKind,
    AppealStatus,
    ImmediateBasis,
    Removal,
    RemovalGround,
    RemovalStatus,
)
from participants.models.reports import (
    ComplianceReport,
    CorrectiveAction,
    ReportKind,
    ReportStatus,
)
from participants.models.settings import ParticipantSettings

__all__ = [
    "Appeal",
    "AppealFile",
    "AppealKind",
    "AppealStatus",
    "ComplianceReport",
    "CorrectiveAction",
    "ImmediateBasis",
    "NoticeOfViolation",
    "NoticeStatus",
    "Participant",
    "ParticipantSettings",
    "ParticipantStatus",
    "Removal",
    "RemovalGround",
    "RemovalStatus",
    "ReportKind",
    "ReportStatus",
]
