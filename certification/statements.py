"""The statements a federal form must show its respondents, and whether they are in order.

- The Paperwork Reduction Act statement (44 U.S.C. 3506(c)(1)(B); 5 CFR 1320.5(b) and 1320.8(b)(3)):
  the OMB control number and its expiration date, the reasons for and use of the collection, the
  estimated burden and where to send comments on it, whether a response is voluntary or required
  to obtain a benefit, confidentiality, and that no one need respond without a valid number.
- The Privacy Act statement (5 U.S.C. 552a(e)(3)): authority, principal purposes, routine uses
  (those of the System of Records Notice, which the deploying office names), and whether
  disclosure is voluntary and the effect of not giving the information.
- The false-statements warning (18 U.S.C. 1001) at the attestation, which is also stored with the
  signed attestation so the record shows what was shown.

The numbers are OMB's and the Privacy Office's to give, so they are settings (config/settings.py,
"Federal statements"); this module reads them and says what is missing or out of date.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings

FALSE_STATEMENTS_WARNING = (
    "Warning: Knowingly and willfully making a materially false, fictitious or fraudulent statement "
    "or representation, or concealing a material fact, in this application is a federal crime "
    "punishable by a fine, imprisonment of up to 5 years, or both (18 U.S.C. 1001)."
)

# What the Privacy Act statement says when the deploying office has not named the notice.
SORN_NOT_SET = (
    "the System of Records Notice that the office running this service names for it "
    "(not yet set for this installation)"
)


@dataclass(frozen=True)
class PaperworkStatement:
    control_number: str
    expires_on: date | None
    burden_hours: float
    comments_address: str
    today: date

    @property
    def expired(self) -> bool:
        """OMB's approval has lapsed: the number is no longer currently valid (5 CFR 1320.5(b))."""
        return self.expires_on is not None and self.expires_on < self.today

    @property
    def complete(self) -> bool:
        return bool(self.control_number) and self.expires_on is not None


def paperwork_statement(*, today: date) -> PaperworkStatement:
    return PaperworkStatement(
        control_number=settings.OMB_CONTROL_NUMBER.strip(),
        expires_on=settings.OMB_EXPIRATION_DATE,
        burden_hours=settings.PRA_BURDEN_HOURS,
        comments_address=settings.PRA_COMMENTS_ADDRESS,
        today=today,
    )


def privacy_act_sorn() -> str:
    """The System of Records Notice to name, or an honest sentence saying it is not set."""
    return settings.PRIVACY_ACT_SORN.strip() or SORN_NOT_SET
