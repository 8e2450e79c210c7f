"""Real-browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

They run when Chromium is found at /usr/bin/chromium or at $CHROMIUM; otherwise every
test here is skipped with one line saying how to enable them. One browser serves the
whole session; each test gets a fresh context (cookies, storage), so tests stay apart.
"""

from __future__ import annotations

import os
import shutil
from functools import cache
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from
# a thread with a running loop unless told that this is safe, as it is in tests.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's password
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
HOW_TO_ENABLE = "browser tests need Chromium: apt-get install chromium or set CHROMIUM=/path"


@cache
def chromium_path() -> str | None:
    configured = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    found = Path(configured) if Path(configured).is_file() else None
    if found is None and os.sep not in configured:
        located = shutil.which(configured)
        found = Path(located) if located else None
    return str(found) if found and os.access(found, os.X_OK) else None


def pytest_runtest_setup(item):
    """Skip every browser test when there is no Chromium.

    Skipping here rather than in a fixture gives every skip the same location, so
    pytest's summary folds them into one line.
    """
    if chromium_path() is None:
        pytest.skip(HOW_TO_ENABLE)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class PageProblems:
    """What a page did that it never should: open a dialog, throw an uncaught error, or
    break its Content Security Policy (which Chromium reports on the console)."""

    def __init__(self):
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.policy: list[str] = []

    def on_console(self, message):
        if message.type == "error" and "Content Security Policy" in message.text:
            self.policy.append(message.text)

    def on_dialog(self, dialog):
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def on_error(self, error):
        self.errors.append(str(error))


@pytest.fixture
def new_page(browser, live_server):
    """Open pages in fresh contexts; each fails the test if it shows a dialog or throws."""
    contexts = []
    problems = PageProblems()

    def open_page():
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(5_000)
        contexts.append(context)
        page = context.new_page()
        page.on("dialog", problems.on_dialog)
        page.on("pageerror", problems.on_error)
        page.on("console", problems.on_console)
        return page

    yield open_page
    for context in contexts:
        context.close()
    if problems.dialogs:
        pytest.fail(f"a page opened a dialog (a script ran?): {problems.dialogs}")
    if problems.errors:
        pytest.fail(f"uncaught errors in a page: {problems.errors}")
    if problems.policy:
        pytest.fail(f"a page broke its Content Security Policy: {problems.policy}")


@pytest.fixture
def page(new_page):
    return new_page()


def log_in(page, user, *, next_url: str = "/") -> None:
    """Log in through the login form, as a reader would, and land on ``next_url``."""
    page.goto(f"/accounts/login/?next={next_url}")
    page.get_by_label("Username").fill(user.get_username())
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**{next_url}")
