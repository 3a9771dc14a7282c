"""Browser tests: Playwright driving Debian's Chromium against the live test server.

Without /usr/bin/chromium these tests are skipped with a reason that `pytest -ra` (and so `make test`) prints;
`.ci/run` installs Chromium so they always run in CI. Screenshots go to var/screenshots/ (git-ignored).
"""

import json
import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
HAVE_CHROMIUM = Path(CHROMIUM).exists()
SKIP_REASON = (
    "Browser tests SKIPPED: Debian's Chromium is not installed (apt-get install chromium); .ci/run installs it."
)
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"
AXE_SOURCE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

# The live server runs in a thread of this process, next to Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            if not HAVE_CHROMIUM:
                item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


def pytest_terminal_summary(terminalreporter):
    """Say it loudly at the end of the run when the browser tests could not run."""
    if not HAVE_CHROMIUM:
        terminalreporter.write_sep("!", SKIP_REASON, red=True, bold=True)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def csp_violations(page):
    """Console errors about the Content Security Policy; a test asserts the list stays empty."""
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    return violations


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot as var/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def axe_check(page):
    """Run axe-core on the current page; fail on serious or critical violations.

    axe is evaluated through the DevTools protocol, which the page's CSP does not govern, so the CSP stays strict.
    """
    source = AXE_SOURCE.read_text()

    def check(context: str = "") -> list[dict]:
        if not page.evaluate("() => Boolean(window.axe)"):
            page.evaluate("() => {\n" + source + "\n}")
        result = page.evaluate(
            "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        )
        serious = [v for v in result["violations"] if v.get("impact") in ("serious", "critical")]
        assert serious == [], f"{context}: " + json.dumps(
            [{"id": v["id"], "help": v["help"], "nodes": [n["html"] for n in v["nodes"][:3]]} for v in serious],
            indent=1,
        )
        return result["violations"]

    return check


@pytest.fixture
def signed_in(page, live_server, settings):
    """The page, signed in as an administrator (by session cookie); links the site builds (apply URLs, the sandbox's
    webhook and CV addresses) point at the live server."""
    from django.test import Client

    from tests.factories import SuperUserFactory

    settings.SITE_URL = live_server.url
    client = Client()
    client.force_login(SuperUserFactory())
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return page
