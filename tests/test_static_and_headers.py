"""What every page carries for browsers and search engines (the Permissions-Policy header, a meta
description), and the stylesheet built from USWDS's Sass: everything the templates use, little else."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse

from certification import workflow
from certification.wizard.steps import CHECK, PROFILE
from reviews.services import review_claim
from tests.factories import draft_application
from tests.reviews.test_letter_reasons import recommended_denial

BASE_DIR = Path(__file__).resolve().parent.parent
BUILT_CSS = BASE_DIR / "static" / "vendor" / "uswds" / "css" / "uswds-rkcp.min.css"
FULL_USWDS_CSS = BASE_DIR / "node_modules" / "@uswds" / "uswds" / "dist" / "css" / "uswds.css"
DEFAULT_DESCRIPTION = (
    "Apply for, review and manage certification in U.S. Customs and Border Protection’s "
    "Recordkeeping Compliance Program (19 CFR 163.12)."
)


# --- Permissions-Policy ------------------------------------------------------------------------
def _policy(response) -> dict[str, str]:
    return dict(part.split("=", 1) for part in response["Permissions-Policy"].split(", "))


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/no-such-page/", "/healthz"])
def test_every_response_refuses_the_browser_features_the_service_does_not_use(client, path):
    policy = _policy(client.get(path))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "serial", "midi"):
        assert policy[feature] == "()", feature


# --- Meta descriptions -------------------------------------------------------------------------
class _Meta(HTMLParser):
    def __init__(self):
        super().__init__()
        self.descriptions: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "meta" and attributes.get("name") == "description":
            self.descriptions.append(attributes.get("content") or "")


def description(response) -> str:
    assert response.status_code == 200, response.status_code
    parser = _Meta()
    parser.feed(response.text)
    assert len(parser.descriptions) == 1, parser.descriptions
    return parser.descriptions[0]


@pytest.mark.django_db
def test_the_public_and_main_pages_each_describe_themselves_in_a_sentence(
    client, as_staff, owner_a, reviewer, supervisor
):
    application = draft_application(owner=owner_a)
    in_review = draft_application(owner=owner_a)
    workflow.application_submit(application=in_review, actor=owner_a)
    review_claim(application=in_review, actor=reviewer, no_conflict=True)
    recommended = recommended_denial(owner=owner_a, reviewer=reviewer)

    found = {
        "start": description(client.get(reverse("home"))),
        "sign in": description(client.get(reverse("account_login"))),
        "sign up": description(client.get(reverse("account_signup"))),
    }
    client.force_login(owner_a)
    found |= {
        "dashboard": description(client.get(reverse("dashboard"))),
        "wizard step": description(
            client.get(reverse("certification:wizard-step", args=[application.pk, PROFILE]))
        ),
        "check your answers": description(
            client.get(reverse("certification:wizard-step", args=[application.pk, CHECK]))
        ),
        "application": description(
            client.get(reverse("certification:application-detail", args=[application.pk]))
        ),
    }
    staff = as_staff(reviewer)
    found |= {
        "staff dashboard": description(staff.get(reverse("reviews:dashboard"))),
        "queue": description(staff.get(reverse("reviews:queue"))),
        "workspace": description(staff.get(reverse("reviews:workspace", args=[in_review.pk]))),
    }
    staff = as_staff(supervisor)
    found["sign-off"] = description(staff.get(reverse("reviews:sign-off", args=[recommended.pk])))

    for page, text in found.items():
        # One sentence, short enough for a search result, and the page's own.
        assert text != DEFAULT_DESCRIPTION, page
        assert 50 <= len(text) <= 160, (page, len(text))
        assert text.endswith(".") and text.count(". ") == 0, (page, text)
    assert len(set(found.values())) == len(found)


@pytest.mark.django_db
def test_a_page_without_its_own_description_has_the_services(client, owner_a):
    client.force_login(owner_a)
    response = client.get(reverse("account_change_password"))
    assert description(response) == DEFAULT_DESCRIPTION


# --- The USWDS stylesheet built from Sass -------------------------------------------------------
def _built_css() -> str:
    if not BUILT_CSS.exists():
        pytest.fail("static/vendor is missing: run `make install` (npm run build)")
    return BUILT_CSS.read_text()


def _classes_in(css: str) -> set[str]:
    """The class names a stylesheet's selectors name ("tablet\\:grid-col-6" as tablet:grid-col-6)."""
    return {
        name.replace("\\:", ":") for name in re.findall(r"\.((?:[a-z-]+\\:)?-?[a-z_][\w-]*)", css)
    }


