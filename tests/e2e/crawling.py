"""The crawl behind tests/e2e/test_accessibility_crawl.py: what kind of page an address is, the
breadth-first walk of one persona's links, and axe-core run on each page it loads."""

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import urlsplit, urlunsplit

from django.contrib import admin
from django.db.models import Q
from django.test import RequestFactory
from django.urls import Resolver404, URLResolver, resolve

from certification.demo import DEMO_SOCIAL_SECURITY_NUMBER
from certification.models import Application
from participants.models import (
    Appeal,
    ComplianceReport,
    NoticeOfViolation,
    Participant,
    Removal,
)
from recordkeepers.validators import masked
from tests.browser import AXE_SOURCE, WCAG_TAGS

PER_KIND = 1
# The demo's Social Security number as it must never be shown: as written, and as digits only.
DEMO_SSN_IN_CLEAR = (DEMO_SOCIAL_SECURITY_NUMBER, DEMO_SOCIAL_SECURITY_NUMBER.replace("-", ""))
# Never followed: signing out ends the crawl's session, a delete link's page is a step towards
# deleting, and files are not pages.
SKIPPED = re.compile(
    r"/logout|/accounts/logout/|download|/delete/|letter-preview|^/static/|^/media/"
    r"|\.(pdf|csv|xlsx|zip|txt|json|png|jpe?g|gif|svg|ico)$",
    re.IGNORECASE,
)
# Path parameters naming one object among many: pages differing only in them are the same kind.
OBJECT_IDS = {"pk", "object_id", "evidence_pk", "token", "key", "uidb36"}
# The admin's pages that are the same template for every model: one of each is enough. Each
# model's changelist, add and change pages are checked, since their fields differ.
GENERIC_ADMIN = ("_history", "app_list", "_password_change")


def _application(key) -> Application | None:
    key = str(key)
    return Application.objects.filter(Q(pk=int(key)) if key.isdigit() else Q(reference=key)).first()


# The object a page is about, by the URL name's namespace and the start of its name, whose status
# makes it a different page (a draft's page is not a certified application's).
SUBJECTS = {
    ("certification", ""): _application,
    ("reviews", "letter-retry"): None,
    ("reviews", ""): _application,
    ("participants", "report"): lambda pk: ComplianceReport.objects.filter(pk=pk).first(),
    ("participants", "notice-new"): lambda pk: Participant.objects.filter(pk=pk).first(),
    ("participants", "notice"): lambda pk: NoticeOfViolation.objects.filter(pk=pk).first(),
    ("participants", "removal-new"): lambda pk: Participant.objects.filter(pk=pk).first(),
    ("participants", "removal"): lambda pk: Removal.objects.filter(pk=pk).first(),
    ("participants", "participant"): lambda pk: Participant.objects.filter(pk=pk).first(),
    ("participants", "appeal-new"): _application,
    ("participants", "appeal"): lambda pk: Appeal.objects.filter(pk=pk).first(),
}


def _state(namespace: str, url_name: str, kwargs: dict) -> str:
    if "pk" not in kwargs:
        return ""
    for (space, prefix), subject in SUBJECTS.items():
        if space == namespace and url_name.startswith(prefix):
            found = subject(kwargs["pk"]) if subject else None
            return str(getattr(found, "status", ""))
    return ""


def normalise(url: str) -> str:
    """The address without its fragment; the admin's without its query (sorting, filters and
    pop-ups render the same templates as the plain changelist and form)."""
    parts = urlsplit(url)
    query = "" if parts.path.startswith("/admin/") else parts.query
    return urlunsplit(("", "", parts.path, query, ""))


def page_kind(url: str) -> tuple:
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return ("unresolved", parts.path)
    for generic in GENERIC_ADMIN:
        if match.namespace == "admin" and (match.url_name or "").endswith(generic):
            return ("admin", generic)
    others = tuple(sorted((k, str(v)) for k, v in match.kwargs.items() if k not in OBJECT_IDS))
    state = _state(match.namespace, match.url_name or "", match.kwargs)
    return (match.view_name, others, state, bool(parts.query))


