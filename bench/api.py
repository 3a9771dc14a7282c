"""Benchmark the partner API's change export and application list on 100,000 applications, and the API key check.

Run with `make bench` (or `.venv/bin/python bench/api.py`). Uses a fresh SQLite file under var/bench/ unless
DATABASE_URL is set, bulk-creates the rows, then times full pages (median of several runs) and counts queries per
page. Figures go to var/bench/api-<database>.json.
"""

import json
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH_DIR = ROOT / "var" / "bench"
BENCH_DIR.mkdir(parents=True, exist_ok=True)
if not os.environ.get("DATABASE_URL"):
    db_file = BENCH_DIR / "api.sqlite3"
    db_file.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{db_file}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recruitment.settings")
os.environ.setdefault("API_RATE", "1000000/min")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

APPLICATIONS = int(os.environ.get("BENCH_APPLICATIONS", "100000"))


def build() -> APIClient:
    """Migrate, create reference data, 100 vacancies and APPLICATIONS applications; return a token client."""
    call_command("migrate", verbosity=0)
    call_command("createcachetable")  # the throttles count in the database cache (settings.CACHES)
    with transaction.atomic():
        return _populate()


def _populate() -> APIClient:
    """The rows, in one transaction (SQLite commits are slow one by one)."""
    from django.contrib.auth import get_user_model

    from recruitment.models import Application, Candidate, DataScope
    from recruitment.services.partners import api_password_generate, api_token_issue, partner_client_create
    from tests.factories import AdvertisedVacancyFactory, DivisionFactory

    division = DivisionFactory()
    first = AdvertisedVacancyFactory(division=division)
    shared = {
        name: getattr(first, name)
        for name in ("division", "department", "location", "job_category", "employment_type", "recruiter")
    }
    vacancies = [first, *(AdvertisedVacancyFactory(**shared) for _ in range(99))]
    now = timezone.now()
    Candidate.objects.bulk_create(
        [
            # bulk_create skips save(): the normalised address (unique) is given here.
            Candidate(
                first_name="Bench",
                last_name=f"Candidate {i}",
                email=f"bench{i}@example.com",
                email_normalised=f"bench{i}@example.com",
            )
            for i in range(APPLICATIONS)
        ],
        batch_size=5000,
    )
    candidates = list(Candidate.objects.values_list("pk", flat=True))
    Application.objects.bulk_create(
        [
            Application(
                candidate_id=pk,
                vacancy=vacancies[i % len(vacancies)],
                submitted_at=now - timedelta(minutes=i % 1440),
                stage_changed_at=now - timedelta(minutes=i % 1440),
            )
            for i, pk in enumerate(candidates)
        ],
        batch_size=5000,
    )
    user = get_user_model().objects.create_superuser("bench", "bench@example.com", "bench-password-123")
    DataScope.objects.create(user=user, all_divisions=True)
    client, key = partner_client_create(name="Bench")
    password = api_password_generate(user=user)
    _, token = api_token_issue(client_id=client.client_id, api_key=key, username="bench", api_password=password)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return api


def measure(api: APIClient, url: str, runs: int = 7) -> dict:
    """Median and best time of a GET, and its query count."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = api.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.content[:300]
    with CaptureQueriesContext(connection) as captured:
        api.get(url)
    return {
        "median_ms": round(statistics.median(times) * 1000, 1),
        "best_ms": round(min(times) * 1000, 1),
        "queries": len(captured),
    }


def measure_key_check(runs: int = 2000) -> dict:
    """Microseconds to check a partner API key against its stored keyed hash (right and wrong keys alike)."""
    from recruitment.keyhash import key_hash, key_matches

    stored = key_hash("rk_" + "x" * 43)
    times = []
    for attempt in range(runs):
        started = time.perf_counter()
        key_matches("rk_" + ("x" if attempt % 2 else "y") * 43, stored)
        times.append(time.perf_counter() - started)
    return {"median_us": round(statistics.median(times) * 1e6, 1), "worst_us": round(max(times) * 1e6, 1)}


def _deep_cursor(api: APIClient, url: str, *, pages: int) -> str:
    """The URL of a page `pages` pages in, reached by following the cursor."""
    for _ in range(pages):
        url = api.get(url).json()["next"]
    return url


def main() -> None:
    started = time.perf_counter()
    api = build()
    built = time.perf_counter() - started
    since = (timezone.now() - timedelta(days=2)).isoformat().replace("+00:00", "Z")
    figures = {
        "database": connection.vendor,
        "applications": APPLICATIONS,
        "build_seconds": round(built, 1),
        "export_first_page_100": measure(api, f"/api/v1/exports/changes/?page_size=100&since={since}"),
        "applications_page_100": measure(api, "/api/v1/applications/?page_size=100"),
        "applications_page_100_deep": measure(api, _deep_cursor(api, "/api/v1/applications/?page_size=100", pages=500)),
        "jobs_page_100": measure(api, "/api/v1/jobs/?page_size=100"),
        "api_key_check": measure_key_check(),
    }
    # Walk the whole export by cursor, as a partner would, and count rows and time.
    rows, url, walk_started = 0, f"/api/v1/exports/changes/?page_size=100&since={since}", time.perf_counter()
    while url:
        body = api.get(url).json()
        rows += len(body["results"])
        url = body["next"]
    figures["export_full_walk"] = {"rows": rows, "seconds": round(time.perf_counter() - walk_started, 1)}
    (BENCH_DIR / f"api-{connection.vendor}.json").write_text(json.dumps(figures, indent=2))
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
