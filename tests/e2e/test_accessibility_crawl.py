"""Every page each kind of user can reach, checked by axe.

The demo's data (`seed_demo`, `seed_demo_participants`) gives every kind of page something to show.
For each persona a browser signs in as the demo does (CBP staff with their authenticator code),
starts from the home page and follows every same-origin link breadth first, GET only, never a link
that signs out, deletes or downloads. Pages are grouped by what they are: the URL's name, the
path's parameters that are not an object's id (a wizard step's slug, an admin model), the state of
the object the page shows (one application page per status) and whether filters are in the query.
At most `PER_KIND` of each are loaded, so the crawl stays short however much data there is. Each
page is run through axe-core with the rules every browser test uses (`tests.browser.WCAG_TAGS`),
and the test fails with every violation of the whole crawl, not only the first.

The error pages are checked too, rendered by Django's real handlers: 404 and 400 and 403 reached in
the browser; the 500 page and the CSRF failure page, which no link reaches, rendered by the handler
Django would call and served to the browser at a same-origin address, so that they load the real
stylesheets.

Then the crawl must have shown every named page of ours (or `NOT_CRAWLED` says why not: a form's
POST action, a file, a page only an email leads to) and, in the admin, each model's changelist, its
add page where the admin may add and its change page where there is a row. No axe rule is turned
off. The test prints the pages it checked per persona; a link that leads to a 403, a 404 or a 5xx
fails it.
"""

import re
import time
from dataclasses import dataclass, field
from io import StringIO
from urllib.parse import urlsplit

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.test import RequestFactory
from django.urls import get_resolver, resolve, reverse
from django.utils.module_loading import import_string

from certification.demo import DEMO_ACCOUNTS, DEMO_ORGANISATIONS, DEMO_PASSWORD
from certification.models import Application, Notification
from recordkeepers.models import StaffRole, User
from tests.e2e.crawling import Crawl, expected_admin_pages, page_kind, url_names
from tests.totp import fresh_totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@dataclass
class Persona:
    name: str
    emails: list[str] = field(default_factory=list)  # signed in as each in turn, one crawl


SECRETS = {account.email: account.totp_secret for account in DEMO_ACCOUNTS}
DEMO_EMAIL = {account.role: account.email for account in DEMO_ACCOUNTS}
PERSONAS = [
    Persona("anonymous"),
    # The owners of the demo's applications in each state before certification: one crawl, so
    # that each application page is seen once per status and the pages they share once.
    Persona(
        "applicant owner",
        [o.owner_email for o in DEMO_ORGANISATIONS if o.application_state != "certified"],
    ),
    Persona("member", [DEMO_EMAIL["member"]]),
    Persona(
        "certified participant",
        [o.owner_email for o in DEMO_ORGANISATIONS if o.application_state == "certified"],
    ),
    Persona("reviewer", [DEMO_EMAIL[StaffRole.REVIEWER]]),
    Persona("supervisor", [DEMO_EMAIL[StaffRole.SUPERVISOR]]),
    Persona("appeals official", [DEMO_EMAIL[StaffRole.APPEALS_OFFICIAL]]),
    Persona("CBP admin", [DEMO_EMAIL[StaffRole.ADMIN]]),
]


def sign_in(page, crawl: Crawl, email: str) -> None:
    page.goto("/accounts/login/")
    crawl.check(page)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.locator("form").get_by_role("button", name=re.compile("sign in", re.I)).click()
    page.wait_for_load_state("load")
    if secret := SECRETS.get(email):
        crawl.check(page)  # the second factor's page
        page.get_by_label(re.compile("code", re.I)).fill(fresh_totp_code(secret))
        page.locator("form").get_by_role("button").first.click()
        page.wait_for_load_state("load")
    assert urlsplit(page.url).path != "/accounts/login/", f"{email} could not sign in"
    crawl.check(page)


def serve(page, path: str, response) -> None:
    """Give the browser `response` (from a Django handler) at `path` on the live server."""
    page.route(
        f"**{path}",
        lambda route: route.fulfill(
            status=response.status_code,
            content_type=response["Content-Type"],
            body=response.content,
        ),
    )