@cache
def axe_source() -> str:
    return AXE_SOURCE.read_text()


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.x A/AA violations on the current page, the rules `tests.browser.axe_check`
    runs; returned rather than asserted, so that the crawl reports every page at once. Only the
    violations are worked out in full (`resultTypes`: axe's documented way to skip building
    selectors for every passing node), which makes a page's check several times faster."""
    page.wait_for_load_state("load")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    page.a11y.checked.add(page.url)
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:10]}
        for v in results["violations"]
    ]


@dataclass
class Crawl:
    persona: str
    checked: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    kinds: Counter = field(default_factory=Counter)
    seen: set[str] = field(default_factory=set)
    files: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    masked_on: list[str] = field(default_factory=list)

    def check(
        self,
        page,
        *,
        expect_status: int | None = None,
        status: int | None = None,
        opens_personal_data: bool = False,
    ) -> None:
        """axe the page the browser is on (once per address per persona). `opens_personal_data`:
        the one page that shows a Social Security number whole."""
        if expect_status is not None and status != expect_status:
            self.failures.append(
                f"[{self.persona}] {page.url}: status {status}, expected {expect_status}"
            )
        self.reached(page.url)
        if page.url in page.a11y.checked:
            return
        self.checked.append(page.url)
        if not opens_personal_data:
            self.read_for_personal_data(page)
        for violation in axe_violations(page):
            self.failures.append(
                f"[{self.persona}] {page.url}\n  {violation['id']}: {violation['help']}\n"
                + "".join(f"    {json.dumps(target)}\n" for target in violation["nodes"])
            )

    def read_for_personal_data(self, page) -> None:
        """The demo's Social Security number is masked on every page a link reaches (the one page
        that opens it is a POST of the review workspace)."""
        text = page.content()
        if any(form in text for form in DEMO_SSN_IN_CLEAR):
            self.failures.append(f"[{self.persona}] {page.url}: a Social Security number in clear")
        if masked(DEMO_SOCIAL_SECURITY_NUMBER) in text:
            self.masked_on.append(page.url)

    def visit(self, page, url: str, *, linked_from: str) -> None:
        response = page.goto(url)
        found = f"[{self.persona}] {url}: a link on {linked_from} leads to a {response.status}"
        if response.status >= 400:
            # A link leads only where its reader may go: a 403 or 404 behind a link shown to them
            # is a page offering what it cannot give (the error page it gives is checked too).
            self.failures.append(found)
            self.refused.append(found)
        if not response.header_value("content-type").startswith("text/html"):
            # A file (a PDF preview) shown by the browser's viewer: not a page of ours to check.
            self.files.append(url)
            page.a11y.checked.add(page.url)
            return
        self.check(page)

    def links(self, page) -> list[str]:
        origin = urlsplit(page.url).netloc
        return [
            link
            for link in page.eval_on_selector_all(
                "a[href]:not([download])", "links => links.map(a => a.href)"
            )
            if urlsplit(link).scheme in ("http", "https") and urlsplit(link).netloc == origin
        ]

    def reached(self, url: str) -> None:
        url = normalise(url)
        if url not in self.seen:
            self.seen.add(url)
            self.kinds[page_kind(url)] += 1

    def run(self, page, *, also: tuple[str, ...] = ()) -> None:
        """Breadth first from the page the browser is on, at most PER_KIND pages of each kind."""
        self.reached(page.url)
        queue = [(link, page.url) for link in [*self.links(page), *also]]
        while queue:
            link, linked_from = queue.pop(0)
            url = normalise(link)
            if url in self.seen or SKIPPED.search(url) or self.kinds[page_kind(url)] >= PER_KIND:
                continue
            self.reached(url)
            self.visit(page, url, linked_from=normalise(linked_from))
            self.reached(page.url)  # where a redirect led
            here = page.url
            queue.extend(
                (link, here) for link in self.links(page) if normalise(link) not in self.seen
            )


def url_names(resolver, namespace: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern, inner)
        elif pattern.name:
            yield namespace + pattern.name


def expected_admin_pages(admin_user) -> set[str]:
    """Each admin model's changelist, its add page where the admin may add, and its change page
    where there is a row to change."""
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    expected = {"admin:index"}
    for app in admin.site.get_app_list(request):
        for entry in app["models"]:
            model = entry["model"]
            name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
            expected.add(f"{name}_changelist")
            if entry["add_url"]:
                expected.add(f"{name}_add")
            if model._default_manager.exists():
                expected.add(f"{name}_change")
    return expected
