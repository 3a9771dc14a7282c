"""The fake JobSphere: the HTTP contract of BOARDS.md (seed 004), validating jobs with the same field spec as our
form, taking applications from candidates (its page, or `POST /v2/jobs/{id}/applications` for scripts and tests) and
telling us by signed webhook, sent from a task.

Credentials it accepts (the demo account uses them): `Authorization: Bearer sandbox-jobsphere-key`; it signs its
webhooks with `sandbox-jobsphere-webhook-secret`. Jobs are deduplicated on `reference` (a second POST answers 200
with the job already made).
"""

import json
import secrets
import time
from typing import Any

from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from boards.adapters.jobsphere.mapping import BOARD_FIELD_FOR_FORM, values_from_payload
from boards.adapters.jobsphere.spec import JOB_TYPES, SPEC
from boards.sandbox.candidates import apply_view, cv_views, page_lists, resume_url, status_view
from boards.sandbox.deliveries import new_event_id, webhook_queue
from boards.sandbox.faults import board_api, faults_endpoint
from boards.sandbox.models import SandboxApplication, SandboxDelivery, SandboxJob
from boards.sandbox.pages import board_context
from boards.validation import validate
from boards.webhooks import sign_timestamped

BOARD = "jobsphere"
NAME = "JobSphere"
API_PATH = "/v2"
DEMO_SETTINGS = {"api_key": "sandbox-jobsphere-key", "webhook_secret": "sandbox-jobsphere-webhook-secret"}
SWITCHES = ("webhooks_enabled",)
MAX_LIMIT = 100
# What an application can become on the fake JobSphere's page (the candidate withdrawing is "withdrawn").
APPLICATION_STATUSES = (
    ("reviewed", "Reviewed"),
    ("interviewing", "Interviewing"),
    ("withdrawn", "Withdrawn by the candidate"),
)
_CODES = {400: "invalid_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 429: "rate_limited"}


def _error_body(message: str, field: str = "", status: int = 400) -> dict:
    return {"error": {"code": _CODES.get(status, "server_error"), "message": message, "field": field or None}}


def _error(status: int, message: str, field: str = "") -> JsonResponse:
    return JsonResponse(_error_body(message, field, status), status=status)


def _authorise(request: HttpRequest) -> HttpResponse | None:
    if request.headers.get("Authorization") != f"Bearer {DEMO_SETTINGS['api_key']}":
        return _error(401, "Missing or invalid API key.")
    return None


api = board_api(
    BOARD,
    error_body=lambda message, field: _error_body(message, field, 400),
    authorise=_authorise,
    lost_answer=lambda: _error(500, "Internal JobSphere issue."),
)


def _job_body(job: SandboxJob) -> dict[str, Any]:
    fields = ("reference", "title", "company", "location", "type", "description", "salary_range", "apply_url")
    return {
        "id": job.public_id,
        "status": job.status,
        **{name: job.payload.get(name) for name in fields},
        "closing_date": job.payload.get("closing_date"),
        "posted_at": job.created_at.isoformat().replace("+00:00", "Z"),
    }


def _application_data(application: SandboxApplication) -> dict[str, Any]:
    return {
        "application_id": application.public_id,
        "job_id": application.job.public_id,
        "applicant": application.candidate,
        "cover_letter": application.cover_letter,
        "resume_url": application.resume_url,
    }


def _send(event_type: str, data: dict[str, Any]) -> SandboxDelivery | None:
    event_id = new_event_id()
    body = {"id": event_id, "type": event_type, "created_at": timezone.now().isoformat(), "data": data}
    return webhook_queue(board=BOARD, event_id=event_id, event_type=event_type, body=body)


def signed_headers(delivery: SandboxDelivery) -> dict[str, str]:
    """`X-JobSphere-Signature: t=<now>,v1=<HMAC>` over the delivery's body."""
    signature = sign_timestamped(
        secret=DEMO_SETTINGS["webhook_secret"], body=delivery.body.encode(), timestamp=int(time.time())
    )
    return {"X-JobSphere-Signature": signature}


def _validated(request: HttpRequest) -> tuple[dict | None, JsonResponse | None]:
    """The job in the body, or the first error in the board's shape (JobSphere names one field per error)."""
    try:
        payload = json.loads(request.body)
    except ValueError:
        return None, _error(400, "Malformed JSON.")
    if not isinstance(payload, dict):
        return None, _error(400, "The body must be a JSON object.")
    result = validate(SPEC, values_from_payload(payload))
    for name, errors in result.errors.items():
        return None, _error(400, errors[0], BOARD_FIELD_FOR_FORM.get(name, name))
    salary = payload.get("salary_range") if isinstance(payload.get("salary_range"), dict) else {}
    currency = salary.get("currency")
    if not (isinstance(currency, str) and len(currency) == 3 and currency.isalpha() and currency.isupper()):
        return None, _error(400, "Currency must be a three-letter ISO 4217 code.", "salary_range.currency")
    return payload, None


@api
def jobs(request: HttpRequest) -> HttpResponse:
    """GET /jobs: search and page (q, location, type, page, limit <= 100). POST /jobs: create (201), or the job
    already made for this reference (200)."""
    if request.method == "GET":
        return _job_list(request)
    if request.method != "POST":
        return _error(400, "Method not allowed.")
    payload, error = _validated(request)
    if error:
        return error
    key = f"ref:{payload['reference']}"
    if existing := SandboxJob.objects.filter(board=BOARD, idempotency_key=key).first():
        return JsonResponse(_job_body(existing), status=200)
    try:
        with transaction.atomic():
            job = SandboxJob.objects.create(
                board=BOARD,
                public_id=f"job_{secrets.token_hex(4)}",
                idempotency_key=key,
                reference=payload["reference"],
                status="open",
                payload=payload,
            )
            _send("job.created", _job_body(job))
    except IntegrityError:
        return JsonResponse(_job_body(SandboxJob.objects.get(board=BOARD, idempotency_key=key)), status=200)
    return JsonResponse(_job_body(job), status=201)


def _job_list(request: HttpRequest) -> JsonResponse:
    params = request.GET
    limit_text, page_text = params.get("limit", "20"), params.get("page", "1")
    if not (limit_text.isdigit() and 1 <= int(limit_text) <= MAX_LIMIT):
        return _error(400, f"limit must be a whole number from 1 to {MAX_LIMIT}.", "limit")
    if not (page_text.isdigit() and int(page_text) >= 1):
        return _error(400, "page must be a whole number from 1.", "page")
    found = SandboxJob.objects.filter(board=BOARD).exclude(status="archived").order_by("-created_at", "-pk")
    if q := params.get("q", "").strip():
        found = found.filter(Q(payload__title__icontains=q) | Q(payload__company__icontains=q))
    if location := params.get("location", "").strip():
        found = found.filter(payload__location__icontains=location)
    if kind := params.get("type", "").strip():
        found = found.filter(payload__type=kind)
    paginator = Paginator(found, int(limit_text))
    rows = paginator.page(int(page_text)).object_list if int(page_text) <= paginator.num_pages else []
    meta = {"total": paginator.count, "page": int(page_text), "limit": int(limit_text)}
    return JsonResponse({"data": [_job_body(job) for job in rows], "meta": meta})


@api
def job(request: HttpRequest, job_id: str) -> HttpResponse:
    """GET /jobs/{id}; PUT /jobs/{id} (not once archived); DELETE /jobs/{id} archives it (204)."""
    found = SandboxJob.objects.filter(board=BOARD, public_id=job_id).first()
    if found is None:
        return _error(404, "Job not found.")
    if request.method == "GET":
        return JsonResponse(_job_body(found))
    if request.method == "DELETE":
        found.status = "archived"
        found.save(update_fields=["status", "updated_at"])
        return HttpResponse(status=204)
    if request.method != "PUT":
        return _error(400, "Method not allowed.")
    if found.status == "archived":
        return _error(400, "This job is archived and can no longer be changed.")
    payload, error = _validated(request)
    if error:
        return error
    with transaction.atomic():
        found.payload, found.update_count = payload, found.update_count + 1
        found.save()
        _send("job.updated", _job_body(found))
    return JsonResponse(_job_body(found))


def _apply(
    job: SandboxJob, applicant: dict[str, str], cover_letter: str, cv: bytes = b"", cv_name: str = ""
) -> SandboxApplication:
    """Make the application and queue its `application.received` webhook (one transaction)."""
    with transaction.atomic():
        application = SandboxApplication.objects.create(
            board=BOARD,
            public_id=f"app_{secrets.token_hex(5)}",
            job=job,
            candidate=applicant,
            cover_letter=cover_letter,
            cv=cv,
            cv_name=cv_name,
        )
        application.resume_url = resume_url(application)
        application.save(update_fields=["resume_url"])
        _send("application.received", _application_data(application))
    return application


@api
def job_applications(request: HttpRequest, job_id: str) -> HttpResponse:
    """POST /jobs/{id}/applications: apply as a candidate (body as `application.received` data without the ids;
    `resume_url` is ignored: the sample CV is served). 201 with the application; the webhook follows."""
    found = SandboxJob.objects.filter(board=BOARD, public_id=job_id).first()
    if found is None:
        return _error(404, "Job not found.")
    if request.method != "POST":
        return _error(400, "Method not allowed.")
    if found.status != "open":
        return _error(400, "This job is not open for applications.", "job_id")
    try:
        body = json.loads(request.body)
    except ValueError:
        return _error(400, "Malformed JSON.")
    applicant = body.get("applicant") if isinstance(body, dict) else None
    if not isinstance(applicant, dict):
        return _error(400, "applicant is required.", "applicant")
    for name in ("first_name", "last_name", "email"):
        if not str(applicant.get(name) or "").strip():
            return _error(400, f"applicant.{name} is required.", f"applicant.{name}")
    details = {name: str(applicant.get(name) or "") for name in ("first_name", "last_name", "email", "phone")}
    application = _apply(found, details, str(body.get("cover_letter") or ""))
    return JsonResponse(_application_data(application), status=201)


sample_cv, application_cv = cv_views(BOARD, api, lambda: _error(404, "File not found."))


def home(request: HttpRequest) -> HttpResponse:
    """JobSphere as the employer and candidates see it: jobs, applications, webhooks sent, faults and switches."""
    context = {
        **board_context(BOARD),
        "board_name": NAME,
        **page_lists(BOARD),
        "job_types": dict(JOB_TYPES),
        "application_statuses": APPLICATION_STATUSES,
    }
    return render(request, "sandbox/jobsphere.html", context)


apply_page = apply_view(board=BOARD, name=NAME, apply=_apply, how_told="tells the employer by webhook")


application_status = status_view(
    board=BOARD,
    statuses=APPLICATION_STATUSES,
    notify=lambda application: _send(
        "candidate.status_changed",
        {"application_id": application.public_id, "job_id": application.job.public_id, "status": application.status},
    ),
)


urlpatterns = [
    path("", home, name="jobsphere"),
    path("jobs/<str:job_id>/apply/", apply_page, name="jobsphere-apply"),
    path("applications/<str:application_id>/status/", application_status, name="jobsphere-application-status"),
    path("v2/jobs", jobs, name="jobsphere-jobs"),
    path("v2/jobs/<str:job_id>", job, name="jobsphere-job"),
    path("v2/jobs/<str:job_id>/applications", job_applications, name="jobsphere-job-applications"),
    path("files/sample-cv.pdf", sample_cv, name="jobsphere-sample-cv"),
    path("files/<str:application_id>/<str:name>", application_cv, name="jobsphere-cv"),
    path("faults/", csrf_exempt(lambda request: faults_endpoint(request, BOARD)), name="jobsphere-faults"),
]
