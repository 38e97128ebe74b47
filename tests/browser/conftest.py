"""The browser tests' set-up: Debian's chromium driven by Playwright against the live server,
with axe-core from node_modules auditing the pages a test visits.

Nothing is fetched at run time. A missing chromium or axe-core fails every browser test with
the command that installs it, so a machine without them cannot pass the suite by skipping it.
"""

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
DESKTOP = {"width": 1280, "height": 900}

# axe.run returns violations with only what a failure message needs.
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return result.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    targets: violation.nodes.map((node) => node.target.join(" ")),
  }));
}"""


def describe_violations(url: str, violations: list[dict]) -> str:
    lines = [f"axe found {len(violations)} WCAG 2.2 A/AA violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(f"    at {target}" for target in violation["targets"])
    return "\n".join(lines)


@dataclass
class Tab:
    """A page in its own browser context, and what it did: the documents it loaded, which of
    them axe audited, every URL it requested and every console error."""

    page: Page
    origin: str
    javascript: bool
    documents: list[str] = field(default_factory=list)
    audited: set[int] = field(default_factory=set)
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # Other origins a test lets the tab reach, after the person asked (media from a network).
    allowed_origins: set[str] = field(default_factory=set)

    def url(self, path: str) -> str:
        return self.origin + path

    def log_in_as(self, user) -> None:
        """Start a session for the user without the login form, for tests about other pages;
        the login form has its own tests."""
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME]
        self.page.context.add_cookies(
            [{"name": session.key, "value": session.value, "url": self.origin}]
        )

    def audit(self) -> None:
        """Run axe on the document now shown and fail on any WCAG 2.2 A or AA violation (the
        wcag22aa rules included)."""
        assert self.javascript, "axe needs JavaScript; this tab has it turned off"
        self.page.wait_for_load_state("load")
        violations = self.page.evaluate(RUN_AXE, WCAG_TAGS)
        assert not violations, describe_violations(self.page.url, violations)
        self.audited.add(len(self.documents))

    def assert_fits_width(self) -> None:
        width = self.page.viewport_size["width"]
        scroll_width = self.page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, (
            f"{self.page.url} scrolls sideways at {width} px: it is {scroll_width} px wide"
        )

    def at_each_width(self, viewports: dict[str, dict], screenshots: str | None = None) -> None:
        """Look at the page now shown at each of the viewports in turn, as people on other
        screens would see it: axe clean (with JavaScript), nothing wider than the screen, and
        a full-page screenshot at `screenshots` + `-{name}.png` when given. The tab goes back
        to its own size after. Cheaper than walking a whole journey again at each width."""
        own = self.page.viewport_size
        for name, viewport in viewports.items():
            self.page.set_viewport_size(viewport)
            if self.javascript:
                self.audit()
            self.assert_fits_width()
            if screenshots:
                self.page.screenshot(path=f"{screenshots}-{name}.png", full_page=True)
        self.page.set_viewport_size(own)

    def check_what_happened(self) -> None:
        origin = urlsplit(self.origin)
        elsewhere = [
            url
            for url in self.requests
            if (urlsplit(url).scheme, urlsplit(url).netloc) != (origin.scheme, origin.netloc)
            and f"{urlsplit(url).scheme}://{urlsplit(url).netloc}" not in self.allowed_origins
        ]
        assert not elsewhere, f"requests left the live server: {elsewhere}"
        assert not self.errors, "the browser reported errors:\n" + "\n".join(self.errors)
        if self.javascript:
            missed = [
                url
                for number, url in enumerate(self.documents, start=1)
                if number not in self.audited
            ]
            assert not missed, f"pages shown but not audited with axe: {missed}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test, so a fixture can tell whether the test passed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="module")
def browser():
    """One chromium per test module. Playwright's sync API keeps an event loop running in this
    thread while it is open, which makes Django take ORM calls here (factories, the worker) for
    calls from async code; the allowance lasts exactly as long as that loop."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser-deps` (Debian's chromium).")
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make browser-deps` (npm ci installs axe-core).")
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if before is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def open_tab(request, browser, live_server, media_root):
    """Open a page in a fresh context (no cookies) on the live server. The page keeps the
    site's real content security policy: axe comes in as an init script, which the browser
    runs outside the page's policy, so a CSP breach still shows up as a console error.

    When the test ends, every tab is checked: no request went to another origin, the browser
    logged no error (CSP violations, failed loads, script errors) and, where JavaScript is on,
    axe audited every document the tab showed."""
    opened: list[tuple[Tab, object]] = []

    def open_(*, viewport=DESKTOP, javascript=True) -> Tab:
        context = browser.new_context(
            viewport=viewport, java_script_enabled=javascript, locale="en-GB"
        )
        context.set_default_timeout(5000)
        if javascript:
            context.add_init_script(path=str(AXE))
        page = context.new_page()
        tab = Tab(page=page, origin=live_server.url, javascript=javascript)

        def on_document(frame):
            if frame == page.main_frame:
                tab.documents.append(frame.url)

        def on_console(message):
            if message.type == "error":
                tab.errors.append(message.text)

        def on_response(response):
            if response.status >= 400:
                tab.errors.append(f"{response.status} from {response.url}")

        context.on("request", lambda request: tab.requests.append(request.url))
        context.on("response", on_response)
        page.on("framenavigated", on_document)
        page.on("console", on_console)
        page.on("pageerror", lambda error: tab.errors.append(str(error)))
        opened.append((tab, context))
        return tab

    yield open_
    for _tab, context in opened:
        context.close()
    call = getattr(request.node, "report_call", None)
    if call is None or not call.passed:
        return  # the test's own failure says what went wrong; these checks would only echo it
    for tab, _context in opened:
        tab.check_what_happened()


@pytest.fixture
def mail_dir(settings, tmp_path):
    directory = tmp_path / "mail"
    directory.mkdir()
    settings.EMAIL_BACKEND = "agora.core.mail.FileEmailBackend"
    settings.EMAIL_FILE_PATH = str(directory)
    return directory
