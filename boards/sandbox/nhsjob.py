"""The fake NHSJob: the HTTP contract of BOARDS.md (seed 000), validating jobs with the same field spec as our form,
issuing OAuth access tokens that expire, taking applications from candidates (its page, or `POST /v1/applications`
with a token, for scripts and tests), telling us by signed webhook sent from a task, and listing changed
applications for the polling fallback.

Credentials it accepts (the demo account uses them): reads `X-API-Key: sandbox-nhsjob-key`; writes
`Authorization: Bearer <token>` with a token from `POST /oauth/token` for the client `sandbox-nhsjob-client` /
`sandbox-nhsjob-secret`, valid for the page's "token lifetime" (3,600 s unless changed). It signs its webhooks with
`sandbox-nhsjob-webhook-secret`. Jobs are deduplicated on `external_reference` (a second POST answers 200 with the
job already made). Faults on demand apply to the API under /v1 and the CV files, not to the token endpoint.
"""

import datetime
import hashlib
import json
import secrets
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from boards.adapters.nhsjob.mapping import PAYLOAD_FIELDS, values_from_payload
from boards.adapters.nhsjob.spec import SPEC
from boards.sandbox.candidates import apply_view, cv_views, page_lists, resume_url, status_view
from boards.sandbox.deliveries import new_event_id, webhook_queue
from boards.sandbox.faults import board_api, faults_endpoint
from boards.sandbox.models import (
    SandboxApplication,
    SandboxBoardSettings,
    SandboxDelivery,
    SandboxJob,
    SandboxToken,
)
from boards.sandbox.pages import board_context
from boards.validation import validate
from boards.values import iso_utc
from boards.webhooks import sign_body

BOARD = "nhsjob"
NAME = "NHSJob"
API_PATH = "/v1"
DEMO_SETTINGS = {
    "api_key": "sandbox-nhsjob-key",
    "client_id": "sandbox-nhsjob-client",
    "client_secret": "sandbox-nhsjob-secret",
    "webhook_secret": "sandbox-nhsjob-webhook-secret",
}
SWITCHES = ("webhooks_enabled", "token_lifetime_seconds")
PAGE_SIZE = 20
# What an application can become on the fake NHSJob's page (the candidate withdrawing is "withdrawn").
APPLICATION_STATUSES = (("under_review", "Under review"), ("shortlisted", "Shortlisted"), ("withdrawn", "Withdrawn"))


def _error_body(message: str, field: str = "") -> dict[str, Any]:
    """NHSJob's error shape: `{"message", "errors": [{"field", "message"}]}`."""
    return {"message": message, "errors": [{"field": field, "message": message}] if field else []}


def _error(status: int, message: str, field: str = "") -> JsonResponse:
    return JsonResponse(_error_body(message, field), status=status)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _token_valid(request: HttpRequest) -> bool:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return False
    return SandboxToken.objects.filter(board=BOARD, token_hash=_hash(token), expires_at__gt=timezone.now()).exists()


def _authorise(request: HttpRequest) -> HttpResponse | None:
    """The credential the method needs: the API key for reads (GET), a live access token for writes."""
    if request.method == "GET" and request.headers.get("X-API-Key") != DEMO_SETTINGS["api_key"]:
        return _error(401, "Missing or invalid API key.")
    if request.method != "GET" and not _token_valid(request):
        return _error(401, "Missing, invalid or expired access token.")
    return None


api = board_api(
    BOARD,
    error_body=_error_body,
    authorise=_authorise,
    lost_answer=lambda: _error(503, "NHSJob is temporarily unavailable."),
)


@csrf_exempt
@require_POST
def token(request: HttpRequest) -> JsonResponse:
    """`POST /oauth/token`, the client credentials grant (RFC 6749 section 4.4): the form's client id and secret
    for `{"access_token", "token_type": "Bearer", "expires_in"}`; errors in the RFC's shape (401 invalid_client)."""
    form = request.POST
    if form.get("grant_type") != "client_credentials":
        return JsonResponse(
            {"error": "unsupported_grant_type", "message": "Only client_credentials is supported."}, status=400
        )
    if (
        form.get("client_id") != DEMO_SETTINGS["client_id"]
        or form.get("client_secret") != DEMO_SETTINGS["client_secret"]
    ):
        message = "The OAuth client is unknown or its secret is wrong."
        return JsonResponse({"error": "invalid_client", "error_description": message, "message": message}, status=401)
    lifetime = SandboxBoardSettings.for_board(BOARD).token_lifetime_seconds
    access_token = secrets.token_urlsafe(32)
    SandboxToken.objects.create(
        board=BOARD,
        token_hash=_hash(access_token),
        client_id=form["client_id"],
        expires_at=timezone.now() + datetime.timedelta(seconds=lifetime),
    )
    response = JsonResponse({"access_token": access_token, "token_type": "Bearer", "expires_in": lifetime})
    response["Cache-Control"] = "no-store"
    return response


