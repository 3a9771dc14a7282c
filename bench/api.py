"""Benchmark the partner API's lists and exports on 100,000 applications, beside two baselines in the same run.

Run with `make bench` (or `.venv/bin/python bench/api.py`); `BENCH_APPLICATIONS` sets a smaller size while
developing (default 100,000), `BENCH_RUNS` the timed requests of ours and the floor (default 200) and
`BENCH_PLAIN_RUNS` those of ours beside the plain viewset (default 40: it is 20 to 40 times slower). Without
DATABASE_URL it uses a fresh SQLite file under var/bench/; with it, that database as it is: every row it makes
(divisions, vacancies, candidates, applications, users, the partner client) carries this run's marker and is removed
at the end, so a second run on the same PostgreSQL database works and leaves the database's own rows alone.

What it does (DEBUG off, ANALYZE after loading, every request through the whole middleware stack with Django's test
client, no network):
- 10 divisions of 20 advertised vacancies each; the applications spread evenly over them, each with a CV (a cover
  letter document for a third, equal-opportunities answers for half); a superuser, and a scoped user holding a
  partner's permissions and 3 of the 10 divisions (about 30% of the rows).
- The list pages (applications, jobs, a page of the 24-hour change export) at 50 rows a page, for each user, timed
  interleaved with (a) a plain DRF ModelViewSet over the same fields with plain ModelSerializers (defined here) and
  (b) the floor: raw SQL and orjson producing the same JSON body (ours and the floor in one interleaved pass, ours
  and the plain viewset in another). Each variant's answer is checked against ours before timing. p50/p95 and
  queries per request (at 50 rows and at 1 row: they must be the same).
- The streamed change export (NDJSON and CSV) of every row for each user: seconds, rows and peak RSS growth, beside
  the floor (one raw SQL cursor to NDJSON lines by orjson, its first lines checked equal to ours) and the walk of
  the paged export by its `next` links, also timed here.
- The API key check (a keyed hash), in microseconds.

Figures go to var/bench/api-<database>.json with their summary rows (goals from issue 14).
"""

# The floor's SQL is put together from table names and integers of our own, never from input.
# ruff: noqa: S608

import datetime
import os
import statistics
import sys
import time
import types
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import RssSampler, analyze, configure, interleaved, query_count, row, write_figures

FRESH = configure("api", API_RATE="100000000/min")

import orjson  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Permission  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import clear_url_caches, include, path, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework import pagination, serializers, viewsets  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from recruitment.api.pagination import StandardPagination  # noqa: E402
from recruitment.api.permissions import HasModelPermission  # noqa: E402
from recruitment.models import (  # noqa: E402
    EO_VIEW_PERMISSION,
    Application,
    ApplicationDocument,
    ApplicationStage,
    Candidate,
    DataScope,
    Department,
    Division,
    EmploymentType,
    EqualOpportunities,
    JobCategory,
    JobLevel,
    Location,
    PartnerClient,
    Region,
    SalaryBand,
    Vacancy,
    VacancyStatus,
)
from recruitment.selectors.scope import applications_visible_to, scope_division_ids  # noqa: E402
from recruitment.services.candidates import CANDIDATE_FIELDS  # noqa: E402
from recruitment.services.partners import api_password_generate, api_token_issue, partner_client_create  # noqa: E402
from tests.factories import (  # noqa: E402
    EmploymentTypeFactory,
    JobCategoryFactory,
    JobLevelFactory,
    LocationFactory,
    RegionFactory,
    SalaryBandFactory,
)

APPLICATIONS = int(os.environ.get("BENCH_APPLICATIONS", "100000"))
RUNS = int(os.environ.get("BENCH_RUNS", "200"))
PLAIN_RUNS = int(os.environ.get("BENCH_PLAIN_RUNS", "40"))
DIVISIONS = 10
SCOPED_DIVISIONS = 3
VACANCIES_PER_DIVISION = 20
PAGE = 50
RUN = format(int(time.time() * 1000) % 36**6, "x")  # this run's marker in codes, references and names
PARTNER_PERMISSIONS = (
    "view_vacancy",
    "view_application",
    "add_application",
    "add_candidate",
    "view_applicationdocument",
    "view_dbscheck",
)
# Goals (issue 14).
GOAL_P95_MS = 30
GOAL_FLOOR_RATIO = 3
GOAL_PLAIN_RATIO = 3
GOAL_STREAM_SECONDS_PER_100K = 5
GOAL_STREAM_RSS_MB = 100


# --- The rows -------------------------------------------------------------------------------------------------------


def build() -> dict:
    """Migrate, then make this run's rows in one transaction (SQLite commits are slow one by one); the users."""
    call_command("migrate", verbosity=0)
    call_command("createcachetable")  # the throttles count in the database cache (settings.CACHES)
    with transaction.atomic():
        divisions = _populate()
    analyze()
    return {"superuser": _user(superuser=True), "scoped": _user(divisions=divisions[:SCOPED_DIVISIONS])}