def anonymous_error_pages(page, crawl: Crawl) -> None:
    """404 through the real handler; 500 and the CSRF failure page, which no GET reaches, from
    the handlers Django would call (served without the middleware's headers: axe reads the page)."""
    response = page.goto("/no-such-page/")
    crawl.check(page, expect_status=404, status=response.status)
    request = RequestFactory().get("/")
    serve(page, "/server-error-page", get_resolver().resolve_error_handler(500)(request))
    response = page.goto("/server-error-page")
    crawl.check(page, expect_status=500, status=response.status)
    csrf_failure = import_string(django_settings.CSRF_FAILURE_VIEW)
    serve(page, "/csrf-failure-page", csrf_failure(request, reason=REASON_NO_CSRF_COOKIE))
    response = page.goto("/csrf-failure-page")
    crawl.check(page, expect_status=403, status=response.status)


def member_error_pages(page, crawl: Crawl) -> None:
    """A member asks to answer questions CBP never asked: 403."""
    draft = Application.objects.get(organisation__legal_name=DEMO_ORGANISATIONS[0].legal_name)
    response = page.goto(f"/applications/{draft.url_key}/answer-questions")
    crawl.check(page, expect_status=403, status=response.status)


def supervisor_error_pages(page, crawl: Crawl) -> None:
    """A queue link whose cursor is not the service's: 400; and a 404 with the staff navigation."""
    response = page.goto("/staff/queue/?after=not-a-cursor")
    crawl.check(page, expect_status=400, status=response.status)
    response = page.goto("/staff/no-such-page/")
    crawl.check(page, expect_status=404, status=response.status)


def supervisor_pages(page, crawl: Crawl) -> None:
    """The error pages, and the one page that shows a Social Security number whole: the
    workspace's button opens it (a POST, so no link leads there)."""
    supervisor_error_pages(page, crawl)
    individual = next(o for o in DEMO_ORGANISATIONS if o.social_security_number)
    application = Application.objects.get(organisation__legal_name=individual.legal_name)
    page.goto(reverse("reviews:workspace", args=[application.pk]))
    page.get_by_role("button", name="Show the whole importer numbers").click()
    page.wait_for_load_state("load")
    assert individual.social_security_number in page.content()
    crawl.check(page, opens_personal_data=True)


# In the persona's own session after its crawl (a second sign-in could reuse a TOTP code, which
# allauth refuses).
ERROR_PAGES = {
    "anonymous": anonymous_error_pages,
    "member": member_error_pages,
    "supervisor": supervisor_pages,
}


# Named URLs the crawl does not reach, and why. A new page is reached by a link from the demo's
# pages, or by a direct visit in `direct_visits`, or is listed here with its reason.
POST_ONLY = "a form's action (POST only): its page is the form's"
NOT_CRAWLED = {
    "account_logout": "signs out",
    "account_confirm_login_code": "only after asking for a sign-in code by email",
    "account_confirm_reauthentication_code": "only after asking for a code by email",
    "account_set_password": "only for an account without a password; every demo account has one",
    "account_reset_password_from_key_done": "only after a new password is set (POST)",
    "healthz": "the load balancer's health check, not a page",
    "certification:application-start": POST_ONLY,
    "certification:application-continue": "a redirect to the step to continue, which is checked",
    "certification:evidence-download": "a file",
    "certification:letter-download": "a file",
    "certification:evidence-replace": "the demo's draft has no evidence file to replace",
    "participants:appeal-file": "a file",
    "participants:appeal-new": "the demo's denial and removal are already appealed",
    "participants:appeal-decide": POST_ONLY,
    "participants:appeal-delay": POST_ONLY,
    "participants:notice-answer": POST_ONLY,
    "participants:notice-close": POST_ONLY,
    "participants:report-acknowledge": POST_ONLY,
    "participants:report-close": POST_ONLY,
    "participants:report-request-action": POST_ONLY,
    "participants:report-respond": POST_ONLY,
    "notifications:mark-all-read": POST_ONLY,
    "notifications:mark-read": POST_ONLY,
    "recordkeepers:invitation-accept": "from an emailed invitation; the demo has none open",
    "recordkeepers:invitation-withdraw": POST_ONLY,
    "recordkeepers:member-remove": POST_ONLY,
    "recordkeepers:organisation-create": "only for an account without an organization",
    "reporting:export-request": POST_ONLY,
    "reporting:export-queue": POST_ONLY,
    "reporting:export": "the demo has no export: tests/e2e/test_reports_journey.py asks for one "
    "and checks its page",
    "reporting:export-download": "a file",
    "reviews:acknowledge-answers": POST_ONLY,
    "reviews:bulk-assign": POST_ONLY,
    "reviews:declare": POST_ONLY,
    "reviews:letter-retry": POST_ONLY,
    "reviews:recommend": POST_ONLY,
    "reviews:record-finding": POST_ONLY,
    "reviews:save-scores": POST_ONLY,
    "reviews:score-totals": "a fragment of the workspace, fetched by htmx",
    "reviews:sign-off-preview": "a PDF",
    "mfa_deactivate_totp": "behind reauthentication, whose pages are checked",
    "mfa_generate_recovery_codes": "behind reauthentication, whose pages are checked",
    "mfa_view_recovery_codes": "behind reauthentication, whose pages are checked",
    "mfa_download_recovery_codes": "a file",
}


