"""The dates the program runs on, from the day something happened and the window CBP's admins set
(`WorkloadSettings`: the days to answer a request for information, the days to appeal).

Pure: callers read the window from the settings row and pass it in, so a test or a letter can say
exactly which window it used. A window an admin changes applies to what is decided from then on;
a decision keeps the deadline it was given.
"""

from datetime import date, timedelta


def appeal_deadline(*, issued: date, window_days: int) -> date:
    """The last day an appeal of a denial (or, later, a removal) issued on `issued` may be
    received: 19 CFR 163.13(d) gives 30 calendar days after issuance."""
    return issued + timedelta(days=window_days)


def information_response_due(*, requested: date, window_days: int) -> date:
    """The day an applicant's answers to CBP's questions asked on `requested` are due."""
    return requested + timedelta(days=window_days)
