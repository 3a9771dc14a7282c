"""Time the back-office pages that grow with the data, on 100,000 applications, side by side in one run.

Run: `.venv/bin/python bench/web.py` (a fresh SQLite file under var/bench/), or with DATABASE_URL set to a
PostgreSQL (or SQLite) database: the script then makes its own rows (codes, references, emails and usernames starting
with `benchweb`), removes any an interrupted run left behind before it starts, and removes its rows at the end, so
it can run again on the same database. Nothing else in that database is touched. BENCH_WEB_APPLICATIONS sets a
smaller size while developing (default 100,000), BENCH_WEB_PIPELINE the applications on the big pipeline's vacancy
(default 5,000), BENCH_WEB_RUNS the timed fetches per page (default 40).

Pages are fetched through django.test.Client (the whole middleware stack, no network; without the test
environment's template instrumentation, which production does not have), DEBUG off, after ANALYZE,
each page's fetches interleaved with the others' (`bench/common.py`), p50 and p95, and the queries of one request.
Two users: a recruiter who sees every division and one limited to 3 of the 10 divisions (the data-scope filters run
for both; neither is a superuser). Figures:

- the awaiting-decision list (`/applications/?stage=awaiting_decision`) at page 1,300 (or the deepest page a smaller
  run has) against page 1, reached by the cursor its page 1,299 links to; goal: about the same (p50 at most 1.5x);
- the same page's paging queries alone, keyset against the OFFSET + COUNT paging it replaced (no goal: the gain);
- the DBS list, sorted by what needs action first (its default, an annotated order), deepest page against page 1;
- the pipeline of a vacancy with 5,000 applications against one with 100; goal: p95 under 200 ms;
- live validation of the "Post to NHS Jobs" form (the whole form posted, as htmx sends it) against a bare view that
  answers 200 behind the same middleware; goal: p95 at most 20 ms on PostgreSQL;
- the vacancy list and the dashboard against the bare view (no goal).

Figures go to var/bench/web-<database>.json, with their summary rows for `bench/summary.py`.
"""

import datetime
import os
import random
import sys
import time
import types
from decimal import Decimal

from common import analyze, configure, interleaved, query_count, row, write_figures  # bench/ is the script's folder

APPLICATIONS = int(os.environ.get("BENCH_WEB_APPLICATIONS", "100000"))
PIPELINE = int(os.environ.get("BENCH_WEB_PIPELINE", "5000"))
RUNS = int(os.environ.get("BENCH_WEB_RUNS", "40"))
VACANCIES = 1_000
DIVISIONS = 10
SCOPED_DIVISIONS = 3
SMALL_PIPELINE = 100
DEEP_PAGE = 1_300
MARK = "benchweb"  # every row this script makes carries it
REFERENCE = "BENCHW-"  # vacancy references (20 characters at most)
PAGE_RATIO_GOAL = 1.5
PIPELINE_GOAL_MS = 200
VALIDATION_GOAL_MS = 20


def _cleanup() -> None:
    """Remove every row this script makes (from this run or an interrupted one), leaves first."""
    from django.contrib.auth.models import User

    from recruitment.models import (
        Application,
        Candidate,
        DbsCheck,
        Department,
        Division,
        EmploymentType,
        JobCategory,
        Location,
        Region,
        Vacancy,
    )

    DbsCheck.objects.filter(application__vacancy__reference__startswith=REFERENCE).delete()
    Application.objects.filter(vacancy__reference__startswith=REFERENCE).delete()
    Candidate.objects.filter(email__startswith=f"{MARK}-").delete()
    Vacancy.objects.filter(reference__startswith=REFERENCE).delete()
    User.objects.filter(username__startswith=f"{MARK}-").delete()
    for model in (Department, Location, Division, Region, JobCategory, EmploymentType):
        model.objects.filter(code__startswith=f"{MARK}-").delete()


