"""How a reviewer's scores become a suggestion. Pure functions: no database, nothing stored.

The rules, in plain words (this module is cited on screen and in the documentation):

1. A reviewer scores each Handbook criterion that applies to the application: 0 absent, 1 partial,
   2 adequate, 3 strong; or marks it not applicable (N/A). A criterion marked N/A counts for nothing:
   it is left out of both the points and the maximum.
2. Each criterion has a weight from 1 to 5. A demonstration's points are the sum of weight × score
   over its applicable criteria; its maximum is the sum of weight × 3. The ratio is points ÷ maximum.
3. How much of the maximum "meets" a demonstration depends on the size of the importing business,
   because the statute (19 U.S.C. 1509(f)(2)) asks CBP to take size, nature and volume into account.
   The defaults are micro 50%, small 60%, medium 63%, large 66%; administrators change them.
   A risk flag the applicant declared may raise its threshold by an amount administrators set
   (AD/CVD goods by 5 points, say); the explanation names each raise. The thresholds in force
   when the review started (first claim or assignment) are the ones its suggestion uses.
   "Adequate" (2) means a criterion meets what the Handbook expects of an importer of that size,
   so "adequate" on every criterion (2/3 of the maximum, 66.7%) meets every size class by
   default; a smaller importer is allowed more criteria below "adequate".
4. For one demonstration, in this order:
   - a criterion that applies but has no score yet: **incomplete**;
   - every criterion not applicable: **not applicable** (the demonstration does not block anything);
   - a must-pass criterion scored 0 (absent): **not met**, however high the other scores;
   - the ratio at or above the size class's threshold: **met**, unless a must-pass criterion is only
     partly shown (scored 1), which makes it **needs information** at best;
   - the ratio below the threshold but within the information band (default 15 percentage points):
     **needs information**: ask the applicant rather than deny;
   - otherwise **not met**.
   A ratio exactly equal to the threshold is met: the comparison is exact (points ≥ threshold ×
   maximum, in rational arithmetic), so no rounding decides a case on the boundary. The ratio is
   shown to one decimal, rounded half up, except where that would carry it across a threshold
   shown beside it: then it is rounded towards the side it is on (or given another decimal), so
   the figure on screen or in a letter never contradicts the finding.
5. Over the whole application: any demonstration incomplete → **incomplete** (finish scoring first);
   any demonstration not met, or a concern about the applicant's compliance with the customs laws →
   **deny**, with one reason per ground; otherwise any demonstration needing information →
   **request information**; otherwise **certify**, under the route the applicant chose (general
   requirements or a negotiated alternative program).

A denial's reasons cite 19 CFR 163.13(b)(1)(i) (a requirement of 163.12(b)(3) is not met; one reason
per demonstration) or 163.13(b)(1)(iii) (in CBP's judgment the applicant appears not to comply with
the customs laws). The second comes from the reviewer's separate compliance finding, never from
scores. CBP's workload is a scheduling matter (see `reviews/priority.py`) and never a reason.

The suggestion is only a suggestion: the reviewer recommends and a supervisor decides.
`differs_from_suggestion` tells the screens when a recommendation departs from it.
"""

from reviews.scoring.demonstrations import (
    DemonstrationResult,
    demonstration_result,
    results_by_demonstration,
)
from reviews.scoring.scores import (
    FINDING_RANK,
    GROUND_NOT_IN_COMPLIANCE,
    GROUND_REQUIREMENT_NOT_MET,
    MAX_SCORE,
    MAX_WEIGHT,
    MIN_WEIGHT,
    ROUTE_LABELS,
    ROUTES,
    SCORE_LABELS,
    CriterionScore,
    Finding,
    Outcome,
    Raise,
    Thresholds,
    shown_percent,
)
from reviews.scoring.suggestion import Reason, Suggestion, differs_from_suggestion, overall

__all__ = [
    "FINDING_RANK",
    "GROUND_NOT_IN_COMPLIANCE",
    "GROUND_REQUIREMENT_NOT_MET",
    "MAX_SCORE",
    "MAX_WEIGHT",
    "MIN_WEIGHT",
    "ROUTES",
    "ROUTE_LABELS",
    "SCORE_LABELS",
    "CriterionScore",
    "DemonstrationResult",
    "Finding",
    "Outcome",
    "Raise",
    "Reason",
    "Suggestion",
    "Thresholds",
    "demonstration_result",
    "differs_from_suggestion",
    "overall",
    "results_by_demonstration",
    "shown_percent",
]
