"""End-to-end fixtures: the real app over HTTP on 127.0.0.1, driven by headless Chromium.

The browser is Debian's Chromium at /usr/bin/chromium (`scripts/ensure_chromium.sh`
installs it), driven by Playwright for Python; Playwright never downloads a browser
of its own here. Without Chromium or Playwright every e2e test is skipped, before
the graph server is started.
"""
from __future__ import annotations

import os
import threading

import pytest

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
DEFAULT_TIMEOUT_MS = 10_000
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _missing_requirement() -> str | None:
    """Why the e2e tests cannot run here, or None when they can."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return f"{CHROMIUM} not found (run scripts/ensure_chromium.sh)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -r requirements-dev.txt)"
    return None


@pytest.fixture(scope="session", autouse=True)
def e2e_requirements():
    """Skip every e2e test, before any server starts, when the browser is unavailable."""
    reason = _missing_requirement()
    if reason:
        pytest.skip(f"e2e: {reason}")


@pytest.fixture(scope="session")
def live_server(reference_db, tmp_path_factory):
    """The real app served by werkzeug in a background thread; yields its base URL."""
    from werkzeug.serving import make_server

    from matchmaker import create_app

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VAR_DIR", str(tmp_path_factory.mktemp("e2e-var")))
        mp.delenv("NEO4J_URI", raising=False)
        # Each test clears the data (a bulk delete): the index must see that before the next test reads.
        app = create_app({"TESTING": True, "GRAPH_DB": reference_db, "HOME_REGION": "510100",
                          "MATCH_BUILDER_THREAD": False, "MATCH_REFRESH_MS": 0})
    _warm_matching(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        app.extensions["import_jobs"].shutdown()  # no job thread outlives the graph server


def _warm_matching(app) -> None:
    """Load the encoder and open the index before any page asks: a demand page ranks its suppliers, and a
    cold start (seconds on a loaded machine) must not eat a page's navigation timeout."""
    runtime = app.extensions["matching"]
    runtime.engine()
    if runtime.vectors is not None:
        runtime.vectors.vectors(["预热 warm-up"])


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    """One headless Chromium per session (Playwright gives it a fresh temporary profile)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        try:
            chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                          args=CHROMIUM_ARGS,
                                          downloads_path=str(tmp_path_factory.mktemp("e2e-downloads")))
        except Exception as exc:  # noqa: BLE001 - a broken browser install is a skip, not a failure
            pytest.skip(f"e2e: cannot launch {CHROMIUM}: {exc}")
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, live_server):
    """Factory: a page in a fresh context (no cookies, no session) at the given viewport."""
    contexts = []

    def make(viewport: dict | None = None, locale: str = "zh-CN"):
        context = browser.new_context(base_url=live_server, viewport=viewport or DESKTOP,
                                      locale=locale, service_workers="block")
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        context.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(DEFAULT_TIMEOUT_MS)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A desktop-sized page (1280x900) with a Chinese browser preference."""
    return new_page()


@pytest.fixture
def phone_page(new_page):
    """A phone-sized page (390x844)."""
    return new_page(PHONE)
