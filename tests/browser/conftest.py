"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright, for the HTML view's tests."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Dialog, Page, sync_playwright
from rdflib import Graph

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
BUILD = Path(__file__).resolve().parents[2] / "build"


@dataclass
class Opened:
    """A page showing one HTML file, with everything it asked the network for and every dialog."""

    page: Page
    url: str
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def record_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    @property
    def foreign_requests(self) -> list[str]:
        return [r for r in self.requests if r != self.url]


def wait_stable(page: Page, timeout: float = 30.0) -> None:
    """Wait until the view's physics has settled and stopped.

    Polls with `evaluate` (a DevTools call) because `wait_for_function` evaluates its predicate
    with `eval` inside the page, which the page's Content-Security-Policy rightly forbids.
    """
    deadline = time.monotonic() + timeout
    while not page.evaluate("Boolean(window.kgView && window.kgView.stable)"):
        if time.monotonic() > deadline:
            raise TimeoutError(f"graph view did not settle within {timeout} s")
        page.wait_for_timeout(50)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} missing: install Debian's chromium and fonts-wqy-zenhei (apt-get install ...)"
        )
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_html(browser: Browser) -> Iterator[Callable[..., Opened]]:
    """Open a written HTML file, record requests, dialogs and script errors, wait for the layout."""
    contexts: list[BrowserContext] = []

    def _open(
        path: Path, width: int = 1500, height: int = 900, bypass_csp: bool = False, timeout: float = 30.0
    ) -> Opened:
        context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=bypass_csp)
        contexts.append(context)
        page = context.new_page()
        opened = Opened(page, path.resolve().as_uri())
        page.on("request", lambda r: opened.requests.append(r.url))
        page.on("pageerror", lambda e: opened.errors.append(str(e)))
        page.on("dialog", lambda d: opened.record_dialog(d))
        page.goto(opened.url)
        wait_stable(page, timeout)
        return opened

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture
def fixture_graph() -> Callable[[str], Graph]:
    def _load(name: str) -> Graph:
        return Graph().parse(FIXTURES / name, format="turtle")

    return _load