def _populate() -> list[Division]:
    """Reference data, 100 vacancies over 10 divisions, APPLICATIONS candidates and applications, their documents
    and equal-opportunities answers; returns the divisions."""
    recruiter = get_user_model().objects.create_user(f"bench-api-recruiter-{RUN}", f"recruiter-{RUN}@example.com")
    named = {"code": f"x-{RUN}", "name": f"Bench {RUN}"}
    shared = {
        "location": LocationFactory(**named, region=RegionFactory(**named)),
        "job_category": JobCategoryFactory(**named),
        "employment_type": EmploymentTypeFactory(**named),
        "job_level": JobLevelFactory(**named),
        "salary_band": SalaryBandFactory(**named, band=f"x-{RUN}"),
        "recruiter": recruiter,
    }
    now = timezone.now()
    divisions, vacancies = [], []
    for d in range(DIVISIONS):
        division = Division.objects.create(code=f"bench-{RUN}-{d}", name=f"Bench division {d}")
        department = Department.objects.create(code=f"bench-{RUN}-{d}", name=f"Department {d}", division=division)
        divisions.append(division)
        vacancies += [
            Vacancy(
                reference=f"B{RUN}-{d}{v:02d}",
                status=VacancyStatus.ADVERTISED_EXTERNAL,
                title=f"Staff Nurse {d}-{v}",
                title_for_candidates=f"Staff Nurse {d}-{v} (Band 5)",
                division=division,
                department=department,
                salary_min=Decimal("29970.00"),
                salary_max=Decimal("36483.00"),
                working_patterns=["full_time"],
                hours_per_week=Decimal("37.5"),
                closing_date=timezone.localdate() + datetime.timedelta(days=30 + v),
                attention_grabber="Join our friendly ward team.",
                advert_html="<p>A rewarding role in acute care.</p>",
                reply_to_email="recruitment@example.nhs.uk",
                advertised_at=now,
                **shared,
            )
            for v in range(VACANCIES_PER_DIVISION)
        ]
    vacancies = Vacancy.objects.bulk_create(vacancies)
    client, _key = partner_client_create(name=f"Bench HR {RUN}")
    Candidate.objects.bulk_create(
        [
            # bulk_create skips save(): the normalised address (unique) is given here.
            Candidate(
                first_name="Bench",
                last_name=f"Candidate {i}",
                email=f"bench{i}.{RUN}@example.com",
                email_normalised=f"bench{i}.{RUN}@example.com",
                phone="0113 243 2799",
                address_line_1="1 Park Row",
                town="Leeds",
                postcode="LS1 4AP",
            )
            for i in range(APPLICATIONS)
        ],
        batch_size=5000,
    )
    candidates = Candidate.objects.filter(email_normalised__endswith=f".{RUN}@example.com").order_by("pk")
    stages = list(ApplicationStage)
    Application.objects.bulk_create(
        [
            Application(
                candidate_id=pk,
                vacancy=vacancies[i % len(vacancies)],
                stage=stages[i % len(stages)],
                source="partner" if i % 5 == 0 else "direct",
                partner_client=client if i % 5 == 0 else None,
                source_name=client.name if i % 5 == 0 else "",
                cover_letter="Six years on an acute medical ward." if i % 2 else "",
                # Timestamps shared by about 70 rows each, as busy minutes have.
                submitted_at=now - datetime.timedelta(minutes=i % 1440),
                stage_changed_at=now - datetime.timedelta(minutes=(i * 7) % 1440),
            )
            for i, pk in enumerate(candidates.values_list("pk", flat=True).iterator(chunk_size=5000))
        ],
        batch_size=5000,
    )
    ids = list(_applications().order_by("pk").values_list("pk", flat=True))
    ApplicationDocument.objects.bulk_create(
        [
            ApplicationDocument(
                application_id=pk,
                kind=kind,
                file=f"applications/{pk}/{kind}.pdf",
                original_name=f"{kind}.pdf",
                content_type="application/pdf",
                size=20480,
            )
            for n, pk in enumerate(ids)
            for kind in (("cv", "cover_letter") if n % 3 == 0 else ("cv",))
        ],
        batch_size=5000,
    )
    EqualOpportunities.objects.bulk_create(
        [EqualOpportunities(application_id=pk, ethnicity="white_irish") for pk in ids[::2]], batch_size=5000
    )
    return divisions


def _applications():
    return Application.objects.filter(vacancy__division__code__startswith=f"bench-{RUN}-")


