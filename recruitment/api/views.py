"""Partner API views: thin, reading through selectors and writing through services."""

import datetime
from collections.abc import Callable, Iterable, Iterator

from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from recruitment import lockout
from recruitment.api.errors import PROBLEM_CONTENT_TYPE, ProblemSerializer, problem
from recruitment.api.exports import CSV_CONTENT_TYPE, NDJSON_CONTENT_TYPE, csv_lines, ndjson_lines
from recruitment.api.filters import DbsCheckFilter, FilterBackend, JobFilter
from recruitment.api.idempotency import idempotent
from recruitment.api.pagination import ApplicationsCursorPagination, ChangesCursorPagination
from recruitment.api.permissions import HasModelPermission
from recruitment.api.serializers.applications import (
    ApplicationBodies,
    ApplicationCreatedSerializer,
    ApplicationCreateSerializer,
    ApplicationSerializer,
    ApplicationWithEqualOpportunitiesSerializer,
    StageSerializer,
)
from recruitment.api.serializers.auth import TokenRequestSerializer, TokenResponseSerializer
from recruitment.api.serializers.dbs import DbsCheckAdvanceSerializer, DbsCheckSerializer
from recruitment.api.serializers.jobs import JobBodies, JobSerializer
from recruitment.models import (
    EO_VIEW_PERMISSION,
    Application,
    ApplicationSource,
    DbsCheck,
    DbsViewChannel,
    DocumentKind,
    Vacancy,
)
from recruitment.privacy.viewlog import dbs_views_record
from recruitment.selectors.applications import (
    application_change_rows,
    application_change_stream,
    application_documents,
    application_list,
    application_rows,
)
from recruitment.selectors.dbs import dbs_check_list
from recruitment.selectors.scope import documents_visible_to, vacancies_visible_to
from recruitment.selectors.vacancies import job_list, job_rows
from recruitment.services.applications import application_apply
from recruitment.services.candidates import CANDIDATE_DETAILS
from recruitment.services.dbs import dbs_check_advance
from recruitment.services.partners import TOKEN_LIFETIME, InvalidCredentials, api_token_issue
from recruitment.uploads import MAX_DOCUMENT_BYTES, check_document
from recruitment.web.documents import document_attachment

# Two documents of at most 5 MB and the form fields: anything larger is refused before it is read.
MAX_REQUEST_BYTES = 2 * MAX_DOCUMENT_BYTES + 1024 * 1024


class TokenView(APIView):
    """Exchange client credentials and a user's API password for a bearer token (one hour)."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_scope = "token"

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: TokenResponseSerializer},
        auth=[],
    )
    def post(self, request):
        """Issue a token; refused while the username is locked at this address (`recruitment.lockout`, a 429)."""
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        username = serializer.validated_data["username"]
        http_request = request._request  # axes keeps its per-request state on Django's request
        if lockout.is_locked(http_request, username):
            return lockout.lockout_response(http_request, credentials={"username": username})
        try:
            token, raw = api_token_issue(**serializer.validated_data)
        except InvalidCredentials as exc:
            if lockout.record_failure(http_request, username, sender=__name__):
                return lockout.lockout_response(http_request, credentials={"username": username})
            return problem(401, exc.message, headers={"WWW-Authenticate": 'Bearer realm="api"'})
        lockout.record_success(http_request, username)
        body = {
            "access_token": raw,
            "token_type": "Bearer",
            "expires_in": int(TOKEN_LIFETIME.total_seconds()),
            "expires_at": token.expires_at,
        }
        return Response(TokenResponseSerializer(body).data, headers={"Cache-Control": "no-store"})


class ReferenceListView(generics.ListAPIView):
    """A reference list (configured per URL with `queryset` and `serializer_class`)."""

    permission_classes = (IsAuthenticated,)


class JobListView(generics.ListAPIView):
    """Advertised jobs in the caller's data scope."""

    # Read as dict rows (`job_rows`) and written by JobBodies; `serializer_class` is the schema and the contract.
    serializer_class = JobSerializer
    permission_classes = (HasModelPermission,)
    permission_model = Vacancy
    filter_backends = (FilterBackend,)
    filterset_class = JobFilter

    def get_queryset(self):
        return job_rows(user=self.request.user)

    def list(self, request, *args, **kwargs):
        rows = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        bodies = JobBodies()
        return self.get_paginated_response([bodies.body(row) for row in rows])


