"""End-to-end fixtures: a real django-q worker process sharing the test database with the live server."""

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from boards.models import Posting, PostingStatus
from boards.services.postings import posting_send
from tests.boards.factories import BoardAccountFactory, PostableVacancyFactory, sandbox_base_url
from tests.factories import SuperUserFactory

ROOT = Path(__file__).resolve().parents[2]


def shared_database_url() -> str:
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


def start_worker(live_server, **env: str) -> subprocess.Popen:
    """A `manage.py taskworker` (the cluster, stopped within its timeout on SIGTERM) with the test database and
    short retry delays (`env` adds or overrides settings)."""
    environment = {
        **os.environ,
        "DATABASE_URL": shared_database_url(),
        "BOARD_RETRY_BASE_SECONDS": "0.2",
        "BOARD_READ_TIMEOUT_SECONDS": "2",
        # A bulk import whose callback has not come is polled by the next upkeep run after a second.
        "BOARD_IMPORT_CALLBACK_GRACE_SECONDS": "1",
        "Q_WORKERS": "1",
        "SITE_URL": live_server.url,
        **env,
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "taskworker"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, so a test can kill the whole cluster
    )


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (Linux /proc): the cluster and its worker processes, whatever their groups."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def is_running(pid: int) -> bool:
    """Whether a process exists and is not a zombie (dead, waiting for a parent to collect it)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def kill_worker(process: subprocess.Popen) -> None:
    """SIGKILL the worker and every process below it at once, as a crash or an OOM kill would."""
    for pid in [process.pid, *descendants(process.pid)]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    process.wait()


def stop_worker(process: subprocess.Popen, *, timeout: float = 20) -> None:
    """SIGTERM the worker and wait; SIGKILL it and everything below it if it does not stop in time."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            kill_worker(process)


@pytest.fixture
def worker(live_server):
    """A task worker for the test; stopped at the end of it."""
    process = start_worker(live_server)
    yield process
    stop_worker(process)


def wait_until(predicate, *, timeout: float = 60.0, interval: float = 0.25):
    """Poll until the predicate returns something truthy (the worker runs in another process)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := predicate():
            return result
        time.sleep(interval)
    raise AssertionError(f"Gave up waiting after {timeout} s")


# JobSphere, the board the inbound end-to-end tests use (its sandbox signs with this demo secret: BOARDS.md).
SECRET = "sandbox-jobsphere-webhook-secret"


@pytest.fixture
def live_job(worker, live_server) -> Posting:
    """A vacancy posted to JobSphere by the worker, live there."""
    BoardAccountFactory(board="jobsphere", base_url=sandbox_base_url(live_server.url, "jobsphere"))
    vacancy = PostableVacancyFactory()
    values = BoardAccountFactory(board="jobsphere").adapter.initial_values(vacancy)
    posting = posting_send(vacancy=vacancy, board="jobsphere", values=values, user=SuperUserFactory())
    return wait_until(lambda: Posting.objects.filter(pk=posting.pk, status=PostingStatus.POSTED).first())


def received_body(posting: Posting, live_server, *, event_id: str, application_id: str, resume_url: str = "") -> bytes:
    """A JobSphere `application.received` event for the posting's job, its CV on the sandbox (unless `resume_url`)."""
    data = {
        "application_id": application_id,
        "job_id": posting.board_id,
        "applicant": {"first_name": "Priya", "last_name": "Shah", "email": f"{application_id}@example.com"},
        "cover_letter": "",
        "resume_url": resume_url or f"{live_server.url}/sandbox/jobsphere/files/sample-cv.pdf",
    }
    return json.dumps(
        {"id": event_id, "type": "application.received", "created_at": "2026-11-30T09:00:00Z", "data": data}
    ).encode()