def _job_body(job: SandboxJob) -> dict[str, Any]:
    return {
        "id": job.public_id,
        "status": job.status,
        **{name: job.payload.get(name) for name in PAYLOAD_FIELDS},
        "created_at": iso_utc(job.created_at),
        "updated_at": iso_utc(job.updated_at),
    }


def _application_body(application: SandboxApplication) -> dict[str, Any]:
    return {
        "id": application.public_id,
        "job_id": application.job.public_id,
        "candidate": application.candidate,
        "resume_url": application.resume_url,
        "cover_letter": application.cover_letter,
        "status": application.status,
        "submitted_at": iso_utc(application.created_at),
        "updated_at": iso_utc(application.updated_at),
    }


def _send(event_type: str, data: dict[str, Any]) -> SandboxDelivery | None:
    """Queue a webhook; its event id travels in the X-NHSJob-Event-Id header (the body has none)."""
    body = {"type": event_type, "created_at": iso_utc(timezone.now()), "data": data}
    return webhook_queue(board=BOARD, event_id=new_event_id(), event_type=event_type, body=body)


def signed_headers(delivery: SandboxDelivery) -> dict[str, str]:
    """The event id and `X-NHSJob-Signature: sha256=<HMAC of the body>`."""
    signature = sign_body(secret=DEMO_SETTINGS["webhook_secret"], body=delivery.body.encode())
    return {"X-NHSJob-Event-Id": delivery.event_id, "X-NHSJob-Signature": signature}


def _validated(request: HttpRequest) -> tuple[dict | None, JsonResponse | None]:
    """The job in the body, or a 400 listing every error in the board's shape."""
    try:
        payload = json.loads(request.body)
    except ValueError:
        return None, _error(400, "Malformed JSON.")
    if not isinstance(payload, dict):
        return None, _error(400, "The body must be a JSON object.")
    result = validate(SPEC, values_from_payload(payload))
    if result.errors:
        errors = [{"field": name, "message": message} for name, texts in result.errors.items() for message in texts]
        return None, JsonResponse({"message": "The job is not valid.", "errors": errors}, status=400)
    return payload, None


def _page(request: HttpRequest, found) -> tuple[list, dict[str, int]] | JsonResponse:
    """One page of a list (`?page=`, PAGE_SIZE rows) and its meta, or a 400 for a bad page number."""
    page_text = request.GET.get("page", "1")
    if not (page_text.isdigit() and int(page_text) >= 1):
        return _error(400, "page must be a whole number from 1.", "page")
    paginator = Paginator(found, PAGE_SIZE)
    page = int(page_text)
    rows = list(paginator.page(page).object_list) if page <= paginator.num_pages else []
    return rows, {"page": page, "limit": PAGE_SIZE, "total": paginator.count}


@api
def jobs(request: HttpRequest) -> HttpResponse:
    """GET /v1/jobs: the open jobs, filtered by specialty (whatever its case), location (contains) and contract
    type, page by page. POST /v1/jobs: create (201), or the job already made for this external reference (200)."""
    if request.method == "GET":
        return _job_list(request)
    if request.method != "POST":
        return _error(405, "Method not allowed.")
    payload, error = _validated(request)
    if error:
        return error
    key = f"ref:{payload['external_reference']}"
    if existing := SandboxJob.objects.filter(board=BOARD, idempotency_key=key).first():
        return JsonResponse(_job_body(existing), status=200)
    try:
        with transaction.atomic():
            job = SandboxJob.objects.create(
                board=BOARD,
                idempotency_key=key,
                reference=payload["external_reference"],
                status="open",
                payload=payload,
            )
            job.public_id = f"job_{job.pk}"
            job.save(update_fields=["public_id"])
            _send("job.created", {"job_id": job.public_id})
    except IntegrityError:
        return JsonResponse(_job_body(SandboxJob.objects.get(board=BOARD, idempotency_key=key)), status=200)
    return JsonResponse(_job_body(job), status=201)