class JobDetailView(generics.RetrieveAPIView):
    """One advertised job by reference (404 outside the caller's scope)."""

    serializer_class = JobSerializer
    permission_classes = (HasModelPermission,)
    permission_model = Vacancy
    lookup_field = "reference"

    def get_queryset(self):
        return job_list(user=self.request.user)


class ApplicationRowsListMixin:
    """A list of applications read as dict rows (`application_rows`) and written by ApplicationBodies, with the
    page's documents in one query; `serializer_class` is the schema and the contract."""

    export = False

    def with_equal_opportunities(self) -> bool:
        """Whether the rows carry the equal-opportunities answers (the export, for callers permitted to read them)."""
        return False

    def list(self, request, *args, **kwargs):
        rows = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        bodies = ApplicationBodies(
            request, export=self.export, with_equal_opportunities=self.with_equal_opportunities()
        )
        documents = application_documents(application_ids=[row["id"] for row in rows]) if bodies.with_documents else {}
        return self.get_paginated_response([bodies.body(row, documents.get(row["id"], [])) for row in rows])


class JobApplicationsView(ApplicationRowsListMixin, generics.ListAPIView):
    """The applications to one job (the candidates who applied)."""

    serializer_class = ApplicationSerializer
    permission_classes = (HasModelPermission,)
    permission_model = Application

    def get_queryset(self):
        # Any vacancy in scope, closed ones included: their applicants still matter.
        job = get_object_or_404(vacancies_visible_to(self.request.user), reference=self.kwargs["reference"])
        return application_rows(user=self.request.user).filter(vacancy=job)


class ApplicationListCreateView(ApplicationRowsListMixin, generics.ListAPIView):
    """List applications in scope (newest first, by cursor), or create one (candidate matched by email) with a CV."""

    serializer_class = ApplicationSerializer
    pagination_class = ApplicationsCursorPagination
    permission_classes = (HasModelPermission,)
    permission_model = Application
    extra_permissions = {"POST": ("recruitment.add_candidate",)}
    request_field_names = {"vacancy": "job"}  # the services' field in this request's words (errors.py)

    def get_queryset(self):
        return application_rows(user=self.request.user)

    @extend_schema(
        request={"multipart/form-data": ApplicationCreateSerializer},
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="Repeat a POST safely: the same key returns the first answer; the same key with a "
                "different request is 422.",
            )
        ],
        responses={
            201: ApplicationCreatedSerializer,
            (409, PROBLEM_CONTENT_TYPE): OpenApiResponse(
                ProblemSerializer,
                description="The application exists already: this candidate (matched by email) has applied for this "
                "job, or the same board application was received before.",
            ),
            (422, PROBLEM_CONTENT_TYPE): OpenApiResponse(
                ProblemSerializer,
                description="The Idempotency-Key was used before with a different request, or a rule refused the "
                "application (the job closed meanwhile).",
            ),
        },
    )
    def post(self, request):
        declared = request.META.get("CONTENT_LENGTH") or "0"
        if not declared.isdigit() or int(declared) > MAX_REQUEST_BYTES:
            return problem(413, "The request is too large: a CV and a cover letter of at most 5 MB each.")
        serializer = ApplicationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return idempotent(request, request.auth.client, lambda: self._create(serializer.validated_data))

    def _create(self, data) -> Response:
        documents = [(DocumentKind.CV, check_document(data["cv"], field="cv"))]
        if data.get("cover_letter_file"):
            documents.append(
                (DocumentKind.COVER_LETTER, check_document(data["cover_letter_file"], field="cover_letter_file"))
            )
        vacancy = job_list(user=self.request.user).filter(reference=data["job"]).first()
        if vacancy is None:
            raise ValidationError({"job": "There is no open job with this reference."})
        client = self.request.auth.client
        application = application_apply(
            vacancy=vacancy,
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            candidate_details={name: data[name] for name in CANDIDATE_DETAILS},
            source=ApplicationSource.PARTNER,
            partner_client=client,
            source_name=client.name,
            cover_letter=data["cover_letter"],
            documents=documents,
        )
        application = application_list(user=self.request.user).get(pk=application.pk)
        body = ApplicationCreatedSerializer(application, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)


