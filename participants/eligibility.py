"""Whether a participant's failure to produce a demanded record gets a written notice of violation
instead of a monetary penalty (19 U.S.C. 1509(g); 19 CFR 163.12(d)): decided from the data, with
the reason for each condition. Pure.

The conditions: the recordkeeper is certified and active in the program; it is generally in
compliance (here: no corrective action CBP asked for is overdue, and no earlier notice's answer
is overdue); the failure was not willful (CBP's finding on the case); and it is not a repeated
violation (fewer earlier failures to produce within the window than the number admins set make a
violation "repeated": the statute lets the regulations define it, and the law is silent on the
numbers, so both are settings).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Facts:
    active: bool  # certified and in the program (active or reinstated)
    status_label: str  # the participant's status, as people read it
    willful: bool
    earlier_failures: int  # failures to produce recorded within the window before this demand
    repeat_after: int  # this many earlier failures within the window make the next repeated
    window_days: int
    overdue_corrective_actions: int
    overdue_notice_answers: int


@dataclass(frozen=True)
class Condition:
    condition: str
    met: bool
    why: str

    def as_dict(self) -> dict[str, object]:
        return {"condition": self.condition, "met": self.met, "why": self.why}


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    conditions: list[Condition]

    @property
    def unmet(self) -> list[Condition]:
        return [c for c in self.conditions if not c.met]


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def decide(facts: Facts) -> Eligibility:
    conditions = [
        Condition(
            "Certified and active in the program",
            facts.active,
            f"The participant is {facts.status_label.lower()}.",
        ),
        Condition(
            "Generally in compliance",
            facts.overdue_corrective_actions == 0 and facts.overdue_notice_answers == 0,
            (
                "No corrective action CBP asked for, and no answer to an earlier notice, is "
                "overdue."
                if facts.overdue_corrective_actions == 0 and facts.overdue_notice_answers == 0
                else f"{_plural(facts.overdue_corrective_actions, 'corrective action')} and "
                f"{_plural(facts.overdue_notice_answers, 'answer')} to earlier notices are "
                "overdue."
            ),
        ),
        Condition(
            "Not willful",
            not facts.willful,
            "CBP found the failure willful." if facts.willful else "CBP found it not willful.",
        ),
        Condition(
            "Not a repeated violation",
            facts.earlier_failures < facts.repeat_after,
            f"{_plural(facts.earlier_failures, 'earlier failure')} to produce a record in the "
            f"{facts.window_days} days before this demand; "
            f"{_plural(facts.repeat_after, 'earlier failure')} within that window make a "
            "violation repeated.",
        ),
    ]
    return Eligibility(all(c.met for c in conditions), conditions)