def _job_list(request: HttpRequest) -> JsonResponse:
    found = SandboxJob.objects.filter(board=BOARD, status="open").order_by("-created_at", "-pk")
    if specialty := request.GET.get("specialty", "").strip():
        found = found.filter(payload__specialty__iexact=specialty)
    if location := request.GET.get("location", "").strip():
        found = found.filter(payload__location__icontains=location)
    if contract_type := request.GET.get("contract_type", "").strip():
        found = found.filter(payload__contract_type=contract_type)
    paged = _page(request, found)
    if isinstance(paged, JsonResponse):
        return paged
    rows, meta = paged
    return JsonResponse({"data": [_job_body(job) for job in rows], "meta": meta})


@api
def job(request: HttpRequest, job_id: str) -> HttpResponse:
    """GET /v1/jobs/{id}; PUT /v1/jobs/{id} (not once closed)."""
    found = SandboxJob.objects.filter(board=BOARD, public_id=job_id).first()
    if found is None:
        return _error(404, "Job not found.")
    if request.method == "GET":
        return JsonResponse(_job_body(found))
    if request.method != "PUT":
        return _error(405, "Method not allowed.")
    if found.status == "closed":
        return _error(400, "This job is closed and can no longer be changed.")
    payload, error = _validated(request)
    if error:
        return error
    with transaction.atomic():
        found.payload, found.update_count = payload, found.update_count + 1
        found.save()
        _send("job.updated", {"job_id": found.public_id})
    return JsonResponse(_job_body(found))


def _close(found: SandboxJob) -> None:
    """Close a job (once) and tell the employer."""
    if found.status == "closed":
        return
    with transaction.atomic():
        found.status = "closed"
        found.save(update_fields=["status", "updated_at"])
        _send("job.closed", {"job_id": found.public_id})


@api
def job_close(request: HttpRequest, job_id: str) -> HttpResponse:
    """POST /v1/jobs/{id}/close: 200 with the job, now closed (closing a closed job changes nothing)."""
    found = SandboxJob.objects.filter(board=BOARD, public_id=job_id).first()
    if found is None:
        return _error(404, "Job not found.")
    if request.method != "POST":
        return _error(405, "Method not allowed.")
    _close(found)
    return JsonResponse(_job_body(found))


def _apply(
    job: SandboxJob,
    candidate: dict[str, str],
    cover_letter: str,
    *,
    given_resume_url: str = "",
    cv: bytes = b"",
    cv_name: str = "",
) -> SandboxApplication:
    """Make the application and queue its `application.submitted` webhook (one transaction). Its CV is the one
    uploaded (served here), else the `resume_url` given, else the sample CV."""
    with transaction.atomic():
        application = SandboxApplication.objects.create(
            board=BOARD,
            public_id=f"tmp_{secrets.token_hex(8)}",
            job=job,
            candidate=candidate,
            cover_letter=cover_letter,
            cv=cv,
            cv_name=cv_name,
        )
        application.public_id = f"app_{application.pk}"
        application.resume_url = resume_url(application, given=given_resume_url)
        application.save(update_fields=["public_id", "resume_url"])
        _send("application.submitted", {"application_id": application.public_id, "job_id": job.public_id})
    return application


def _application_list(request: HttpRequest) -> JsonResponse:
    found = SandboxApplication.objects.filter(board=BOARD).select_related("job").order_by("updated_at", "pk")
    if job_id := request.GET.get("job_id", "").strip():
        found = found.filter(job__public_id=job_id)
    if since_text := request.GET.get("updated_since", "").strip():
        try:
            since = datetime.datetime.fromisoformat(since_text.replace("Z", "+00:00"))
        except ValueError:
            return _error(400, "updated_since must be an ISO 8601 date and time.", "updated_since")
        if since.tzinfo is None:
            return _error(400, "updated_since must say its time zone (e.g. ...Z).", "updated_since")
        found = found.filter(updated_at__gte=since)
    paged = _page(request, found)
    if isinstance(paged, JsonResponse):
        return paged
    rows, meta = paged
    return JsonResponse({"data": [_application_body(application) for application in rows], "meta": meta})