def _user(*, superuser: bool = False, divisions=()) -> APIClient:
    """A user (a superuser, or a partner's permissions over `divisions`) and an API client with its token (also as
    `token_header`, the Authorization header's value, for clients of a real server)."""
    users = get_user_model().objects
    username = f"bench-api-{'admin' if superuser else 'scoped'}-{RUN}"
    if superuser:
        user = users.create_superuser(username, f"{username}@example.com")
    else:
        user = users.create_user(username, f"{username}@example.com")
        user.user_permissions.add(
            *Permission.objects.filter(content_type__app_label="recruitment", codename__in=PARTNER_PERMISSIONS)
        )
        DataScope.objects.create(user=user).divisions.add(*divisions)
    client, key = partner_client_create(name=f"Bench {username}")
    password = api_password_generate(user=user)
    _, token = api_token_issue(client_id=client.client_id, api_key=key, username=username, api_password=password)
    api = APIClient()
    api.token_header = f"Bearer {token}"
    api.credentials(HTTP_AUTHORIZATION=api.token_header)
    api.user = user
    return api


def clean_up() -> None:
    """Remove every row this run made (documents, answers and tokens go with their applications and users)."""
    _applications().delete()
    Candidate.objects.filter(email_normalised__endswith=f".{RUN}@example.com").delete()
    Vacancy.objects.filter(reference__startswith=f"B{RUN}-").delete()
    Department.objects.filter(code__startswith=f"bench-{RUN}-").delete()
    Division.objects.filter(code__startswith=f"bench-{RUN}-").delete()
    PartnerClient.objects.filter(name__contains=RUN).delete()
    get_user_model().objects.filter(username__startswith="bench-api-", username__endswith=f"-{RUN}").delete()
    for model in (Location, Region, JobCategory, EmploymentType, JobLevel, SalaryBand):
        model.objects.filter(code=f"x-{RUN}").delete()


# --- Baseline 1: a plain ModelViewSet over the same fields ----------------------------------------------------------


class PlainCandidateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Candidate
        fields = ("id", *CANDIDATE_FIELDS)


class PlainJobRefSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="title_for_candidates")

    class Meta:
        model = Vacancy
        fields = ("reference", "title")


class PlainDocumentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = ApplicationDocument
        fields = ("kind", "original_name", "content_type", "size", "url")

    def get_url(self, document) -> str:
        path = reverse("api:application-document", args=[document.application_id, document.kind])
        return self.context["request"].build_absolute_uri(path)


class PlainEqualOpportunitiesSerializer(serializers.ModelSerializer):
    class Meta:
        model = EqualOpportunities
        exclude = ("id", "application")


class PlainApplicationSerializer(serializers.ModelSerializer):
    candidate = PlainCandidateSerializer()
    job = PlainJobRefSerializer(source="vacancy")
    stage_label = serializers.CharField(source="get_stage_display")
    documents = PlainDocumentSerializer(many=True)
    partner_client = serializers.CharField(source="partner_client.name", allow_null=True, default=None)

    class Meta:
        model = Application
        fields = (
            "id",
            "stage",
            "stage_label",
            "stage_changed_at",
            "submitted_at",
            "source",
            "source_name",
            "partner_client",
            "candidate",
            "job",
            "cover_letter",
            "documents",
        )


class PlainChangeSerializer(PlainApplicationSerializer):
    equal_opportunities = serializers.SerializerMethodField()

    class Meta(PlainApplicationSerializer.Meta):
        fields = (*PlainApplicationSerializer.Meta.fields, "equal_opportunities")

    def get_equal_opportunities(self, application):
        if not self.context["request"].user.has_perm(EO_VIEW_PERMISSION):
            return None
        try:
            return PlainEqualOpportunitiesSerializer(application.equal_opportunities).data
        except EqualOpportunities.DoesNotExist:
            return None


class PlainNamedSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class PlainLocationSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code")

    class Meta:
        model = Location
        fields = ("code", "name", "town", "postcode", "region")


class PlainSalarySerializer(serializers.Serializer):
    type = serializers.CharField(source="salary_type")
    min = serializers.DecimalField(source="salary_min", max_digits=10, decimal_places=2, allow_null=True)
    max = serializers.DecimalField(source="salary_max", max_digits=10, decimal_places=2, allow_null=True)
    period = serializers.CharField(source="salary_period")
    band = serializers.CharField(source="salary_band.code", allow_null=True, default=None)


class PlainJobSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="title_for_candidates")
    division = PlainNamedSerializer()
    department = PlainNamedSerializer()
    location = PlainLocationSerializer()
    job_category = PlainNamedSerializer()
    employment_type = PlainNamedSerializer()
    job_level = PlainNamedSerializer(allow_null=True)
    salary = PlainSalarySerializer(source="*")
    apply_url = serializers.SerializerMethodField()

    class Meta:
        model = Vacancy
        fields = (
            "reference",
            "title",
            "status",
            "division",
            "department",
            "location",
            "job_category",
            "employment_type",
            "job_level",
            "salary",
            "working_patterns",
            "hours_per_week",
            "contract_duration_length",
            "contract_duration_unit",
            "closing_date",
            "attention_grabber",
            "advert_html",
            "dbs_level",
            "dbs_workforce",
            "advertised_at",
            "apply_url",
        )

    def get_apply_url(self, vacancy) -> str:
        return settings.SITE_URL.rstrip("/") + reverse("careers-apply", args=[vacancy.reference])


