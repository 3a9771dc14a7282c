"""Time the personal data retention run on 100,000 unsuccessful applications, and show its memory stays bounded.

Run: `.venv/bin/python bench/retention.py` (a fresh SQLite file under var/bench/, re-created each time), or with
DATABASE_URL set to a dedicated, throw-away PostgreSQL database (it is flushed first). DEBUG is off. It builds
100,000 applications rejected seven months ago (each with its candidate, history entry and equal-opportunities
answers; 1,000 with a CV file on disk under var/bench/private-retention/; 1,000 with a decided DBS check), runs
`retention_apply` once as the daily task would (batches of RETENTION_BATCH_SIZE), and checks the result.

Memory: the process's resident size is sampled every 20 ms during the run (Linux /proc), and the growth over the
size before the run is reported, and so is tracemalloc's peak of the Python allocations of a second run on 10,000
more applications (tracemalloc slows allocation-heavy code, so it stays out of the timed run). Only a batch's ids
and rows are held at a time, so both stay near a batch's worth whatever the number of applications. Figures go to
var/bench/retention-<database>.json.
"""

import contextlib
import ctypes
import datetime
import gc
import os
import shutil
import time
import tracemalloc

from common import BENCH_DIR, RssSampler, configure, row, write_figures

FILES_DIR = BENCH_DIR / "private-retention"
APPLICATIONS = int(os.environ.get("BENCH_APPLICATIONS", "100000"))
SECOND_RUN = 10_000
WITH_FILES = 1_000
WITH_DBS = 1_000
CHUNK = 5_000


def _configure() -> None:
    """The benchmark database (bench/common.py) and a documents folder of its own, emptied first."""
    os.environ["PRIVATE_MEDIA_ROOT"] = str(FILES_DIR)
    shutil.rmtree(FILES_DIR, ignore_errors=True)
    configure("retention")


