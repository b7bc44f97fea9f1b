"""The review workspace's parts, rendered once and kept in the cache while nothing they show
changes.

Most of the workspace's time went on reading and rendering what rarely changes: the rubric's
criteria with their score fields, the applicant's answers, CBP's questions, the history. Each
request now reads the application and one stamp (`selectors.workspace_stamp`), and finds the parts
in the cache under a key made of everything they show depends on: the application's row (its
`version`, which every applicant edit and workflow move bumps, status, reviewer, size class, route
and pinned Handbook edition, which never changes once published), the stamp (the latest event,
which every score, finding and round of questions writes; the evidence files; the rounds marked
read; the admins' scoring settings), what the viewer may do, and the version of people's names
and roles (`selectors.PEOPLE`, moved on when an admin renames someone). Any change gives a new
key, so a part made before it is never shown again (tests/reviews/test_workspace_cache.py, one
test for each kind of change). The stamp is read before the parts, so a part is never older than
its key. The key also holds a digest of the templates, so a release that changes them shows no
part made by the old ones.

The forms' CSRF tokens are per request and never cached: each `<form>` and its token stay in
`reviews/workspace.html`, around the cached fields. A form sent back with its errors is rendered
afresh and not cached.
"""

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from common import cache_versions
from recordkeepers.models import User
from reviews.forms import ComplianceFindingForm, RecommendationForm, RubricScoresForm
from reviews.selectors import PEOPLE, workspace_for
from reviews.selectors.workspace import workspace_stamp
from reviews.views.access import WorkspaceAccess

# Long enough to serve a review's many visits; parts nobody asks for again simply expire.
TIMEOUT = 24 * 60 * 60


@dataclass(frozen=True)
class WorkspaceParts:
    """The workspace as `reviews/workspace.html` puts it together: rendered HTML for each part,
    and the few facts the page shows beside the forms."""

    edition_title: str
    headline: str
    answers_unread: bool
    suggestion: SafeString
    profile: SafeString
    panels: SafeString
    information_requests: SafeString
    finding_fields: SafeString
    recommend_fields: SafeString
    timeline: SafeString


def _rendered(*, user: User, access: WorkspaceAccess, forms_: dict) -> WorkspaceParts:
    """Every part read and rendered now, with the forms the reviewer sent back, if any."""
    application = access.application
    workspace = workspace_for(user=user, application=application, can_score=access.may_score)
    scores_form = forms_.get("scores_form") or RubricScoresForm(
        criteria=workspace.criteria, saved=workspace.saved
    )
    finding = workspace.finding
    context = {
        "application": application,
        "profile_section": workspace.profile_section,
        "terms_section": workspace.terms_section,
        "panels": [
            {
                "demonstration": panel.demonstration,
                "answers": panel.answers,
                "evidence": panel.evidence,
                "result": panel.result,
                "rows": scores_form.rows(panel.demonstration.value),
            }
            for panel in workspace.panels
        ],
        "scores_form": scores_form,
        "suggestion": workspace.suggestion,
        "individuals": workspace.individuals,
        "finding_form": forms_.get("finding_form")
        or ComplianceFindingForm(
            initial={"concern": finding.concern, "notes": finding.notes} if finding else None
        ),
        "recommend_form": forms_.get("recommend_form")
        or RecommendationForm(failing=workspace.suggestion.reasons),
        "can_score": access.may_score,
        "events": workspace.timeline,
        "open_request": workspace.open_request,
        "information_requests": workspace.information_requests,
    }

    def part(name: str) -> SafeString:
        return render_to_string(name, context)

    edition = application.handbook_edition
    return WorkspaceParts(
        edition_title=edition.title if edition else "",
        headline=str(workspace.suggestion.headline),
        answers_unread=workspace.answers_unread,
        suggestion=part("reviews/includes/workspace_suggestion.html"),
        profile=part("reviews/includes/workspace_profile.html"),
        panels=part("reviews/includes/workspace_panels.html"),
        information_requests=part("reviews/includes/information_requests.html"),
        finding_fields=part("reviews/includes/workspace_finding_fields.html"),
        recommend_fields=part("reviews/includes/workspace_recommend_fields.html"),
        timeline=part("certification/includes/timeline.html"),
    )


@functools.cache
def _templates_digest() -> str:
    """The project's templates as this process has them, read once: part of every key, so that
    after a release changes how a part is written, parts rendered by the old templates are not
    shown (nor kept, the key having moved on)."""
    digest = hashlib.sha256()
    for path in sorted((Path(settings.BASE_DIR) / "templates").rglob("*.html")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _key(*, access: WorkspaceAccess) -> str:
    """Everything the parts show depends on, read now: see the module's docstring."""
    application = access.application
    depends_on = (
        application.pk,
        application.version,
        application.status,
        application.assigned_reviewer_id,
        application.size_class,
        application.route,
        application.handbook_edition_id,
        *workspace_stamp(application=application),
        access.may_score,
        cache_versions.current(PEOPLE),  # names shown (reviewer, history), changed by an admin
        _templates_digest(),
    )
    digest = hashlib.sha256(repr(depends_on).encode()).hexdigest()
    return f"workspace-parts:{application.pk}:{digest}"


def workspace_parts(*, user: User, access: WorkspaceAccess, **forms_) -> WorkspaceParts:
    """The workspace's parts for `user`: from the cache while nothing they show has changed, else
    read and rendered (and kept). Forms sent back with errors (`scores_form`, `finding_form`,
    `recommend_form`) are rendered as sent, and such a page is not kept."""
    if forms_:
        return _rendered(user=user, access=access, forms_=forms_)
    key = _key(access=access)
    parts = cache.get(key)
    if parts is None:
        parts = _rendered(user=user, access=access, forms_={})
        cache.set(key, parts, TIMEOUT)
    return parts