class PlainCursor(pagination.CursorPagination):
    page_size_query_param = "page_size"
    ordering = ("-submitted_at", "-id")


class PlainChangesCursor(PlainCursor):
    ordering = ("stage_changed_at", "id")


class PlainApplications(viewsets.ModelViewSet):
    serializer_class = PlainApplicationSerializer
    pagination_class = PlainCursor
    permission_classes = (HasModelPermission,)
    permission_model = Application

    def get_queryset(self):
        return applications_visible_to(self.request.user)


class PlainChanges(PlainApplications):
    serializer_class = PlainChangeSerializer
    pagination_class = PlainChangesCursor

    def get_queryset(self):
        return super().get_queryset().filter(stage_changed_at__gte=self.request.query_params["since"])


class PlainJobs(viewsets.ModelViewSet):
    serializer_class = PlainJobSerializer
    pagination_class = StandardPagination
    permission_classes = (HasModelPermission,)
    permission_model = Vacancy

    def get_queryset(self):
        from recruitment.selectors.scope import vacancies_visible_to

        return vacancies_visible_to(self.request.user, Vacancy.objects.open_for_applications()).order_by(
            "closing_date", "pk"
        )


# --- Baseline 2: the floor, raw SQL and orjson ----------------------------------------------------------------------

# The scope of the user a floor request is for (the floor does no authentication: it is the data work alone).
FLOOR_SCOPE: dict[str, list[int] | None] = {}
LONDON = timezone.get_default_timezone()
STAGE_LABELS = dict(ApplicationStage.choices)


def _when(value) -> str | None:
    """A timestamp as DRF writes it: in the site's time zone, ISO 8601, "Z" for UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    text = value.astimezone(LONDON).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _table(model) -> str:
    return model._meta.db_table


def _scope_sql(divisions: list[int] | None) -> str:
    """The scope condition on applications `a`, as the best plan on both databases has it (a correlated EXISTS)."""
    if divisions is None:
        return "1 = 1"
    ids = ",".join(str(int(pk)) for pk in divisions) or "NULL"
    return f"EXISTS (SELECT 1 FROM {_table(Vacancy)} sv WHERE sv.id = a.vacancy_id AND sv.division_id IN ({ids}))"


def _cursor_token(value, pk: int) -> str:
    import base64
    import json

    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    data = {"t": value.isoformat(), "k": pk, "b": 0}
    return base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode().rstrip("=")


_EO_COLUMNS = [f.column for f in EqualOpportunities._meta.concrete_fields if f.name not in ("id", "application")]
_CANDIDATE_WIDTH = len(CANDIDATE_FIELDS) + 1


def _floor_sql(divisions: list[int] | None, *, changes: bool, include_eo: bool, tail: str, documents: bool = False):
    """The applications query of the floor: columns as `_floor_body` reads them (documents' four last with
    `documents`), the user's scope, `tail` (ORDER BY ... LIMIT ...) at the end."""
    candidate_columns = ", ".join(f"c.{name}" for name in ("id", *CANDIDATE_FIELDS))
    eo_columns = "".join(f", e.{name}" for name in _EO_COLUMNS) + ", e.id" if include_eo else ""
    eo_join = f"LEFT JOIN {_table(EqualOpportunities)} e ON e.application_id = a.id" if include_eo else ""
    document_columns = ", d.kind, d.original_name, d.content_type, d.size" if documents else ""
    document_join = f"LEFT JOIN {_table(ApplicationDocument)} d ON d.application_id = a.id" if documents else ""
    where = "a.stage_changed_at >= %s" if changes else "1 = 1"
    return (
        f"SELECT a.id, a.stage, a.stage_changed_at, a.submitted_at, a.source, a.source_name, p.name, "
        f"{candidate_columns}, v.reference, v.title_for_candidates, a.cover_letter{eo_columns}{document_columns} "
        f"FROM {_table(Application)} a JOIN {_table(Candidate)} c ON c.id = a.candidate_id "
        f"JOIN {_table(Vacancy)} v ON v.id = a.vacancy_id "
        f"LEFT JOIN {_table(PartnerClient)} p ON p.id = a.partner_client_id {eo_join} {document_join} "
        f"WHERE {where} AND {_scope_sql(divisions)} {tail}"
    )