def _populate(count: int, decided: datetime.datetime, offset: int = 0) -> None:
    """`count` rejected applications decided at `decided`, in chunks (one transaction each)."""
    from django.core.files.base import ContentFile
    from django.db import transaction

    from recruitment.models import (
        Application,
        ApplicationDocument,
        ApplicationStageChange,
        Candidate,
        DbsCheck,
        DbsCheckEvent,
        EqualOpportunities,
    )
    from tests.factories import PDF_BYTES, AdvertisedVacancyFactory, DbsVacancyFactory

    vacancy = AdvertisedVacancyFactory()
    dbs_vacancy = DbsVacancyFactory(
        division=vacancy.division, department=vacancy.department, recruiter=vacancy.recruiter
    )
    for start in range(offset, offset + count, CHUNK):
        stop = min(start + CHUNK, offset + count)
        with transaction.atomic():
            candidates = Candidate.objects.bulk_create(
                Candidate(
                    first_name="Bench",
                    last_name=f"Person {i}",
                    email=f"bench{i}@example.com",
                    email_normalised=f"bench{i}@example.com",
                    phone="0113 000",
                )
                for i in range(start, stop)
            )
            # They registered when they applied (created_at is set on insert).
            Candidate.objects.filter(pk__in=[candidate.pk for candidate in candidates]).update(
                created_at=decided - datetime.timedelta(days=30)
            )
            applications = Application.objects.bulk_create(
                Application(
                    candidate=candidate,
                    vacancy=dbs_vacancy if i % (APPLICATIONS // WITH_DBS) == 0 else vacancy,
                    stage="rejected",
                    cover_letter="I would love to join the team.",
                    rejection_reason="Another candidate had more experience.",
                    submitted_at=decided - datetime.timedelta(days=30),
                    stage_changed_at=decided,
                )
                for i, candidate in zip(range(start, stop), candidates, strict=True)
            )
            ApplicationStageChange.objects.bulk_create(
                ApplicationStageChange(
                    application=application, to_stage="rejected", changed_at=decided, note="Not shortlisted"
                )
                for application in applications
            )
            EqualOpportunities.objects.bulk_create(
                EqualOpportunities(application=application, sex="female" if i % 2 else "male")
                for i, application in enumerate(applications)
            )
            checks = DbsCheck.objects.bulk_create(
                DbsCheck(
                    application=application,
                    level="enhanced",
                    workforce="adult",
                    stage="decision_recorded",
                    certificate_number=f"{i:012d}",
                    certificate_issue_date=decided.date(),
                    update_service_subscriber=True,
                    update_service_result="current",
                    decision="do_not_proceed",
                    decision_at=decided,
                    stage_changed_at=decided,
                )
                for i, application in zip(range(start, stop), applications, strict=True)
                if application.vacancy_id == dbs_vacancy.pk
            )
            DbsCheckEvent.objects.bulk_create(
                DbsCheckEvent(dbs_check=check, to_stage="decision_recorded", at=decided, note="Reviewed")
                for check in checks
            )
            for application in applications[: max(0, WITH_FILES * (stop - start) // count)]:
                document = ApplicationDocument(
                    application=application, kind="cv", original_name="cv.pdf", content_type="application/pdf", size=1
                )
                document.file.save("cv.pdf", ContentFile(PDF_BYTES), save=False)
                document.save()


def _release_free_memory() -> None:
    """Hand memory the build freed back to the system (glibc keeps it otherwise), so growth during the run shows."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _measure(now: datetime.datetime) -> dict:
    from recruitment.privacy.retention import retention_apply

    _release_free_memory()
    started = time.perf_counter()
    with RssSampler() as sampler:
        result = retention_apply(now=now)
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "counts": result.counts,
        "rss_before_mb": round(sampler.start / 2**20, 1),
        "rss_growth_mb": round(sampler.growth / 2**20, 1),
    }


def main() -> None:
    _configure()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from recruitment.models import Application, ApplicationDocument, Candidate, DbsCheck

    call_command("migrate", verbosity=0)
    if connection.vendor != "sqlite":
        call_command("flush", interactive=False, verbosity=0)
    now = timezone.now()
    decided = now - datetime.timedelta(days=215)  # about seven months ago

    started = time.perf_counter()
    _populate(APPLICATIONS, decided)
    build_seconds = round(time.perf_counter() - started, 1)
    run = _measure(now)
    assert run["counts"]["unsuccessful_applications"] == APPLICATIONS, run
    assert not Application.objects.filter(anonymised_at__isnull=True).exists()
    assert not Candidate.objects.filter(anonymised_at__isnull=True).exists()
    assert not ApplicationDocument.objects.exists()
    assert not any(FILES_DIR.rglob("*.pdf"))
    assert not DbsCheck.objects.exclude(certificate_number="").exists()

    # A second run on 10,000 more, under tracemalloc: the Python allocations of a run, at their peak.
    _populate(SECOND_RUN, decided, offset=APPLICATIONS)
    tracemalloc.start()
    from recruitment.privacy.retention import retention_apply

    small = retention_apply(now=now)
    _, python_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert small.counts["unsuccessful_applications"] == SECOND_RUN, small

    per_second = round(APPLICATIONS / run["seconds"])
    figures = {
        "applications": APPLICATIONS,
        "with_files": WITH_FILES,
        "with_dbs_checks": WITH_DBS,
        "batch_size": settings.RETENTION_BATCH_SIZE,
        "build_seconds": build_seconds,
        "run_seconds": run["seconds"],
        "applications_per_second": per_second,
        "run_counts": run["counts"],
        "run_rss_before_mb": run["rss_before_mb"],
        "run_rss_growth_mb": run["rss_growth_mb"],
        f"python_peak_mb_{SECOND_RUN}_applications_tracemalloc": round(python_peak / 2**20, 1),
    }
    summary = [
        row(
            f"retention run on {APPLICATIONS:,} unsuccessful applications",
            f"{run['seconds']} s ({per_second:,}/s), resident memory +{run['rss_growth_mb']} MB",
            baseline=f"tracemalloc peak of a run on {SECOND_RUN:,}: {round(python_peak / 2**20, 1)} MB",
            goal="memory bounded by a batch, not the number of applications",
        )
    ]
    write_figures("retention", figures, summary)
    shutil.rmtree(FILES_DIR, ignore_errors=True)


if __name__ == "__main__":
    main()
