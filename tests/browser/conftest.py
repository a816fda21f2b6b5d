"""A live server on a demo-seeded SQLite database, and Debian's Chromium driven by Playwright.

Locally, without /usr/bin/chromium, these tests skip with that reason; `.ci/run` installs
Chromium and sets SHARING_REQUIRE_BROWSER=1, which turns a missing browser into a failure.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import update
from werkzeug.serving import make_server

from sharing import create_app
from sharing.auth.models import User
from sharing.demo.seed import seed_demo
from sharing.extensions import db
from tests.conftest import base_config

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    if os.environ.get("SHARING_REQUIRE_BROWSER") == "1":
        raise pytest.UsageError("SHARING_REQUIRE_BROWSER=1 but /usr/bin/chromium is missing")
    reason = "Debian's Chromium is not installed (apt-get install chromium); CI requires it"
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))


class LiveServer(str):
    """The server's base URL (tests write `live_server + "/login"`), with its app at `.app`."""

    app = None


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The app served on a free loopback port, with the Blue Valley demo data."""
    path = tmp_path_factory.mktemp("live") / "live.sqlite3"
    app = create_app(base_config(f"sqlite:///{path}", WTF_CSRF_ENABLED=True))
    with app.app_context():
        upgrade()
        seed_demo()
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = LiveServer(f"http://127.0.0.1:{server.server_port}")
    url.app = app
    yield url
    server.shutdown()


@pytest.fixture(autouse=True)
def _accounts_keep_no_language(request):
    """A journey that picks a language while signed in stores it on the account; the journeys
    after it on the same server sign in as the same demo people and expect the browser's."""
    yield
    if "live_server" not in request.fixturenames:
        return
    app = request.getfixturevalue("live_server").app
    with app.app_context():
        db.session.execute(update(User).where(User.locale.is_not(None)).values(locale=None))
        db.session.commit()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, request):
    """A fresh browser context; a screenshot of the last page is kept in test-artifacts/."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
