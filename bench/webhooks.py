"""Benchmark the webhook receiver: verified events a second per worker process, and p50/p95/p99 answer times, beside
a bare Django view that answers 200 in the same run (the ratio is the figure: it cancels out the machine).

Run with `make bench` (or `.venv/bin/python bench/webhooks.py`). Uses a fresh SQLite file under var/bench/ unless
DATABASE_URL is set (then that database: the rows it makes are removed at the end, so it can run again). DEBUG is
off. Each request goes through the whole middleware stack in one process (Django's test client, no network): a
JobSphere `application.received` event with a fresh id, signed, verified, stored with its task (the ORM broker's
queue row) and answered; the bare view's requests are interleaved with them. `bench/serving.py` measures the same
receiver behind gunicorn with 8 concurrent senders. Figures go to var/bench/webhooks-<database>.json. Goal (issue 9):
at least 400 events/s per worker and p99 at most 25 ms on PostgreSQL.
"""

import contextlib
import itertools
import json
import os
import sys
import time
import types
from collections.abc import Iterator

from common import configure, interleaved, row, write_figures

configure("webhooks")

from django.conf import settings  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import clear_url_caches, include, path  # noqa: E402
from django_q.models import OrmQ  # noqa: E402

from boards.models import BoardAccount, InboundEvent  # noqa: E402
from boards.sandbox.jobsphere import DEMO_SETTINGS  # noqa: E402
from boards.services.accounts import board_account_save  # noqa: E402
from boards.webhooks import sign_timestamped  # noqa: E402

EVENTS = int(os.environ.get("BENCH_WEBHOOKS", "2000"))
RUN_ID = f"bench-{int(time.time())}"
WEBHOOK_URL = "/boards/jobsphere/webhook/"
GOAL_PER_SECOND, GOAL_P99_MS = 400, 25


def bare(request) -> HttpResponse:
    """The floor: a view that does nothing, behind the same middleware."""
    return HttpResponse(b"{}", content_type="application/json")


def _urls() -> None:
    """Serve the project's URLs plus the bare view, from a URLconf made here (never part of the project)."""
    module = types.ModuleType("bench_webhook_urls")
    module.urlpatterns = [path("bench/bare/", bare), path("", include(settings.ROOT_URLCONF))]
    sys.modules[module.__name__] = module
    settings.ROOT_URLCONF = module.__name__
    clear_url_caches()


def signed_event(secret: str, number: int) -> tuple[bytes, dict[str, str]]:
    """A JobSphere `application.received` event numbered `number` in this run, and its signature header."""
    data = {
        "application_id": f"app_{RUN_ID}_{number}",
        "job_id": "job_bench",
        "applicant": {"first_name": "Bench", "last_name": f"Candidate {number}", "email": f"b{number}@example.com"},
        "cover_letter": "Six years on an acute medical ward.",
        "resume_url": "http://127.0.0.1:9/sandbox/jobsphere/files/sample-cv.pdf",
    }
    event = {"id": f"evt_{RUN_ID}_{number}", "type": "application.received", "created_at": "2026-11-30T09:00:00Z"}
    body = json.dumps({**event, "data": data}).encode()
    return body, {"X-JobSphere-Signature": sign_timestamped(secret=secret, body=body, timestamp=int(time.time()))}


@contextlib.contextmanager
def jobsphere_account() -> Iterator[str]:
    """The JobSphere account the events are for (the database's own, or one made for the run); yields its webhook
    secret. On leaving, removes the events this run stored, their processing tasks and an account it made."""
    created = not BoardAccount.objects.filter(board="jobsphere").exists()
    account = BoardAccount.objects.filter(board="jobsphere").first() or board_account_save(
        board="jobsphere",
        name="JobSphere (bench)",
        base_url="http://127.0.0.1:9/sandbox/jobsphere/v2",
        settings=DEMO_SETTINGS,
    )
    last_queued = OrmQ.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    try:
        yield account.setting("webhook_secret")
    finally:
        InboundEvent.objects.filter(event_id__startswith=f"evt_{RUN_ID}_").delete()
        OrmQ.objects.filter(pk__gt=last_queued).delete()  # the processing tasks of the events just removed
        if created:
            account.delete()


def stored_events() -> int:
    """How many of this run's events are stored."""
    return InboundEvent.objects.filter(event_id__startswith=f"evt_{RUN_ID}_").count()


def main() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    _urls()
    client, numbers = Client(), itertools.count()

    with jobsphere_account() as secret:

        def webhook() -> None:
            body, headers = signed_event(secret, next(numbers))
            response = client.post(WEBHOOK_URL, body, content_type="application/json", headers=headers)
            assert response.status_code == 200, response.content

        def floor() -> None:
            assert client.get("/bench/bare/").status_code == 200

        timings = interleaved({"webhook": webhook, "bare_view": floor}, runs=EVENTS, warmup=100)
        sent = next(numbers)
        assert stored_events() == sent, (stored_events(), sent)
    receiver, bare_view = timings["webhook"], timings["bare_view"]
    per_second = round(1000 / receiver["mean_ms"])
    from django.db import connection

    # The goal is PostgreSQL's (SQLite writes one at a time: a figure, not a goal).
    met = (
        per_second >= GOAL_PER_SECOND and receiver["p99_ms"] <= GOAL_P99_MS
        if connection.vendor == "postgresql"
        else None
    )
    write_figures(
        "webhooks",
        {"events": EVENTS, "webhook": receiver, "bare_view": bare_view},
        [
            row(
                "webhook receiver, one process (p50 / p95 / p99)",
                f"{receiver['p50_ms']} / {receiver['p95_ms']} / {receiver['p99_ms']} ms, {per_second} events/s",
                baseline=f"bare view {bare_view['p50_ms']} / {bare_view['p95_ms']} / {bare_view['p99_ms']} ms",
                ratio=f"{receiver['p50_ms'] / bare_view['p50_ms']:.1f}x (p50)",
                goal=f">= {GOAL_PER_SECOND} events/s, p99 <= {GOAL_P99_MS} ms (PostgreSQL)",
                met=met,
            )
        ],
    )


if __name__ == "__main__":
    main()
