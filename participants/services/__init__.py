"""Writes after certification, by concept: the register, reports and corrective actions, notices
of violation, removals and appeals. Keyword-only, typed and atomic; they raise PermissionDenied
or ValidationError, and make their status moves through `participants.workflow`. Callers use
them from here: `services.report_file(...)`."""

from participants.services.appeals import (
    appeal_decide,
    appeal_delay,
    appeal_file,
    appealable,
)
from participants.services.notices import (
    IN_THE_PROGRAM,
    notice_answer,
    notice_close,
    notice_eligibility,
    notice_letter_context,
    notice_record_failure,
    removal_suggested,
)
from participants.services.register import participant_register
from participants.services.removals import (
    removal_decline,
    removal_issue,
    removal_propose,
    removals_take_effect,
)
from participants.services.reports import (
    FILING,
    corrective_action_default_due,
    entry_numbers_checked,
    report_acknowledge,
    report_close,
    report_file,
    report_record_corrective_action,
    report_request_corrective_action,
)

__all__ = [
    "FILING",
    "IN_THE_PROGRAM",
    "appeal_decide",
    "appeal_delay",
    "appeal_file",
    "appealable",
    "corrective_action_default_due",
    "entry_numbers_checked",
    "notice_answer",
    "notice_close",
    "notice_eligibility",
    "notice_letter_context",
    "notice_record_failure",
    "participant_register",
    "removal_decline",
    "removal_issue",
    "removal_propose",
    "removal_suggested",
    "removals_take_effect",
    "report_acknowledge",
    "report_close",
    "report_file",
    "report_record_corrective_action",
    "report_request_corrective_action",
]