def direct_visits(email: str | None) -> tuple[str, ...]:
    """Pages no link of ours leads to: those an email leads to, and a message (its link in the
    list is a form that marks it read)."""
    if email is None:
        user = User.objects.get(email=DEMO_EMAIL["owner"])
        address = EmailAddress.objects.get(user=user, primary=True)
        return (
            reverse("account_email_verification_sent"),
            reverse("account_confirm_email", args=[EmailConfirmationHMAC(address).key]),
            reverse("account_inactive"),
            reverse("account_reset_password_done"),
            reverse(
                "account_reset_password_from_key",
                kwargs={
                    "uidb36": user_pk_to_url_str(user),
                    "key": default_token_generator.make_token(user),
                },
            ),
        )
    message = Notification.objects.filter(recipient__email=email).order_by("-pk").first()
    return (reverse("notifications:detail", args=[message.pk]),) if message else ()


@pytest.fixture
def demo(settings, handbook_in_force, letter_templates):
    """The demo's accounts and records. The seeding commands refuse to run without DEBUG (they
    publish passwords); the pages are then served as in production, DEBUG off."""
    for role in StaffRole:  # a transactional test's flush removed the migration's groups
        Group.objects.get_or_create(name=role.value)
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo_participants", stdout=StringIO())
    settings.DEBUG = False


def test_every_page_each_persona_reaches_has_no_axe_violations(new_page, demo):
    started = time.monotonic()
    crawls = {persona.name: Crawl(persona.name) for persona in PERSONAS}
    took = {}
    for persona in PERSONAS:
        crawl, persona_started = crawls[persona.name], time.monotonic()
        if not persona.emails:
            page = new_page()
            page.goto("/")
            crawl.check(page)
            crawl.run(page, also=direct_visits(None))
        for email in persona.emails:
            page = new_page()
            sign_in(page, crawl, email)
            crawl.run(page, also=("/", *direct_visits(email)))
        if persona.name in ERROR_PAGES:
            ERROR_PAGES[persona.name](page, crawl)
        took[persona.name] = time.monotonic() - persona_started

    summary = ", ".join(
        f"{name}: {len(crawl.checked)} ({took.get(name, 0):.0f} s)"
        for name, crawl in crawls.items()
    )
    print(f"\naxe-checked pages per persona: {summary}; {time.monotonic() - started:.0f} s")
    for crawl in crawls.values():
        print(f"[{crawl.persona}]", *crawl.checked, sep="\n  ")
        print(
            *crawl.refused, *(f"[{crawl.persona}] {url}: a file" for url in crawl.files), sep="\n"
        )
    masked_on = [url for crawl in crawls.values() for url in crawl.masked_on]
    assert masked_on, "no page showed the demo's Social Security number, masked or not"
    failures = [failure for crawl in crawls.values() for failure in crawl.failures]
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures)
    # Every page was shown and checked: each named URL of ours, and each admin model's pages.
    reached = {
        resolve(urlsplit(url).path).view_name
        for crawl in crawls.values()
        for url in crawl.checked + crawl.files
        if page_kind(url)[0] != "unresolved"
    }
    ours = {name for name in url_names(get_resolver()) if not name.startswith("admin:")}
    missed = ours - reached - set(NOT_CRAWLED)
    assert not missed, f"pages no persona reached (link them, or say why in NOT_CRAWLED): {missed}"
    stale = reached & set(NOT_CRAWLED)
    assert not stale, f"reached after all, take them out of NOT_CRAWLED: {stale}"
    admin_pages = expected_admin_pages(User.objects.get(email=DEMO_EMAIL[StaffRole.ADMIN]))
    assert not admin_pages - reached, f"admin pages not reached: {admin_pages - reached}"
