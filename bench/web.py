"""Time the back-office's busiest pages on 100,000 applications.

Run: `.venv/bin/python bench/web.py` (a fresh SQLite file under var/bench/), or with DATABASE_URL set to a
dedicated, throw-away PostgreSQL database (it is flushed first). Writes the medians to
var/bench/web-<database>.json and prints them. Pages are fetched through django.test.Client as a recruiter scoped
to every division (not a superuser, so the data-scope filters run as they do for real users).
"""

import datetime
import json
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
APPLICATIONS = 100_000
VACANCIES = 1_000
DIVISIONS = 10
RUNS = 7


def _configure() -> bool:
    """Point Django at the benchmark database; True when it is a fresh SQLite file of our own."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recruitment.settings")
    os.environ["DEBUG"] = "false"
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    if os.environ.get("DATABASE_URL"):
        return False
    database = BENCH_DIR / "web.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    return True


def _populate() -> dict:
    """Reference data, a recruiter, 1,000 vacancies, 100,000 applications and the DBS checks; returns what to fetch."""
    from django.contrib.auth.models import Permission, User
    from django.utils import timezone

    from recruitment.models import (
        Application,
        ApplicationStage,
        Candidate,
        DataScope,
        DbsCheck,
        DbsStage,
        Department,
        Division,
        EmploymentType,
        JobCategory,
        Location,
        Region,
        Vacancy,
        VacancyStatus,
    )

    rng = random.Random(5)
    now = timezone.now()
    today = timezone.localdate()
    region = Region.objects.create(code="north", name="North")
    location = Location.objects.create(
        code="site", name="Site", address_line_1="1 Street", town="Leeds", postcode="LS1 4AP", region=region
    )
    category = JobCategory.objects.create(
        code="nursing", name="Nursing", staff_group="nursing_and_midwifery_registered"
    )
    employment = EmploymentType.objects.create(code="permanent", name="Permanent", contract_kind="permanent")
    divisions = Division.objects.bulk_create(Division(code=f"d{i}", name=f"Division {i}") for i in range(DIVISIONS))
    departments = Department.objects.bulk_create(
        Department(code=f"dep{i}", name=f"Department {i}", division=division) for i, division in enumerate(divisions)
    )
    recruiter = User.objects.create_user("bench", password=None)
    DataScope.objects.create(user=recruiter, all_divisions=True)
    recruiter.user_permissions.add(*Permission.objects.filter(content_type__app_label="recruitment"))

    statuses = [VacancyStatus.ADVERTISED_EXTERNAL, VacancyStatus.ADVERTISED_INTERNAL, VacancyStatus.CLOSED]
    vacancies = Vacancy.objects.bulk_create(
        Vacancy(
            reference=f"VAC-2026-{i:05d}",
            status=rng.choice(statuses),
            title=f"Staff nurse {i}",
            title_for_candidates=f"Staff nurse {i}",
            division=divisions[i % DIVISIONS],
            department=departments[i % DIVISIONS],
            location=location,
            job_category=category,
            employment_type=employment,
            salary_min=Decimal("29970"),
            salary_max=Decimal("36483"),
            working_patterns=["full_time"],
            closing_date=today + datetime.timedelta(days=rng.randint(-30, 60)),
            reply_to_email="jobs@example.nhs.uk",
            dbs_level="enhanced" if i % 2 else "none",
            dbs_workforce="adult" if i % 2 else "",
            recruiter=recruiter,
            advertised_at=now,
        )
        for i in range(VACANCIES)
    )
    Candidate.objects.bulk_create(
        (
            # bulk_create skips save(): the normalised address (unique) is given here.
            Candidate(
                first_name="Cand",
                last_name=f"Idate{i}",
                email=f"c{i}@example.com",
                email_normalised=f"c{i}@example.com",
            )
            for i in range(APPLICATIONS)
        ),
        batch_size=5_000,
    )
    candidate_ids = list(Candidate.objects.order_by("pk").values_list("pk", flat=True))
    stages = ApplicationStage.values
    Application.objects.bulk_create(
        (
            Application(
                candidate_id=candidate_id,
                vacancy=vacancies[i % VACANCIES],
                stage=rng.choice(stages),
                submitted_at=now - datetime.timedelta(minutes=i),
                stage_changed_at=now - datetime.timedelta(minutes=i),
            )
            for i, candidate_id in enumerate(candidate_ids)
        ),
        batch_size=5_000,
    )
    dbs_applications = Application.objects.filter(
        stage=ApplicationStage.PRE_EMPLOYMENT_CHECKS, vacancy__dbs_level="enhanced"
    ).values_list("pk", flat=True)
    DbsCheck.objects.bulk_create(
        (
            DbsCheck(
                application_id=pk,
                level="enhanced",
                workforce="adult",
                stage=rng.choice(DbsStage.values[:5]),
                stage_changed_at=now,
            )
            for pk in dbs_applications
        ),
        batch_size=5_000,
    )
    return {"recruiter": recruiter, "vacancy": vacancies[0]}


def _median_ms(client, url: str) -> float:
    """Median wall time of RUNS fetches of `url` after one warm-up (milliseconds)."""
    assert client.get(url).status_code == 200, url
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, url
    return round(statistics.median(timings), 1)


def main() -> None:
    fresh = _configure()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's ALLOWED_HOSTS and template rendering hooks
    call_command("migrate", verbosity=0)
    if not fresh:
        call_command("flush", interactive=False, verbosity=0)
    started = time.perf_counter()
    data = _populate()
    populated = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh planner statistics, as autovacuum would give a live database
    client = Client()
    client.force_login(data["recruiter"])
    pipeline = f"/vacancies/{data['vacancy'].pk}/pipeline/"
    pages = {
        "vacancy_list": "/vacancies/",
        "vacancy_list_filtered": "/vacancies/?status=open&q=nurse&page=3",
        "pipeline": pipeline,
        "dbs_list": "/dbs-checks/",
        "dbs_list_waiting": "/dbs-checks/?stage=waiting",
        "application_list_awaiting": "/applications/?stage=awaiting_decision",
        "dashboard": "/",
    }
    results = {
        "database": connection.vendor,
        "applications": APPLICATIONS,
        "vacancies": VACANCIES,
        "applications_on_pipeline_vacancy": data["vacancy"].applications.count(),
        "populate_seconds": round(populated, 1),
        "runs": RUNS,
        "median_ms": {name: _median_ms(client, url) for name, url in pages.items()},
    }
    output = BENCH_DIR / f"web-{connection.vendor}.json"
    output.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
    print(f"written to {output.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
