"""Pages after certification, by concept: the participant's own ("Your certification") and CBP's
register (`register`), reports (`reports`), notices (`notices`), removals (`removals`) and appeals
(`appeals`). Thin: look up through a selector, bind, call a service, redirect."""

from participants.views.appeals import (
    appeal_decide,
    appeal_delay,
    appeal_detail,
    appeal_file_download,
    appeal_new,
    appeals,
)
from participants.views.notices import notice_answer, notice_close, notice_detail, notice_new
from participants.views.register import my_certification, participant_detail, register
from participants.views.removals import removal_detail, removal_new
from participants.views.reports import (
    report_acknowledge,
    report_close,
    report_detail,
    report_new,
    report_request_action,
    report_respond,
)

__all__ = [
    "appeal_decide",
    "appeal_delay",
    "appeal_detail",
    "appeal_file_download",
    "appeal_new",
    "appeals",
    "my_certification",
    "notice_answer",
    "notice_close",
    "notice_detail",
    "notice_new",
    "participant_detail",
    "register",
    "removal_detail",
    "removal_new",
    "report_acknowledge",
    "report_close",
    "report_detail",
    "report_new",
    "report_request_action",
    "report_respond",
]