def _classes_the_service_uses() -> set[str]:
    """Every class named in a class attribute of a template, or in a class string in our scripts
    and Python (form widgets), less what a template tag inserts."""
    sources = [*BASE_DIR.glob("templates/**/*.html"), *BASE_DIR.glob("static/js/*.js")]
    for app in ("certification", "reviews", "participants", "recordkeepers", "common"):
        sources += BASE_DIR.glob(f"{app}/**/*.py")
    used: set[str] = set()
    for source in sources:
        text = source.read_text()
        for value in re.findall(r"""class(?:Name)?\s*[=:]\s*["']([^"']*)["']""", text):
            value = re.sub(r"{%.*?%}|{{.*?}}", " ", value)
            used |= {name for name in value.split() if re.fullmatch(r"[a-z][\w:-]*", name)}
    return used


def test_the_stylesheet_has_every_uswds_class_a_template_uses():
    if not FULL_USWDS_CSS.exists():
        pytest.fail("node_modules is missing: run `make install` (npm ci)")
    uswds = _classes_in(FULL_USWDS_CSS.read_text())
    built = _classes_in(_built_css())
    used = _classes_the_service_uses() & uswds
    assert len(used) > 150  # the scan finds the templates' classes
    missing = sorted(used - built)
    assert not missing, (
        f"USWDS classes used but not built: {missing}. Add their package or utility to "
        "assets/scss/uswds-rkcp.scss."
    )


def test_the_stylesheet_has_the_components_in_use_and_not_the_others():
    css = _built_css()
    for selector in (
        ".usa-banner__button",
        ".usa-header--basic",
        ".usa-accordion__button",
        ".usa-alert--warning",
        ".usa-step-indicator__segment--current",
        ".usa-table--stacked",
        ".usa-tag",
        ".usa-file-input",
        ".usa-identifier__required-link",
        ".usa-sr-only",
        ".margin-top-1",
        r".tablet\:grid-col-6",
        r".desktop\:grid-col-8",
    ):
        assert selector in css, selector
    for selector in (
        # Components no template uses, and the utilities' responsive and hover variants.
        ".usa-modal",
        ".usa-tooltip",
        ".usa-date-picker",
        ".usa-combo-box",
        ".usa-site-alert",
        ".usa-in-page-nav",
        ".usa-footer",
        r".tablet\:margin-top-1",
        r".hover\:bg-primary",
    ):
        assert selector not in css, selector
    assert len(css) < 300_000  # the full uswds.min.css is over 500 KB


def test_the_demo_storage_names_hashed_files_with_debug_on_too(settings, tmp_path):
    """`make demo` runs with DEBUG on; Django's manifest storage would then name the plain file,
    which WhiteNoise cannot cache for ever."""
    from whitenoise.storage import CompressedManifestStaticFilesStorage

    from common.staticfiles import HashedStaticFilesStorage

    (tmp_path / "staticfiles.json").write_text(
        '{"paths": {"css/rkcp.css": "css/rkcp.0123456789ab.css"}, "version": "1.1", "hash": "x"}'
    )
    settings.DEBUG = True
    storage = HashedStaticFilesStorage(location=tmp_path, base_url="/static/")
    assert storage.url("css/rkcp.css") == "/static/css/rkcp.0123456789ab.css"
    plain = CompressedManifestStaticFilesStorage(location=tmp_path, base_url="/static/")
    assert plain.url("css/rkcp.css") == "/static/css/rkcp.css"