def _vacancy(number: int, *, division, department, shared: dict, rng: random.Random, today: datetime.date):
    from recruitment.models import Vacancy, VacancyStatus

    return Vacancy(
        reference=f"{REFERENCE}{number:05d}",
        status=rng.choice([VacancyStatus.ADVERTISED_EXTERNAL, VacancyStatus.ADVERTISED_INTERNAL, VacancyStatus.CLOSED]),
        title=f"Staff nurse {number}",
        title_for_candidates=f"Staff nurse {number}",
        division=division,
        department=department,
        salary_min=Decimal("29970"),
        salary_max=Decimal("36483"),
        working_patterns=["full_time"],
        closing_date=today + datetime.timedelta(days=rng.randint(-30, 60)),
        attention_grabber="Join our friendly ward team. " * 5,
        advert_html="<p>About the role.</p>",
        reply_to_email="jobs@example.nhs.uk",
        dbs_level="enhanced" if number % 2 else "none",
        dbs_workforce="adult" if number % 2 else "",
        **shared,
    )


def _populate() -> dict:
    """Reference data, the two users, 1,000 vacancies with APPLICATIONS applications between them, the two pipeline
    vacancies (PIPELINE and 100 applications) and the DBS checks of pre-employment checks on vacancies that need
    one; returns the users and vacancies the pages are fetched for."""
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
    )

    rng = random.Random(5)
    now = timezone.now()
    today = timezone.localdate()
    region = Region.objects.create(code=f"{MARK}-north", name="North")
    shared = {
        "location": Location.objects.create(
            code=f"{MARK}-site", name="Site", address_line_1="1 Street", town="Leeds", postcode="LS1 4AP", region=region
        ),
        "job_category": JobCategory.objects.create(
            code=f"{MARK}-nursing", name="Nursing", staff_group="nursing_and_midwifery_registered"
        ),
        "employment_type": EmploymentType.objects.create(
            code=f"{MARK}-permanent", name="Permanent", contract_kind="permanent"
        ),
        "advertised_at": now,
    }
    divisions = Division.objects.bulk_create(
        Division(code=f"{MARK}-d{i}", name=f"Division {i}") for i in range(DIVISIONS)
    )
    departments = Department.objects.bulk_create(
        Department(code=f"{MARK}-dep{i}", name=f"Department {i}", division=division)
        for i, division in enumerate(divisions)
    )
    permissions = list(Permission.objects.filter(content_type__app_label="recruitment"))
    recruiter = User.objects.create_user(f"{MARK}-recruiter", password=None)
    DataScope.objects.create(user=recruiter, all_divisions=True)
    scoped = User.objects.create_user(f"{MARK}-scoped", password=None)
    DataScope.objects.create(user=scoped).divisions.set(divisions[:SCOPED_DIVISIONS])
    for user in (recruiter, scoped):
        user.user_permissions.add(*permissions)
    shared["recruiter"] = recruiter

    def vacancy(number: int) -> Vacancy:
        index = number % DIVISIONS
        return _vacancy(
            number, division=divisions[index], department=departments[index], shared=shared, rng=rng, today=today
        )

    vacancies = Vacancy.objects.bulk_create(vacancy(i) for i in range(VACANCIES))
    big, small = Vacancy.objects.bulk_create([vacancy(VACANCIES), vacancy(VACANCIES + 10)])  # both in division 0
    targets = [vacancies[i % VACANCIES] for i in range(APPLICATIONS)] + [big] * PIPELINE + [small] * SMALL_PIPELINE
    Candidate.objects.bulk_create(
        (
            # bulk_create skips save(): the normalised address (unique) is given here.
            Candidate(
                first_name="Cand",
                last_name=f"Idate{i}",
                email=f"{MARK}-{i}@example.com",
                email_normalised=f"{MARK}-{i}@example.com",
            )
            for i in range(len(targets))
        ),
        batch_size=5_000,
    )
    candidate_ids = Candidate.objects.filter(email__startswith=f"{MARK}-").order_by("pk").values_list("pk", flat=True)
    stages = ApplicationStage.values
    Application.objects.bulk_create(
        (
            Application(
                candidate_id=candidate_id,
                vacancy=target,
                stage=rng.choice(stages),
                submitted_at=now - datetime.timedelta(minutes=i),
                stage_changed_at=now - datetime.timedelta(minutes=i),
            )
            for i, (candidate_id, target) in enumerate(zip(candidate_ids, targets, strict=True))
        ),
        batch_size=5_000,
    )
    needing_checks = Application.objects.filter(
        stage=ApplicationStage.PRE_EMPLOYMENT_CHECKS, vacancy__dbs_level="enhanced", vacancy__in=vacancies
    ).values_list("pk", flat=True)
    DbsCheck.objects.bulk_create(
        (
            DbsCheck(
                application_id=pk,
                level="enhanced",
                workforce="adult",
                stage=rng.choice(DbsStage.values),
                stage_changed_at=now - datetime.timedelta(minutes=rng.randint(0, 100_000)),
            )
            for pk in needing_checks
        ),
        batch_size=5_000,
    )
    return {"recruiter": recruiter, "scoped": scoped, "big": big, "small": small, "validated": vacancies[0]}


