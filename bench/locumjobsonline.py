"""Benchmark a LocumJobsOnline sync: the whole feed built from the database and sent to the sandbox in one import (up
to its 202), and the board's results for every job mapped back onto the postings, for 100 and 10,000 vacancies.

Run with `make bench` (or `.venv/bin/python bench/locumjobsonline.py`). Uses a fresh SQLite file under var/bench/
unless DATABASE_URL is set (then that database: every row it makes is removed at the end, and an existing
LocumJobsOnline account is pointed back where it was, so it can run again). DEBUG is off. The fake board is served by
this process over real HTTP (a threaded WSGI server on a free port, as the tests' live server), so the time includes
its reading and storing the import; the queries counted are ours only (the server thread has its own connection).
Each size is timed from a due sync to the board's 202 (`bulk_import_send`: the claim, the payload of every job, the
POST, the answer recorded), then the results of a complete import, with one job in a thousand refused, are mapped
back (`bulk_import_complete`). Figures go to var/bench/locumjobsonline-<database>.json with the machine's load
average, as other work on a shared machine slows the timings. Goal (issue 11): each at most 2 s for 10,000
vacancies, and the same number of queries for 100 and for 10,000.
"""

import datetime
import os
import threading
import time

from common import configure, row, write_figures

configure("locumjobsonline", BOARDS_SANDBOX="true")

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_q.models import OrmQ, Schedule  # noqa: E402

from boards.base import ImportJobError, ImportResults, ImportState, ImportStatus  # noqa: E402
from boards.http import close_sessions  # noqa: E402
from boards.models import BoardAccount, BulkImport, BulkImportStatus, Posting  # noqa: E402
from boards.registry import get_adapter  # noqa: E402
from boards.sandbox.locumjobsonline import API_PATH, DEMO_SETTINGS  # noqa: E402
from boards.sandbox.models import SandboxImport  # noqa: E402
from boards.services.accounts import board_account_save  # noqa: E402
from boards.services.imports import bulk_import_complete, bulk_import_send, feed_sync_request  # noqa: E402
from boards.types import Operation  # noqa: E402
from boards.validation import to_json_values, validate  # noqa: E402
from recruitment.models import (  # noqa: E402
    ContractKind,
    Department,
    Division,
    EmploymentType,
    JobCategory,
    Location,
    Region,
    StaffGroup,
    Vacancy,
    VacancyStatus,
)

BOARD = "locumjobsonline"
SIZES = (100, int(os.environ.get("BENCH_LOCUM_VACANCIES", "10000")))
RUN_ID = f"LJO{int(time.time()) % 100000:05d}"
ADVERT = (
    "<h2>About the role</h2><p>Locum cover on a busy acute medical unit, with a supportive consultant team, "
    "protected teaching and a clear induction on your first shift.</p><ul><li>Weekly pay</li>"
    "<li>Free parking on site</li><li>Flexible shifts to suit you</li></ul>"
)


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args) -> None:
        pass


def _serve() -> tuple[ThreadedWSGIServer, str]:
    """This project (the fake board included) on a free local port, in a thread."""
    server = ThreadedWSGIServer(("127.0.0.1", 0), _QuietHandler)
    server.set_app(get_wsgi_application())
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def _reference_data():
    """One of each reference row a vacancy needs (made once, found again on a later run)."""
    division, _ = Division.objects.get_or_create(code="bench-div", defaults={"name": "Bench division"})
    department, _ = Department.objects.get_or_create(
        code="bench-dep", defaults={"name": "Bench department", "division": division}
    )
    region, _ = Region.objects.get_or_create(code="bench-reg", defaults={"name": "Bench region"})
    location, _ = Location.objects.get_or_create(
        code="bench-loc",
        defaults={
            "name": "Bench hospital",
            "address_line_1": "1 Bench Street",
            "town": "Leeds",
            "postcode": "LS1 4AP",
            "region": region,
        },
    )
    category, _ = JobCategory.objects.get_or_create(
        code="bench-cat", defaults={"name": "Acute Medicine", "staff_group": StaffGroup.MEDICAL_AND_DENTAL}
    )
    employment, _ = EmploymentType.objects.get_or_create(
        code="bench-locum", defaults={"name": "Locum", "contract_kind": ContractKind.LOCUM}
    )
    return division, department, location, category, employment


def _make_feed(count: int, recruiter) -> list[Vacancy]:
    """`count` externally advertised vacancies (references `<run>-<n>`), in bulk."""
    division, department, location, category, employment = _reference_data()
    closing = timezone.localdate() + datetime.timedelta(days=60)
    vacancies = [
        Vacancy(
            reference=f"{RUN_ID}-{number:05d}",
            status=VacancyStatus.ADVERTISED_EXTERNAL,
            title=f"Locum registrar {number}",
            title_for_candidates=f"Locum Registrar in Acute Medicine ({number})",
            division=division,
            department=department,
            location=location,
            job_category=category,
            employment_type=employment,
            salary_type="range",
            salary_min="85.00",
            salary_max="110.00",
            salary_period="hour",
            working_patterns=["full_time"],
            contract_duration_length=13,
            contract_duration_unit="weeks",
            closing_date=closing,
            advert_html=ADVERT,
            reply_to_email="locums@example.com",
            recruiter=recruiter,
        )
        for number in range(count)
    ]
    Vacancy.objects.bulk_create(vacancies, batch_size=500)
    return list(Vacancy.objects.filter(reference__startswith=f"{RUN_ID}-").order_by("reference"))