class ApplicationDetailView(generics.RetrieveAPIView):
    """One application, with its current stage (404 outside the caller's scope)."""

    serializer_class = ApplicationSerializer
    permission_classes = (HasModelPermission,)
    permission_model = Application

    def get_queryset(self):
        return application_list(user=self.request.user)


class ApplicationStageView(ApplicationDetailView):
    """Just the current stage of an application."""

    serializer_class = StageSerializer


class ApplicationDocumentView(APIView):
    """Download an application's CV or cover letter (same scope and permission checks as the application)."""

    permission_classes = (HasModelPermission,)
    permission_model = Application
    extra_permissions = {"GET": ("recruitment.view_applicationdocument",)}

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    def get(self, request, pk: int, kind: str):
        document = get_object_or_404(documents_visible_to(request.user), application_id=pk, kind=kind)
        return document_attachment(document)


SINCE_PARAMETER = OpenApiParameter(
    "since", OpenApiTypes.DATETIME, description="Changes at or after this time (default: 24 hours ago)."
)


def changes_since(request) -> datetime.datetime:
    """The export's `since` parameter (aware; a naive time is taken in the site's zone), or 24 hours ago; 400 when
    it is not an ISO 8601 date and time."""
    raw = request.query_params.get("since")
    if not raw:
        return timezone.now() - datetime.timedelta(hours=24)
    try:
        value = parse_datetime(raw)
    except ValueError:
        value = None
    if value is None:
        raise ValidationError({"since": "Give an ISO 8601 date and time, e.g. 2026-11-21T09:00:00Z."})
    return value if timezone.is_aware(value) else timezone.make_aware(value)


