"""End-to-end fixtures: a real django-q worker process sharing the test database with the live server."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    """The test database as a DATABASE_URL the worker's settings understand."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(autouse=True)
def _site_is_the_live_server(settings, live_server):
    """Links the web side builds (the sandbox's webhook and CV addresses) point at the live server, as the
    worker's SITE_URL does."""
    settings.SITE_URL = live_server.url


@pytest.fixture
def worker(live_server):
    """`manage.py qcluster` with the test database and short retry delays (and a short wait for import callbacks);
    stopped at the end of the test."""
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "BOARD_RETRY_BASE_SECONDS": "0.2",
        "BOARD_READ_TIMEOUT_SECONDS": "2",
        # A bulk import whose callback has not come is polled by the next upkeep run after a second.
        "BOARD_IMPORT_CALLBACK_GRACE_SECONDS": "1",
        "Q_WORKERS": "1",
        "SITE_URL": live_server.url,
    }
    process = subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_until(predicate, *, timeout: float = 60.0, interval: float = 0.25):
    """Poll until the predicate returns something truthy (the worker runs in another process)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := predicate():
            return result
        time.sleep(interval)
    raise AssertionError(f"Gave up waiting after {timeout} s")