def _include(account: BoardAccount, vacancies: list[Vacancy]) -> None:
    """Postings in the feed with the values a recruiter would save (validated by the board's spec), in bulk."""
    adapter = get_adapter(BOARD)
    template = adapter.initial_values(vacancies[0])
    result = validate(adapter.spec, {**template, "shiftType": "day", "shiftsPerWeek": "5", "hoursPerShift": "10"})
    assert result.is_valid, result.errors
    values = to_json_values(result.values)
    Posting.objects.bulk_create(
        [
            Posting(
                vacancy=vacancy,
                account=account,
                in_feed=True,
                operation=Operation.IMPORT,
                values={**values, "referenceNumber": vacancy.reference},
            )
            for vacancy in vacancies
        ],
        batch_size=500,
    )


def _results(row: BulkImport) -> ImportState:
    """The board's results for the import: every job added, except one in a thousand refused for its postcode."""
    errors = tuple(
        ImportJobError(index=index, reference=reference, messages=("Zip is invalid. Value passed was: 0",))
        for index, (_, reference) in enumerate(row.items)
        if index % 1000 == 7
    )
    results = ImportResults(
        added=len(row.items) - len(errors), failed=len(errors), processed=len(row.items), errors=errors
    )
    return ImportState(board_import_id=row.board_import_id, status=ImportStatus.COMPLETE, results=results)


def _measure(account: BoardAccount, size: int) -> dict:
    """One sync of `size` jobs: sent up to the 202, then its results mapped back."""
    postings = Posting.objects.filter(vacancy__reference__startswith=f"{RUN_ID}-")
    last = postings.order_by("pk").values_list("pk", flat=True)[size - 1]
    postings.update(in_feed=False)
    postings.filter(pk__lte=last).update(in_feed=True)
    row = feed_sync_request(account=account, at_once=True)
    with CaptureQueriesContext(connection) as send_queries:
        started = time.perf_counter()
        bulk_import_send(import_id=row.pk)
        send_seconds = time.perf_counter() - started
    row.refresh_from_db()
    assert (row.status, row.job_count) == (BulkImportStatus.PENDING, size), (row.status, row.last_error)
    state = _results(row)
    with CaptureQueriesContext(connection) as map_queries:
        started = time.perf_counter()
        bulk_import_complete(import_id=row.pk, state=state)
        map_seconds = time.perf_counter() - started
    live = Posting.objects.filter(bulk_import=row, board_status="live").count()
    assert live == size - len(state.results.errors), live
    return {
        "vacancies": size,
        "send_to_202_seconds": round(send_seconds, 3),
        "send_queries": len(send_queries),
        "map_results_seconds": round(map_seconds, 3),
        "map_queries": len(map_queries),
        "jobs_sent": row.calls.get().request_summary.get("jobs"),
        "refused_jobs": len(state.results.errors),
    }


def main() -> None:
    call_command("migrate", verbosity=0)
    server, url = _serve()
    settings.SITE_URL = url
    load_before = os.getloadavg()
    existing = BoardAccount.objects.filter(board=BOARD).first()
    original_url = existing.base_url if existing else ""
    account = existing or board_account_save(
        board=BOARD, name="LocumJobsOnline (bench)", base_url=url, settings=DEMO_SETTINGS
    )
    BoardAccount.objects.filter(pk=account.pk).update(base_url=f"{url}/sandbox/{BOARD}{API_PATH}")
    account.refresh_from_db()
    user = get_user_model().objects.create_user(username=f"bench-{RUN_ID}", password=None)
    last_queued = OrmQ.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    last_schedule = Schedule.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    last_sandbox_import = SandboxImport.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    before_imports = set(BulkImport.objects.filter(account=account).values_list("pk", flat=True))
    try:
        vacancies = _make_feed(max(SIZES), user)
        _include(account, vacancies)
        _measure(account, SIZES[0])  # warm-up, not reported: the first request pays for imports and connections
        runs = [_measure(account, size) for size in SIZES]
    finally:
        close_sessions()
        BulkImport.objects.filter(account=account).exclude(pk__in=before_imports).delete()
        Posting.objects.filter(vacancy__reference__startswith=f"{RUN_ID}-").delete()
        Vacancy.objects.filter(reference__startswith=f"{RUN_ID}-").delete()
        SandboxImport.objects.filter(pk__gt=last_sandbox_import).delete()
        OrmQ.objects.filter(pk__gt=last_queued).delete()  # the sandbox's processing tasks of the imports above
        Schedule.objects.filter(pk__gt=last_schedule).delete()
        user.delete()
        if existing:
            BoardAccount.objects.filter(pk=account.pk).update(base_url=original_url)
        else:
            account.delete()
        server.shutdown()
        connections.close_all()
    largest, smallest = runs[-1], runs[0]
    same_queries = (smallest["send_queries"], smallest["map_queries"]) == (
        largest["send_queries"],
        largest["map_queries"],
    )
    figures = {
        "runs": runs,
        "load_average_before": [round(value, 2) for value in load_before],
        "load_average_after": [round(value, 2) for value in os.getloadavg()],
        "cpus": os.cpu_count(),
    }
    summary = [
        row(
            f"LocumJobsOnline sync of {largest['vacancies']:,} vacancies: {step}",
            f"{largest[seconds]} s, {largest[queries]} queries",
            baseline=f"{smallest['vacancies']} vacancies: {smallest[seconds]} s, {smallest[queries]} queries",
            ratio=f"{largest[seconds] / smallest[seconds]:.0f}x the time for {largest['vacancies'] // 100}x the jobs",
            goal="<= 2 s, the same queries for 100 and 10,000",
            met=largest[seconds] <= 2 and same_queries,
        )
        for step, seconds, queries in (
            ("built and sent, up to the 202", "send_to_202_seconds", "send_queries"),
            ("results mapped back", "map_results_seconds", "map_queries"),
        )
    ]
    write_figures("locumjobsonline", figures, summary)


if __name__ == "__main__":
    main()
