"""A denial's reasons as its letter prints them, and as the supervisor reads them before signing.

`Decision.reasons` holds each reason as the reviewer wrote it: {ground, demonstration, text,
remedy}, `text` being what CBP found and `remedy` what would meet the requirement (rows from
before reviewers wrote the remedy have only the first three, some only `text`). The scoring's own
reasons, with their points and percentages, are CBP's record and never reach a letter.
"""

from certification.models import Demonstration

# The grounds for denying an application (19 CFR 163.13(b)(1)), in our words: a letter cites the
# paragraph and says what it means, without quoting the regulation.
GROUNDS = {
    "163.13(b)(1)(i)": "a requirement of 19 CFR 163.12(b)(3) is not met",
    "163.13(b)(1)(ii)": "a circumstance that would justify removal from the program",
    "163.13(b)(1)(iii)": "in CBP's judgment, the applicant appears not to comply with the customs "
    "laws and regulations",
}
# What a reason that concerns no one demonstration is about, by its ground.
GROUND_HEADINGS = {
    "163.13(b)(1)(ii)": "A circumstance that would justify removal",
    "163.13(b)(1)(iii)": "Compliance with the customs laws and regulations",
}


def demonstration_name(code: str) -> str:
    """A demonstration's plain name with its paragraph: "Designated dependable individuals
    (19 CFR 163.12(b)(3)(iv))". The labels begin with "(iv) ", which the citation replaces."""
    label = str(Demonstration(code).label)
    name = label.split(") ", 1)[1] if label.startswith("(") else label
    return f"{name} (19 CFR 163.12(b)(3)({code}))"


def ground_citation(ground: str) -> str:
    """ "19 CFR 163.13(b)(1)(i) (a requirement of 19 CFR 163.12(b)(3) is not met)" """
    meaning = GROUNDS.get(ground)
    return f"19 CFR {ground}" + (f" ({meaning})" if meaning else "")


def reason_item(reason: dict) -> dict[str, str | list[str]]:
    """A denial's reason as the letter prints it: the demonstration's plain name, what CBP found
    (the reviewer's words), what would meet the requirement, and the ground. A reason stored
    before reviewers wrote what would meet it has only its text, and prints as that."""
    ground = reason.get("ground") or ""
    demonstration = reason.get("demonstration") or ""
    if demonstration in Demonstration.values:
        heading = demonstration_name(demonstration)
    else:
        heading = GROUND_HEADINGS.get(ground, "")
    remedy = (reason.get("remedy") or "").strip()
    lines = [
        f"What we found: {reason.get('text', '').strip()}" if remedy else reason.get("text", "")
    ]
    if remedy:
        lines.append(f"What would meet the requirement: {remedy}")
    if ground:
        lines.append(f"Ground for denial: {ground_citation(ground)}.")
    return {"heading": heading, "lines": lines}
