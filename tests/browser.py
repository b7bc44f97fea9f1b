"""Playwright against Debian's Chromium and `live_server`, with an axe-core check of every page.

Use the `page` fixture and call `axe_check(page)` on each page a test reaches: at the end of the test
every page the browser loaded must have been checked, or the test fails.
"""

import json
import os
import shutil
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_SOURCE = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = BASE_DIR / "test-artifacts"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    from tests.conftest import skip_or_fail

    if not (shutil.which(CHROMIUM) or Path(CHROMIUM).exists()):
        skip_or_fail(f"needs Chromium at {CHROMIUM}")
    if not AXE_SOURCE.exists():
        skip_or_fail("needs axe-core from npm (make install)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class A11yTracker:
    def __init__(self):
        self.loaded: list[str] = []
        self.checked: set[str] = set()
        self.csp_errors: list[str] = []


@pytest.fixture
def page(request, browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(10_000)
    tracker = A11yTracker()
    page.a11y = tracker

    def on_load(frame):
        if frame == page.main_frame:
            tracker.loaded.append(frame.url)

    def on_console(message):
        if message.type == "error" and "Content Security Policy" in message.text:
            tracker.csp_errors.append(message.text)

    page.on("framenavigated", on_load)
    page.on("console", on_console)
    yield page
    failed = request.node.rep_call.failed if hasattr(request.node, "rep_call") else False
    if failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    if not failed:
        unchecked = [url for url in tracker.loaded if url not in tracker.checked]
        assert not unchecked, f"pages loaded without an axe check: {unchecked}"
        assert not tracker.csp_errors, f"Content Security Policy violations: {tracker.csp_errors}"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def axe_check(page) -> None:
    """Fail on any WCAG 2.1 A/AA violation axe-core finds on the current page."""
    page.wait_for_load_state("load")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # The app's CSP forbids injected <script> tags; evaluating the source directly is allowed.
        page.evaluate(AXE_SOURCE.read_text())
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    violations = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in results["violations"]
    ]
    assert not violations, (
        f"axe found violations on {page.url}:\n{json.dumps(violations, indent=2)}"
    )
    page.a11y.checked.add(page.url)