class ChangesExportView(ApplicationRowsListMixin, generics.ListAPIView):
    """Applications whose stage changed since `since` (default: the last 24 hours), paged by cursor."""

    serializer_class = ApplicationWithEqualOpportunitiesSerializer
    permission_classes = (HasModelPermission,)
    permission_model = Application
    pagination_class = ChangesCursorPagination
    export = True

    def with_equal_opportunities(self) -> bool:
        return self.request.user.has_perm(EO_VIEW_PERMISSION)

    def get_queryset(self):
        return application_change_rows(
            user=self.request.user,
            since=changes_since(self.request),
            with_equal_opportunities=self.with_equal_opportunities(),
        )

    @extend_schema(
        parameters=[SINCE_PARAMETER],
        responses={200: ApplicationWithEqualOpportunitiesSerializer(many=True)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class FirstRendererNegotiation(BaseContentNegotiation):
    """Whatever the Accept header asks, the view's first renderer: the streamed exports' format is in their path,
    and their errors are problem details (JSON) like every other API error."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ChangesStreamView(APIView):
    """The change export in one streamed answer (a format per subclass): same rows, scope and permissions as the
    paged export, read through one server-side cursor."""

    permission_classes = (HasModelPermission,)
    permission_model = Application
    content_negotiation_class = FirstRendererNegotiation
    content_type: str
    suffix: str
    write: Callable[[ApplicationBodies, Iterable], Iterator[bytes]]  # the format's writer, from recruitment.api.exports

    def get(self, request):
        since = changes_since(request)
        with_eo = request.user.has_perm(EO_VIEW_PERMISSION)
        bodies = ApplicationBodies(request, export=True, with_equal_opportunities=with_eo)
        rows = application_change_stream(
            user=request.user, since=since, with_equal_opportunities=with_eo, with_documents=bodies.with_documents
        )
        response = StreamingHttpResponse(self.write(bodies, rows), content_type=self.content_type)
        name = f"changes-since-{since.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}.{self.suffix}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class ChangesNdjsonView(ChangesStreamView):
    """Applications whose stage changed since `since` (default: the last 24 hours), all in one answer: one JSON
    object per line, each the same as an item of the paged export's `results` (equal-opportunities answers only for
    callers permitted to read them; documents as links). For loading into a data lake."""

    content_type = NDJSON_CONTENT_TYPE
    suffix = "ndjson"
    write = staticmethod(ndjson_lines)

    @extend_schema(
        operation_id="exports_changes_ndjson",
        parameters=[SINCE_PARAMETER],
        responses={
            (200, NDJSON_CONTENT_TYPE): OpenApiResponse(
                ApplicationWithEqualOpportunitiesSerializer,
                description="Newline-delimited JSON: one such object per line, oldest change first.",
            )
        },
    )
    def get(self, request):
        return super().get(request)


class ChangesCsvView(ChangesStreamView):
    """Applications whose stage changed since `since` (default: the last 24 hours), all in one answer as CSV (UTF-8,
    a header line): the paged export's objects flattened, nested names joined by `_` (`candidate_email`,
    `job_reference`), each document as a link column (`cv_url`, `cover_letter_url`), and the
    `equal_opportunities_*` columns only for callers permitted to read the answers. A text cell starting with `=`,
    `+`, `-`, `@`, a tab or a carriage return is prefixed with `'` so no spreadsheet runs it as a formula."""

    content_type = CSV_CONTENT_TYPE
    suffix = "csv"
    write = staticmethod(csv_lines)

    @extend_schema(
        operation_id="exports_changes_csv",
        parameters=[SINCE_PARAMETER],
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV with a header line.")},
    )
    def get(self, request):
        return super().get(request)


class DbsCheckListView(generics.ListAPIView):
    """DBS checks in scope, e.g. `?stage=awaiting` for candidates awaiting their check. Each check on the page is
    written to the DBS viewer log."""

    serializer_class = DbsCheckSerializer
    permission_classes = (HasModelPermission,)
    permission_model = DbsCheck
    filter_backends = (FilterBackend,)
    filterset_class = DbsCheckFilter

    def get_queryset(self):
        return dbs_check_list(user=self.request.user)

    def get_paginated_response(self, data):
        dbs_views_record(check_ids=[row["id"] for row in data], viewer=self.request.user, channel=DbsViewChannel.API)
        return super().get_paginated_response(data)


class DbsCheckDetailView(generics.GenericAPIView):
    """One DBS check; PATCH advances its stage with the same rules as the back-office. Both answers show the check's
    details and are written to the DBS viewer log."""

    serializer_class = DbsCheckSerializer
    permission_classes = (HasModelPermission,)
    permission_model = DbsCheck
    extra_permissions = {"PATCH": ("recruitment.view_dbscheck",)}

    def get_queryset(self):
        return dbs_check_list(user=self.request.user)

    def get(self, request, pk: int):
        return self._shown(self.get_object())

    def _shown(self, check: DbsCheck) -> Response:
        """The check's details, written to the DBS viewer log."""
        dbs_views_record(check_ids=[check.pk], viewer=self.request.user, channel=DbsViewChannel.API)
        return Response(DbsCheckSerializer(check).data)

    @extend_schema(
        request=DbsCheckAdvanceSerializer,
        responses={200: DbsCheckSerializer},
    )
    def patch(self, request, pk: int):
        check = self.get_object()
        serializer = DbsCheckAdvanceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        dbs_check_advance(
            check=check,
            to_stage=data["stage"],
            actor=request.user,
            certificate_number=data.get("certificate_number"),
            certificate_issue_date=data.get("certificate_issue_date"),
            decision=data.get("decision"),
            note=data["note"],
        )
        return self._shown(self.get_queryset().get(pk=check.pk))