@api
def applications(request: HttpRequest) -> HttpResponse:
    """GET /v1/applications?job_id=&updated_since=&page=: applications changed since a time, oldest change first
    (the polling fallback). POST /v1/applications: apply as a candidate (`{"job_id", "candidate": {"first_name",
    "last_name", "email", "phone"}, "resume_url", "cover_letter"}`); 201 with the application, the webhook follows."""
    if request.method == "GET":
        return _application_list(request)
    if request.method != "POST":
        return _error(405, "Method not allowed.")
    try:
        body = json.loads(request.body)
    except ValueError:
        return _error(400, "Malformed JSON.")
    if not isinstance(body, dict):
        return _error(400, "The body must be a JSON object.")
    found = SandboxJob.objects.filter(board=BOARD, public_id=str(body.get("job_id") or "")).first()
    if found is None:
        return _error(404, "Job not found.", "job_id")
    if found.status != "open":
        return _error(400, "This job is not open for applications.", "job_id")
    candidate = body.get("candidate")
    if not isinstance(candidate, dict):
        return _error(400, "candidate is required.", "candidate")
    for name in ("first_name", "last_name", "email"):
        if not str(candidate.get(name) or "").strip():
            return _error(400, f"candidate.{name} is required.", f"candidate.{name}")
    details = {name: str(candidate.get(name) or "") for name in ("first_name", "last_name", "email", "phone")}
    application = _apply(
        found, details, str(body.get("cover_letter") or ""), given_resume_url=str(body.get("resume_url") or "")
    )
    return JsonResponse(_application_body(application), status=201)


@api
def application(request: HttpRequest, application_id: str) -> HttpResponse:
    """GET /v1/applications/{id}."""
    found = SandboxApplication.objects.filter(board=BOARD, public_id=application_id).select_related("job").first()
    if found is None:
        return _error(404, "Application not found.")
    if request.method != "GET":
        return _error(405, "Method not allowed.")
    return JsonResponse(_application_body(found))


sample_cv, application_cv = cv_views(BOARD, api, lambda: _error(404, "File not found."))


def home(request: HttpRequest) -> HttpResponse:
    """NHSJob as the employer and candidates see it: jobs, applications, webhooks sent, tokens issued, faults and
    switches."""
    context = {
        **board_context(BOARD),
        "board_name": NAME,
        **page_lists(BOARD),
        "tokens": SandboxToken.objects.filter(board=BOARD)[:10],
        "now": timezone.now(),
        "application_statuses": APPLICATION_STATUSES,
    }
    return render(request, "sandbox/nhsjob.html", context)


apply_page = apply_view(board=BOARD, name=NAME, apply=_apply, how_told="tells the employer by webhook")


application_status = status_view(
    board=BOARD,
    statuses=APPLICATION_STATUSES,
    notify=lambda application: _send(
        "application.status_changed", {"application_id": application.public_id, "job_id": application.job.public_id}
    ),
)


@require_POST
def close_page(request: HttpRequest, job_id: str) -> HttpResponse:
    """Close a job on NHSJob's side (as its staff might); the job.closed webhook follows."""
    _close(get_object_or_404(SandboxJob, board=BOARD, public_id=job_id))
    messages.success(request, f"{job_id} is closed on NHSJob.")
    return redirect("sandbox:nhsjob")


urlpatterns = [
    path("", home, name="nhsjob"),
    path("jobs/<str:job_id>/apply/", apply_page, name="nhsjob-apply"),
    path("jobs/<str:job_id>/close/", close_page, name="nhsjob-close"),
    path("applications/<str:application_id>/status/", application_status, name="nhsjob-application-status"),
    path("oauth/token", token, name="nhsjob-token"),
    path("v1/jobs", jobs, name="nhsjob-jobs"),
    path("v1/jobs/<str:job_id>", job, name="nhsjob-job"),
    path("v1/jobs/<str:job_id>/close", job_close, name="nhsjob-job-close"),
    path("v1/applications", applications, name="nhsjob-applications"),
    path("v1/applications/<str:application_id>", application, name="nhsjob-application"),
    path("files/sample-cv.pdf", sample_cv, name="nhsjob-sample-cv"),
    path("files/<str:application_id>/<str:name>", application_cv, name="nhsjob-cv"),
    path("faults/", csrf_exempt(lambda request: faults_endpoint(request, BOARD)), name="nhsjob-faults"),
]
