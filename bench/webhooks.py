"""Benchmark the webhook receiver: verified events a second per worker process, and p50/p99 answer times, beside a
bare Django view that answers 200 in the same run (the ratio is the figure: it cancels out the machine).

Run with `make bench` (or `.venv/bin/python bench/webhooks.py`). Uses a fresh SQLite file under var/bench/ unless
DATABASE_URL is set (then that database: the rows it makes are removed at the end, so it can run again). DEBUG is
off. Each request goes through the whole middleware stack in one process (Django's test client, no network): a
JobSphere `application.received` event with a fresh id, signed, verified, stored with its task (the ORM broker's
queue row) and answered; the bare view's requests are interleaved with them. Figures go to
var/bench/webhooks-<database>.json. Goal (issue 9): at least 400 events/s per worker and p99 at most 25 ms on
PostgreSQL.
"""

import json
import os
import statistics
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH_DIR = ROOT / "var" / "bench"
BENCH_DIR.mkdir(parents=True, exist_ok=True)
if not os.environ.get("DATABASE_URL"):
    db_file = BENCH_DIR / "webhooks.sqlite3"
    db_file.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{db_file}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recruitment.settings")
os.environ["DEBUG"] = "false"
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import clear_url_caches, include, path  # noqa: E402
from django_q.models import OrmQ  # noqa: E402

from boards.models import BoardAccount, InboundEvent  # noqa: E402
from boards.sandbox.jobsphere import DEMO_SETTINGS  # noqa: E402
from boards.services.accounts import board_account_save  # noqa: E402
from boards.webhooks import sign_timestamped  # noqa: E402

EVENTS = int(os.environ.get("BENCH_WEBHOOKS", "2000"))
WARMUP = 100
RUN_ID = f"bench-{int(time.time())}"


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


def _body(number: int) -> bytes:
    data = {
        "application_id": f"app_{RUN_ID}_{number}",
        "job_id": "job_bench",
        "applicant": {"first_name": "Bench", "last_name": f"Candidate {number}", "email": f"b{number}@example.com"},
        "cover_letter": "Six years on an acute medical ward.",
        "resume_url": "http://127.0.0.1:9/sandbox/jobsphere/files/sample-cv.pdf",
    }
    event = {"id": f"evt_{RUN_ID}_{number}", "type": "application.received", "created_at": "2026-11-30T09:00:00Z"}
    return json.dumps({**event, "data": data}).encode()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _summary(times: list[float]) -> dict:
    return {
        "p50_ms": round(statistics.median(times) * 1000, 2),
        "p99_ms": round(_percentile(times, 0.99) * 1000, 2),
        "per_second": round(len(times) / sum(times)),
    }


def main() -> None:
    call_command("migrate", verbosity=0)
    _urls()
    created = not BoardAccount.objects.filter(board="jobsphere").exists()
    account = BoardAccount.objects.filter(board="jobsphere").first() or board_account_save(
        board="jobsphere",
        name="JobSphere (bench)",
        base_url="http://127.0.0.1:9/sandbox/jobsphere/v2",
        settings=DEMO_SETTINGS,
    )
    secret = account.setting("webhook_secret")
    last_queued = OrmQ.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    client = Client()
    webhook_times, bare_times = [], []
    try:
        for number in range(WARMUP + EVENTS):
            body = _body(number)
            header = sign_timestamped(secret=secret, body=body, timestamp=int(time.time()))
            started = time.perf_counter()
            response = client.post(
                "/boards/jobsphere/webhook/",
                body,
                content_type="application/json",
                headers={"X-JobSphere-Signature": header},
            )
            elapsed = time.perf_counter() - started
            assert response.status_code == 200, response.content
            started = time.perf_counter()
            assert client.get("/bench/bare/").status_code == 200
            bare_elapsed = time.perf_counter() - started
            if number >= WARMUP:
                webhook_times.append(elapsed)
                bare_times.append(bare_elapsed)
        stored = InboundEvent.objects.filter(event_id__startswith=f"evt_{RUN_ID}_").count()
        assert stored == WARMUP + EVENTS, stored
    finally:
        InboundEvent.objects.filter(event_id__startswith=f"evt_{RUN_ID}_").delete()
        OrmQ.objects.filter(pk__gt=last_queued).delete()  # the processing tasks of the events just removed
        if created:
            account.delete()
    webhook, floor = _summary(webhook_times), _summary(bare_times)
    figures = {
        "database": connection.vendor,
        "events": EVENTS,
        "webhook": webhook,
        "bare_view": floor,
        "ratio_p50": round(webhook["p50_ms"] / floor["p50_ms"], 1),
        "goal": {"events_per_second_at_least": 400, "p99_ms_at_most": 25},
        "goal_met": webhook["per_second"] >= 400 and webhook["p99_ms"] <= 25,
    }
    (BENCH_DIR / f"webhooks-{connection.vendor}.json").write_text(json.dumps(figures, indent=2))
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