def _floor_body(r, documents: list[dict], *, changes: bool, include_eo: bool) -> dict:
    """An application's JSON object from a row of `_floor_sql`."""
    width = _CANDIDATE_WIDTH
    body = {
        "id": r[0],
        "stage": r[1],
        "stage_label": STAGE_LABELS[r[1]],
        "stage_changed_at": _when(r[2]),
        "submitted_at": _when(r[3]),
        "source": r[4],
        "source_name": r[5],
        "partner_client": r[6],
        "candidate": dict(zip(("id", *CANDIDATE_FIELDS), r[7 : 7 + width], strict=True)),
        "job": {"reference": r[7 + width], "title": r[8 + width]},
        "cover_letter": r[9 + width],
        "documents": documents,
    }
    if changes:
        eo = None
        answers = r[10 + width : 10 + width + len(_EO_COLUMNS) + 1] if include_eo else ()
        if include_eo and answers[-1] is not None:
            eo = dict(zip(_EO_COLUMNS, answers[:-1], strict=True))
            eo["recorded_at"] = _when(eo["recorded_at"])
        body["equal_opportunities"] = eo
    return body


def _since_param(since: str):
    return connection.ops.adapt_datetimefield_value(datetime.datetime.fromisoformat(since))


def _floor_applications(request, *, changes: bool) -> HttpResponse:
    divisions = FLOOR_SCOPE[request.GET["user"]]
    include_eo = changes and divisions is None  # the superuser holds the EO permission, the scoped user not
    order = "a.stage_changed_at, a.id" if changes else "a.submitted_at DESC, a.id DESC"
    sql = _floor_sql(divisions, changes=changes, include_eo=include_eo, tail=f"ORDER BY {order} LIMIT {PAGE + 1}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [_since_param(request.GET["since"])] if changes else [])
        found = cursor.fetchall()
        more, found = len(found) > PAGE, found[:PAGE]
        ids = ",".join(str(r[0]) for r in found) or "NULL"
        cursor.execute(
            f"SELECT application_id, kind, original_name, content_type, size FROM {_table(ApplicationDocument)} "
            f"WHERE application_id IN ({ids}) ORDER BY application_id, kind"
        )
        documents: dict[int, list] = {}
        base = request.build_absolute_uri("/api/v1/applications/")
        for application_id, kind, name, content_type, size in cursor.fetchall():
            documents.setdefault(application_id, []).append(
                {
                    "kind": kind,
                    "original_name": name,
                    "content_type": content_type,
                    "size": size,
                    "url": f"{base}{application_id}/documents/{kind}/",
                }
            )
    results = [_floor_body(r, documents.get(r[0], []), changes=changes, include_eo=include_eo) for r in found]
    next_link = None
    if more:
        key = "stage_changed_at" if changes else "submitted_at"
        last = found[-1]
        token = _cursor_token(last[2] if key == "stage_changed_at" else last[3], last[0])
        next_link = _next_url(request, "/api/v1/exports/changes/" if changes else "/api/v1/applications/", cursor=token)
    return HttpResponse(
        orjson.dumps({"next": next_link, "previous": None, "results": results}), content_type="application/json"
    )


def floor_stream(who: str, since: str) -> tuple[int, bytes]:
    """The floor of the streamed NDJSON export: one query (documents joined) through one server-side cursor, a JSON
    line per application by orjson; returns the lines' count and the first 100 lines (to check against ours)."""
    divisions = FLOOR_SCOPE[who]
    include_eo = divisions is None
    sql = _floor_sql(
        divisions, changes=True, include_eo=include_eo, tail="ORDER BY a.stage_changed_at, a.id", documents=True
    )
    base = "http://testserver/api/v1/applications/"
    lines, head, current, documents = 0, [], None, []

    def flush() -> None:
        nonlocal lines
        line = orjson.dumps(
            _floor_body(current, documents, changes=True, include_eo=include_eo), option=orjson.OPT_APPEND_NEWLINE
        )
        lines += 1
        if len(head) < 100:
            head.append(line)

    with transaction.atomic(), connection.chunked_cursor() as cursor:
        if connection.vendor == "postgresql":  # the whole-result plan, as ours has it
            with connection.cursor() as setting:
                setting.execute("SET LOCAL cursor_tuple_fraction = 1")
        cursor.execute(sql, [_since_param(since)])
        while rows := cursor.fetchmany(2000):
            for r in rows:
                if current is None or r[0] != current[0]:
                    if current is not None:
                        flush()
                    current, documents = r, []
                if r[-4] is not None:
                    documents.append(
                        {
                            "kind": r[-4],
                            "original_name": r[-3],
                            "content_type": r[-2],
                            "size": r[-1],
                            "url": f"{base}{r[0]}/documents/{r[-4]}/",
                        }
                    )
                    documents.sort(key=lambda document: document["kind"])
        if current is not None:
            flush()
    return lines, b"".join(head)


def _next_url(request, api_path: str, **extra) -> str:
    """A `next` link as ours writes it: this request's query (less `user`) on the API path, `extra` added, sorted."""
    query = {key: value for key, value in request.GET.items() if key != "user"} | extra
    return request.build_absolute_uri(f"{api_path}?{urlencode(sorted(query.items()))}")


def floor_applications(request) -> HttpResponse:
    return _floor_applications(request, changes=False)


def floor_changes(request) -> HttpResponse:
    return _floor_applications(request, changes=True)


def _money(value) -> str | None:
    if value is None:
        return None
    return f"{Decimal(value).quantize(Decimal('0.01')):f}"


def floor_jobs(request) -> HttpResponse:
    divisions = FLOOR_SCOPE[request.GET["user"]]
    scope = "1 = 1" if divisions is None else f"v.division_id IN ({','.join(map(str, divisions)) or 'NULL'})"
    open_where = f"v.status IN ('advertised_internal', 'advertised_external') AND v.closing_date >= %s AND {scope}"
    tables = (
        f"FROM {_table(Vacancy)} v JOIN {_table(Division)} d ON d.id = v.division_id "
        f"JOIN {_table(Department)} dp ON dp.id = v.department_id JOIN {_table(Location)} l ON l.id = v.location_id "
        f"JOIN {_table(Region)} r ON r.id = l.region_id JOIN {_table(JobCategory)} jc ON jc.id = v.job_category_id "
        f"JOIN {_table(EmploymentType)} et ON et.id = v.employment_type_id "
        f"LEFT JOIN {_table(JobLevel)} jl ON jl.id = v.job_level_id "
        f"LEFT JOIN {_table(SalaryBand)} sb ON sb.id = v.salary_band_id"
    )
    today = timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {_table(Vacancy)} v WHERE {open_where}", [today])
        count = cursor.fetchone()[0]
        cursor.execute(
            "SELECT v.reference, v.title_for_candidates, v.status, d.code, d.name, dp.code, dp.name, l.code, l.name, "
            "l.town, l.postcode, r.code, jc.code, jc.name, et.code, et.name, jl.code, jl.name, v.salary_type, "
            "v.salary_min, v.salary_max, v.salary_period, sb.code, v.working_patterns, v.hours_per_week, "
            "v.contract_duration_length, v.contract_duration_unit, v.closing_date, v.attention_grabber, "
            f"v.advert_html, v.dbs_level, v.dbs_workforce, v.advertised_at {tables} WHERE {open_where} "
            f"ORDER BY v.closing_date, v.id LIMIT {PAGE}",
            [today],
        )
        found = cursor.fetchall()
    site = settings.SITE_URL.rstrip("/")
    results = [
        {
            "reference": r[0],
            "title": r[1],
            "status": r[2],
            "division": {"code": r[3], "name": r[4]},
            "department": {"code": r[5], "name": r[6]},
            "location": {"code": r[7], "name": r[8], "town": r[9], "postcode": r[10], "region": r[11]},
            "job_category": {"code": r[12], "name": r[13]},
            "employment_type": {"code": r[14], "name": r[15]},
            "job_level": {"code": r[16], "name": r[17]} if r[16] is not None else None,
            "salary": {"type": r[18], "min": _money(r[19]), "max": _money(r[20]), "period": r[21], "band": r[22]},
            "working_patterns": orjson.loads(r[23]) if isinstance(r[23], str) else r[23],
            "hours_per_week": None if r[24] is None else f"{Decimal(r[24]).quantize(Decimal('0.1')):f}",
            "contract_duration_length": r[25],
            "contract_duration_unit": r[26],
            "closing_date": str(r[27]),
            "attention_grabber": r[28],
            "advert_html": r[29],
            "dbs_level": r[30],
            "dbs_workforce": r[31],
            "advertised_at": _when(r[32]),
            "apply_url": f"{site}/careers/jobs/{r[0]}/apply/",
        }
        for r in found
    ]
    next_link = _next_url(request, "/api/v1/jobs/", page=2) if count > PAGE else None
    body = {"count": count, "next": next_link, "previous": None, "results": results}
    return HttpResponse(orjson.dumps(body), content_type="application/json")


def _urls() -> None:
    """Serve the project's URLs plus the baselines, from a URLconf made here (never part of the project)."""
    module = types.ModuleType("bench_api_urls")
    module.urlpatterns = [
        path("bench/plain/applications/", PlainApplications.as_view({"get": "list"})),
        path("bench/plain/changes/", PlainChanges.as_view({"get": "list"})),
        path("bench/plain/jobs/", PlainJobs.as_view({"get": "list"})),
        path("bench/floor/applications/", floor_applications),
        path("bench/floor/changes/", floor_changes),
        path("bench/floor/jobs/", floor_jobs),
        path("", include(settings.ROOT_URLCONF)),
    ]
    sys.modules[module.__name__] = module
    settings.ROOT_URLCONF = module.__name__
    clear_url_caches()


# --- Measuring ------------------------------------------------------------------------------------------------------


def _get(api: APIClient, url: str):
    response = api.get(url)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return response


def _body(api: APIClient, url: str) -> dict:
    return orjson.loads(_get(api, url).content)


def _sorted_documents(results: list[dict]) -> list[dict]:
    """The rows with each one's documents in kind order (as ours lists them)."""
    return [
        {**r, "documents": sorted(r["documents"], key=lambda d: d["kind"])} if "documents" in r else r for r in results
    ]


def lists(users: dict[str, APIClient], since: str) -> tuple[dict, list[dict]]:
    """Each list page for each user beside its two baselines: timings, queries, ratios, and their summary rows."""
    pages = {
        "applications": ("/api/v1/applications/", "/bench/plain/applications/", "/bench/floor/applications/", ""),
        "jobs": ("/api/v1/jobs/", "/bench/plain/jobs/", "/bench/floor/jobs/", ""),
        "export page": (
            "/api/v1/exports/changes/",
            "/bench/plain/changes/",
            "/bench/floor/changes/",
            f"&{urlencode({'since': since})}",
        ),
    }
    figures, summary = {}, []
    for who, api in users.items():
        FLOOR_SCOPE[who] = scope_division_ids(api.user)
        for name, (ours, plain, floor, query) in pages.items():
            urls = {
                "ours": f"{ours}?page_size={PAGE}{query}",
                "plain": f"{plain}?page_size={PAGE}{query}",
                "floor": f"{floor}?page_size={PAGE}{query}&user={who}",
            }
            bodies = {variant: _body(api, url) for variant, url in urls.items()}
            assert len(bodies["ours"]["results"]) == PAGE, (name, who, len(bodies["ours"]["results"]))
            assert bodies["floor"] == bodies["ours"], f"{name} ({who}): the floor's body differs from ours"
            # The plain serializer lists an application's documents in no set order.
            assert _sorted_documents(bodies["plain"]["results"]) == bodies["ours"]["results"], f"{name} ({who}): plain"
            calls = {variant: (lambda u=url, a=api: _get(a, u)) for variant, url in urls.items()}
            timings = interleaved({"ours": calls["ours"], "floor": calls["floor"]}, runs=RUNS)
            beside_plain = interleaved({"ours": calls["ours"], "plain": calls["plain"]}, runs=PLAIN_RUNS)
            timings["plain"] = beside_plain["plain"]
            one_row = urls["ours"].replace(f"page_size={PAGE}", "page_size=1")
            queries = {
                "ours": query_count(lambda u=urls["ours"], a=api: _get(a, u)),
                "ours_one_row": query_count(lambda u=one_row, a=api: _get(a, u)),
                "plain": query_count(lambda u=urls["plain"], a=api: _get(a, u)),
            }
            ours_p95 = timings["ours"]["p95_ms"]
            floor_ratio = ours_p95 / timings["floor"]["p95_ms"]
            plain_ratio = timings["plain"]["p95_ms"] / beside_plain["ours"]["p95_ms"]
            figures[f"{name} ({who})"] = {
                "timings": timings,
                "ours_beside_plain": beside_plain["ours"],
                "queries": queries,
            }
            label = f"API {name}, {PAGE} rows, {who}"
            summary += [
                row(
                    f"{label}: p50 / p95",
                    f"{timings['ours']['p50_ms']} / {ours_p95} ms, {queries['ours']} queries "
                    f"({queries['ours_one_row']} for 1 row)",
                    goal=f"p95 <= {GOAL_P95_MS} ms, queries the same for 1 row",
                    met=ours_p95 <= GOAL_P95_MS and queries["ours"] == queries["ours_one_row"],
                ),
                row(
                    f"{label}: against the floor (raw SQL + orjson), p95",
                    f"{ours_p95} ms",
                    baseline=f"{timings['floor']['p50_ms']} / {timings['floor']['p95_ms']} ms",
                    ratio=f"{floor_ratio:.1f}x the floor",
                    goal=f"<= {GOAL_FLOOR_RATIO}x",
                    met=floor_ratio <= GOAL_FLOOR_RATIO,
                ),
                row(
                    f"{label}: against a plain ModelViewSet, p95",
                    f"{beside_plain['ours']['p95_ms']} ms",
                    baseline=f"{timings['plain']['p50_ms']} / {timings['plain']['p95_ms']} ms, "
                    f"{queries['plain']} queries",
                    ratio=f"{plain_ratio:.1f}x faster",
                    goal=f">= {GOAL_PLAIN_RATIO}x faster",
                    met=plain_ratio >= GOAL_PLAIN_RATIO,
                ),
            ]
    return figures, summary


def _walk(api: APIClient, since: str) -> tuple[int, float]:
    """Rows and seconds to walk the paged export by its `next` links, 100 rows a page."""
    rows, url, started = (
        0,
        f"/api/v1/exports/changes/?{urlencode({'page_size': 100, 'since': since})}",
        time.perf_counter(),
    )
    seen = set()
    while url:
        body = _body(api, url)
        rows += len(body["results"])
        seen.update(item["id"] for item in body["results"])
        url = body["next"]
    assert len(seen) == rows, "the walk met a row twice"
    return rows, time.perf_counter() - started


def streams(users: dict[str, APIClient], since: str) -> tuple[dict, list[dict]]:
    """The streamed export of every row, NDJSON and CSV, for each user: seconds, rows, RSS growth; beside the walk
    of the paged export and the floor (one raw cursor to NDJSON lines by orjson, checked to write the same lines)."""
    figures, summary = {}, []
    for who, api in users.items():
        expected = applications_visible_to(api.user).filter(stage_changed_at__gte=since).count()
        walked, walk_seconds = _walk(api, since)
        assert walked == expected, (who, walked, expected)
        started = time.perf_counter()
        floor_rows, floor_head = floor_stream(who, since)
        floor_seconds = time.perf_counter() - started
        assert floor_rows == expected, (who, floor_rows, expected)
        figures[f"paged walk ({who})"] = {"rows": walked, "seconds": round(walk_seconds, 2)}
        figures[f"stream floor ({who})"] = {"rows": floor_rows, "seconds": round(floor_seconds, 2)}
        for fmt in ("ndjson", "csv"):
            url = f"/api/v1/exports/changes.{fmt}?{urlencode({'since': since})}"
            head = b""
            with RssSampler() as rss:
                started = time.perf_counter()
                response = _get(api, url)
                lines = 0
                for chunk in response.streaming_content:
                    lines += chunk.count(b"\n")
                    head = head or chunk
                seconds = time.perf_counter() - started
            rows = lines - (1 if fmt == "csv" else 0)  # the CSV's header line
            assert rows == expected, (who, fmt, rows, expected)
            if fmt == "ndjson":
                assert head.startswith(floor_head), f"{who}: the floor's lines differ from ours"
            per_100k = seconds * 100_000 / rows
            growth_mb = rss.growth / 2**20
            figures[f"stream {fmt} ({who})"] = {
                "rows": rows,
                "seconds": round(seconds, 2),
                "seconds_per_100000_rows": round(per_100k, 2),
                "rss_growth_mb": round(growth_mb, 1),
                "rss_peak_mb": round(rss.peak / 2**20, 1),
            }
            summary.append(
                row(
                    f"Streamed export, {fmt.upper()}, {who}: {rows:,} rows",
                    f"{seconds:.2f} s ({per_100k:.2f} s per 100,000 rows), RSS +{growth_mb:.0f} MB",
                    baseline=f"floor (raw cursor to NDJSON) {floor_seconds:.2f} s; "
                    f"paged walk (100 a page) {walk_seconds:.1f} s",
                    ratio=f"{seconds / floor_seconds:.1f}x the floor; "
                    f"{walk_seconds / seconds:.0f}x faster than the walk",
                    goal=f"<= {GOAL_STREAM_SECONDS_PER_100K} s per 100,000 rows, RSS < {GOAL_STREAM_RSS_MB} MB",
                    met=per_100k <= GOAL_STREAM_SECONDS_PER_100K and growth_mb < GOAL_STREAM_RSS_MB,
                )
            )
    return figures, summary


def key_check(runs: int = 2000) -> dict:
    """Microseconds to check a partner API key against its stored keyed hash (right and wrong keys alike)."""
    from recruitment.keyhash import key_hash, key_matches

    stored = key_hash("rk_" + "x" * 43)
    times = []
    for attempt in range(runs):
        started = time.perf_counter()
        key_matches("rk_" + ("x" if attempt % 2 else "y") * 43, stored)
        times.append(time.perf_counter() - started)
    return {"median_us": round(statistics.median(times) * 1e6, 1), "worst_us": round(max(times) * 1e6, 1)}


def main() -> None:
    _urls()
    started = time.perf_counter()
    try:
        users = build()
        built = time.perf_counter() - started
        since = (timezone.now() - datetime.timedelta(hours=25)).isoformat()
        list_figures, list_summary = lists(users, since)
        stream_figures, stream_summary = streams(users, since)
    finally:
        if not FRESH:
            clean_up()
    keys = key_check()
    figures = {
        "applications": APPLICATIONS,
        "runs_ours_and_floor": RUNS,
        "runs_ours_and_plain": PLAIN_RUNS,
        "scoped_user_divisions": f"{SCOPED_DIVISIONS} of {DIVISIONS}",
        "build_seconds": round(built, 1),
        "lists": list_figures,
        "streams": stream_figures,
        "api_key_check": keys,
    }
    summary = [
        *list_summary,
        *stream_summary,
        row("API key check (keyed hash)", f"{keys['median_us']} us median, {keys['worst_us']} us worst"),
    ]
    write_figures("api", figures, summary)


if __name__ == "__main__":
    main()
