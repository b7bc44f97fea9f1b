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
def new_page(request, browser, live_server):
    """Opens a page in a fresh browser context (no cookies: like another device). Every page any of
    them loads must be axe-checked, and none may break the Content Security Policy."""
    opened = []

    def open_page():
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
        opened.append((context, page))
        return page

    yield open_page
    failed = request.node.rep_call.failed if hasattr(request.node, "rep_call") else False
    for number, (context, page) in enumerate(opened):
        if failed:
            ARTIFACTS.mkdir(exist_ok=True)
            name = f"{request.node.name}-{number}.png"
            page.screenshot(path=str(ARTIFACTS / name), full_page=True)
        context.close()
    if not failed:
        for _, page in opened:
            tracker = page.a11y
            unchecked = [url for url in tracker.loaded if url not in tracker.checked]
            assert not unchecked, f"pages loaded without an axe check: {unchecked}"
            assert not tracker.csp_errors, (
                f"Content Security Policy violations: {tracker.csp_errors}"
            )


@pytest.fixture
def page(new_page):
    return new_page()


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


# Keyboard-only use. Each helper moves focus with Tab (proving the control can be reached from the
# keyboard in page order) and then acts with keys; nothing is clicked.


def _has_focus(page, locator) -> bool:
    return locator.evaluate("element => element === document.activeElement")


def tab_to(page, locator, *, limit: int = 250) -> None:
    """Press Tab until `locator` has focus; fail if it cannot be reached."""
    locator.wait_for(state="attached")
    for _ in range(limit):
        if _has_focus(page, locator):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{locator} cannot be reached with the Tab key")


def key_type(page, locator, text: str) -> None:
    """Replace a text field's value by typing."""
    tab_to(page, locator)
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(text)


def key_check(page, locator) -> None:
    tab_to(page, locator)
    if not locator.is_checked():
        page.keyboard.press("Space")
    assert locator.is_checked()


def key_choose(page, radio) -> None:
    """Select a radio button: Tab into its group, then move with the arrow keys."""
    name = radio.get_attribute("name")
    group = page.locator(f'input[type="radio"][name="{name}"]')
    for _ in range(250):
        if page.evaluate("name => document.activeElement?.name === name", name):
            break
        page.keyboard.press("Tab")
    for _ in range(group.count()):
        if radio.is_checked():
            return
        page.keyboard.press("ArrowDown")
    assert radio.is_checked(), f"could not choose {radio} with the arrow keys"


def key_select(page, select, label: str) -> None:
    """Choose an option of a <select> by typing the start of its label."""
    tab_to(page, select)
    page.keyboard.type(label)
    assert select.evaluate("s => s.options[s.selectedIndex].text") == label


def key_press_button(page, locator) -> None:
    """Reach a link or button with Tab and press Enter, waiting for the page it leads to."""
    tab_to(page, locator)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def key_upload(page, file_input, path) -> None:
    """Open the file chooser from the keyboard and choose `path`."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    tab_to(page, file_input)
    # Chromium now and then lets a key pass without opening the chooser on a busy machine; a
    # keyboard user presses again (Enter opens it too), still on the same input.
    for attempt, key in enumerate(["Space", "Enter", "Space", "Enter"]):
        if attempt:
            file_input.focus()
        try:
            with page.expect_file_chooser(timeout=5_000 + 5_000 * attempt) as chooser:
                page.keyboard.press(key)
        except PlaywrightTimeout:
            continue
        chooser.value.set_files(str(path))
        return
    raise AssertionError("The file chooser never opened from the keyboard.")
