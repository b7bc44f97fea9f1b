"""What the made-up review queue of `seed_scale` looks like: an assumption about the importers who
apply and where their applications stand (sizes, statuses, risk flags, ports), not CBP data, and
their made-up names and addresses."""

from certification.models import ApplicationStatus
from recordkeepers.models import ImporterType, RiskFlag, SizeClass

# An assumption about the importers who apply, not CBP data: most file few entries a year, a few
# file thousands (the size classes are set by `SIZE_CLASS_THRESHOLDS`).
SIZE_MIX = {
    SizeClass.MICRO: 0.60,
    SizeClass.SMALL: 0.27,
    SizeClass.MEDIUM: 0.10,
    SizeClass.LARGE: 0.03,
}
# Most of the queue is waiting for a reviewer or being reviewed.
STATUS_MIX = {
    ApplicationStatus.SUBMITTED: 0.50,
    ApplicationStatus.IN_REVIEW: 0.30,
    ApplicationStatus.INFO_REQUESTED: 0.12,
    ApplicationStatus.RECOMMENDED: 0.08,
}
SUBMITTED_ASSIGNED = 0.10  # assigned by a supervisor, review not started yet
ANSWERED_IN_REVIEW = 0.15  # in review with a request answered; half not yet read by the reviewer
# How likely each risk flag is for a micro importer; larger importers have more (FLAG_SCALE).
FLAG_ODDS = {
    RiskFlag.ADCVD: 0.04,
    RiskFlag.FTA: 0.20,
    RiskFlag.DRAWBACK: 0.03,
    RiskFlag.FTZ: 0.02,
    RiskFlag.PGA: 0.15,
    RiskFlag.RELATED_PARTY: 0.08,
}
FLAG_SCALE = {SizeClass.MICRO: 1.0, SizeClass.SMALL: 1.5, SizeClass.MEDIUM: 2.5, SizeClass.LARGE: 4}
PORT_COUNT = {
    SizeClass.MICRO: (1, 1),
    SizeClass.SMALL: (1, 2),
    SizeClass.MEDIUM: (2, 4),
    SizeClass.LARGE: (3, 10),
}
# Schedule D codes, the busiest first: a port filter matches many applications or few.
PORTS = [
    "2704", "2709", "1001", "5301", "3901", "1601", "5201", "3001", "2809", "1303",
    "1401", "4601", "5501", "2001", "1703", "3002", "0401", "1101", "2304", "3801",
    "2402", "5203", "1801", "0712", "2904", "3401", "4101", "0901", "1512", "2006",
]  # fmt: skip
PORT_WEIGHTS = [1 / (rank + 1) for rank in range(len(PORTS))]
IRS_PREFIXES = ["27", "12", "95", "46", "33", "20", "52", "61", "77", "88"]
NAMES = [
    "Harbor", "Pacific", "Summit", "Atlas", "Granite", "Blue", "Cedar", "Northern", "Meridian",
    "Coastal", "Lakeside", "Prairie", "Keystone", "Liberty", "Eagle", "Pioneer", "Golden", "Iron",
]  # fmt: skip
TRADES = [
    "Imports", "Trading", "Supply", "Goods", "Distribution", "Apparel", "Foods", "Tools", "Home",
]  # fmt: skip
# Syllables of the coined word that makes each importer's name its own ("Eagle Goods Bakoreti
# LLC"): real names do not carry a six-digit serial, whose digits would put the same few trigrams
# in every name the search's trigram index holds.
SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]


def coined_name(number: int) -> str:
    """A word of four syllables, a different one for each number below 70^4 (24 million),
    capitalised. The number is scrambled first (multiplied by a number with no factor in common
    with 70^4), so that neighbouring numbers do not share their syllables."""
    number = number * 2_654_435_761 % len(SYLLABLES) ** 4
    word = ""
    for _ in range(4):
        number, syllable = divmod(number, len(SYLLABLES))
        word += SYLLABLES[syllable]
    return word.capitalize()


FORMS = [("LLC", ImporterType.LLC), ("Inc.", ImporterType.CORPORATION), ("Co.", ImporterType.OTHER)]
CITIES = [
    ("Long Beach", "CA", "90802"),
    ("Newark", "NJ", "07105"),
    ("Houston", "TX", "77029"),
    ("Seattle", "WA", "98134"),
    ("Savannah", "GA", "31408"),
    ("Chicago", "IL", "60638"),
    ("Miami", "FL", "33166"),
    ("Laredo", "TX", "78045"),
]