def _bare(request):
    """The floor: a view that does nothing, behind the same middleware."""
    from django.http import HttpResponse

    return HttpResponse(b"")


def _urls() -> None:
    """Serve the project's URLs plus the bare view, from a URLconf made here (never part of the project)."""
    from django.conf import settings
    from django.urls import clear_url_caches, include, path

    module = types.ModuleType("bench_web_urls")
    module.urlpatterns = [path("bench/bare/", _bare), path("", include(settings.ROOT_URLCONF))]
    sys.modules[module.__name__] = module
    settings.ROOT_URLCONF = module.__name__
    clear_url_caches()


def _deep_cursor(queryset, page: int, size: int) -> str:
    """The cursor the Next link of page `page` - 1 carries (the keys of that page's last row)."""
    from recruitment.selectors.keyset import encode_cursor

    names = [term.lstrip("-") for term in queryset.query.order_by]
    last = queryset.values_list(*names)[(page - 1) * size - 1]
    return encode_cursor(last, backwards=False)


def _deep_page(count: int, size: int) -> int:
    """Page 1,300, or the last page of a smaller list."""
    return max(1, min(DEEP_PAGE, -(-count // size)))


def _fetch(client, url: str, *, method: str = "get", data=None, headers=None, expect: bytes = b"", **extra):
    """A callable that fetches `url` and checks the answer (200, containing `expect`)."""

    def call():
        response = getattr(client, method)(url, data, headers=headers or {}, **extra)
        assert response.status_code == 200, (url, response.status_code)
        assert expect in response.content, (url, expect)
        return response

    return call


def _offset_paging(queryset, page: int, size: int):
    """What the list did before keyset paging: COUNT the matching rows, then fetch the page by OFFSET."""
    from django.core.paginator import Paginator

    def call():
        return list(Paginator(queryset, size).page(page).object_list)

    return call


def _keyset_paging(queryset, cursor: str, size: int):
    """What the list does now: the page after the cursor (its keys, its rows, the count up to the limit)."""
    from recruitment.selectors.keyset import keyset_page

    def call():
        return keyset_page(queryset, cursor=cursor, size=size).object_list

    return call


def _cell(timing: dict, queries: int | None = None) -> str:
    text = f"{timing['p50_ms']} / {timing['p95_ms']} ms"
    return f"{text}, {queries} queries" if queries is not None else text


def _ratio(ours: dict, baseline: dict, share: str = "p50_ms") -> float:
    return round(ours[share] / baseline[share], 2)


def _ratios(ours: dict, baseline: dict) -> str:
    return f"{_ratio(ours, baseline)}x p50, {_ratio(ours, baseline, 'p95_ms')}x p95"


def _pages(data: dict, clients: dict) -> tuple[dict, dict, dict]:
    """The timed requests and paging calls (name: callable), and the deep pages (user: {list: page number})."""
    from django.conf import settings
    from django.utils.http import urlencode

    from boards.forms import form_data
    from boards.registry import get_adapter
    from recruitment.selectors.backoffice import application_search, dbs_search
    from recruitment.web.dashboard import PAGE_SIZE as APPLICATIONS_PAGE
    from recruitment.web.dbs import PAGE_SIZE as DBS_PAGE

    adapter = get_adapter("nhs-jobs")
    validated = data["validated"]
    form = urlencode(form_data(adapter.initial_values(validated)), doseq=True)
    pages, depth, paging = {}, {}, {}
    for name, client in clients.items():
        user = data[name]
        awaiting = application_search(user=user, stage="awaiting_decision")
        checks = dbs_search(user=user)
        deep_awaiting = _deep_page(awaiting.count(), APPLICATIONS_PAGE)
        deep_dbs = _deep_page(checks.count(), DBS_PAGE)
        depth[name] = {"awaiting_decision": deep_awaiting, "dbs": deep_dbs}
        awaiting_cursor = _deep_cursor(awaiting, deep_awaiting, APPLICATIONS_PAGE) if deep_awaiting > 1 else ""
        dbs_cursor = _deep_cursor(checks, deep_dbs, DBS_PAGE) if deep_dbs > 1 else ""
        list_url = "/applications/?stage=awaiting_decision"
        pages |= {
            f"{name}.awaiting_page_1": _fetch(client, list_url, expect=b"nhsuk-table"),
            f"{name}.awaiting_deep": _fetch(client, f"{list_url}&cursor={awaiting_cursor}", expect=b"nhsuk-table"),
            f"{name}.dbs_page_1": _fetch(client, "/dbs-checks/", expect=b"nhsuk-table"),
            f"{name}.dbs_deep": _fetch(client, f"/dbs-checks/?cursor={dbs_cursor}", expect=b"nhsuk-table"),
            f"{name}.pipeline_big": _fetch(client, f"/vacancies/{data['big'].pk}/pipeline/", expect=b"Show more"),
            f"{name}.pipeline_small": _fetch(client, f"/vacancies/{data['small'].pk}/pipeline/"),
            f"{name}.validation": _fetch(
                client,
                f"/boards/vacancies/{validated.pk}/nhs-jobs/validate/",
                method="post",
                data=form,
                content_type="application/x-www-form-urlencoded",  # as htmx sends it
                headers={"HX-Request": "true", "HX-Trigger-Name": "title"},
                expect=b'id="errors-title"',
            ),
            f"{name}.vacancy_list": _fetch(client, "/vacancies/", expect=b"nhsuk-table"),
            f"{name}.dashboard": _fetch(client, "/", expect=b"nhsuk-card"),
        }
        paging |= {
            f"{name}.offset": _offset_paging(awaiting, deep_awaiting, APPLICATIONS_PAGE),
            f"{name}.keyset": _keyset_paging(awaiting, awaiting_cursor, APPLICATIONS_PAGE),
        }
    pages["bare"] = _fetch(clients["recruiter"], "/bench/bare/")
    assert settings.DEBUG is False
    return pages, paging, depth


def _summary(user: str, label: str, timings: dict, queries: dict, depth: dict, database: str) -> list[dict]:
    """The summary rows of one user's pages."""

    def t(name: str) -> dict:
        return timings[f"{user}.{name}"]

    def q(name: str) -> int:
        return queries[f"{user}.{name}"]

    bare = timings["bare"]
    awaiting_ratio = _ratio(t("awaiting_deep"), t("awaiting_page_1"))
    dbs_ratio = _ratio(t("dbs_deep"), t("dbs_page_1"))
    pipeline_p95 = t("pipeline_big")["p95_ms"]
    validation_p95 = t("validation")["p95_ms"]
    return [
        row(
            f"awaiting-decision list, page {depth['awaiting_decision']:,} against page 1 ({label})",
            _cell(t("awaiting_deep"), q("awaiting_deep")),
            baseline=f"page 1: {_cell(t('awaiting_page_1'), q('awaiting_page_1'))}",
            ratio=_ratios(t("awaiting_deep"), t("awaiting_page_1")),
            goal=f"about 1x (p50 at most {PAGE_RATIO_GOAL}x)",
            met=awaiting_ratio <= PAGE_RATIO_GOAL,
        ),
        row(
            f"awaiting-decision paging queries, page {depth['awaiting_decision']:,}: keyset against OFFSET + COUNT "
            f"({label})",
            _cell(t("keyset")),
            baseline=f"offset: {_cell(t('offset'))}",
            ratio=_ratios(t("keyset"), t("offset")),
        ),
        row(
            f"DBS list (needs action first), page {depth['dbs']:,} against page 1 ({label})",
            _cell(t("dbs_deep"), q("dbs_deep")),
            baseline=f"page 1: {_cell(t('dbs_page_1'), q('dbs_page_1'))}",
            ratio=_ratios(t("dbs_deep"), t("dbs_page_1")),
            goal=f"about 1x (p50 at most {PAGE_RATIO_GOAL}x)",
            met=dbs_ratio <= PAGE_RATIO_GOAL,
        ),
        row(
            f"pipeline, {PIPELINE:,} applications on one vacancy ({label})",
            _cell(t("pipeline_big"), q("pipeline_big")),
            baseline=f"{SMALL_PIPELINE} applications: {_cell(t('pipeline_small'), q('pipeline_small'))}",
            ratio=_ratios(t("pipeline_big"), t("pipeline_small")),
            goal=f"p95 under {PIPELINE_GOAL_MS} ms",
            met=pipeline_p95 < PIPELINE_GOAL_MS,
        ),
        row(
            f"live validation round trip, NHS Jobs form ({label})",
            _cell(t("validation"), q("validation")),
            baseline=f"bare view: {_cell(bare)}",
            ratio=_ratios(t("validation"), bare),
            goal=f"p95 at most {VALIDATION_GOAL_MS} ms on PostgreSQL",
            met=validation_p95 <= VALIDATION_GOAL_MS if database == "postgresql" else None,
        ),
        row(
            f"vacancy list, page 1 ({label})",
            _cell(t("vacancy_list"), q("vacancy_list")),
            baseline=f"bare view: {_cell(bare)}",
            ratio=_ratios(t("vacancy_list"), bare),
        ),
        row(
            f"dashboard ({label})",
            _cell(t("dashboard"), q("dashboard")),
            baseline=f"bare view: {_cell(bare)}",
            ratio=_ratios(t("dashboard"), bare),
        ),
    ]


def main() -> None:
    fresh = configure("web")
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client

    call_command("migrate", verbosity=0)
    _urls()
    if not fresh:
        _cleanup()  # what an interrupted run left behind
    clients: dict = {}
    try:
        started = time.perf_counter()
        with transaction.atomic():
            data = _populate()
        populated = time.perf_counter() - started
        analyze()
        for name in ("recruiter", "scoped"):
            clients[name] = Client()
            clients[name].force_login(data[name])
        pages, paging, depth = _pages(data, clients)
        queries = {name: query_count(call) for name, call in pages.items()}
        timings = interleaved(pages, runs=RUNS)
        timings |= interleaved(paging, runs=RUNS)
    finally:
        for client in clients.values():
            client.logout()
        if not fresh:
            _cleanup()
    database = connection.vendor
    summary = [
        *_summary("recruiter", "recruiter, all divisions", timings, queries, depth["recruiter"], database),
        *_summary(
            "scoped",
            f"user limited to {SCOPED_DIVISIONS} of {DIVISIONS} divisions",
            timings,
            queries,
            depth["scoped"],
            database,
        ),
    ]
    figures = {
        "applications": APPLICATIONS,
        "vacancies": VACANCIES,
        "pipeline_applications": {"big": PIPELINE, "small": SMALL_PIPELINE},
        "deep_pages": depth,
        "populate_seconds": round(populated, 1),
        "runs": RUNS,
        "timings": timings,
        "queries": queries,
    }
    write_figures("web", figures, summary)


if __name__ == "__main__":
    main()
