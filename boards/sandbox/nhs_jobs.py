"""The fake NHS Jobs: the HTTP contract of BOARDS.md, validating with the same field spec as our form.

Credentials it accepts (the demo account uses them): `Authorization: Bearer sandbox-nhs-jobs-key`,
`X-Org-Id: SANDBOX-ORG`, `X-Account-Id: SANDBOX-ACCOUNT`. A wrong key answers 401, a wrong org or account 403.
"""

import json

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from boards.adapters.nhs_jobs.mapping import board_errors_from_form_errors, values_from_payload
from boards.adapters.nhs_jobs.spec import SPEC
from boards.sandbox.faults import board_api, faults_endpoint
from boards.sandbox.models import SandboxJob
from boards.sandbox.pages import board_context
from boards.validation import validate

BOARD = "nhs-jobs"
NAME = "NHS Jobs"
API_PATH = ""
DEMO_SETTINGS = {"api_key": "sandbox-nhs-jobs-key", "org_id": "SANDBOX-ORG", "account_id": "SANDBOX-ACCOUNT"}
SWITCHES: tuple[str, ...] = ()


def _error_body(message: str, field: str = "") -> dict:
    return {"errors": [{"field": field, "message": message}]}


def _error(status: int, message: str, field: str = "") -> JsonResponse:
    return JsonResponse(_error_body(message, field), status=status)


def _job_body(job: SandboxJob) -> dict:
    return {"id": str(job.pk), "status": job.status, "reference": job.reference}


def _authorise(request: HttpRequest) -> HttpResponse | None:
    if request.headers.get("Authorization") != f"Bearer {DEMO_SETTINGS['api_key']}":
        return _error(401, "Unauthorized")
    org, account = request.headers.get("X-Org-Id"), request.headers.get("X-Account-Id")
    if (org, account) != (DEMO_SETTINGS["org_id"], DEMO_SETTINGS["account_id"]):
        return _error(403, "Forbidden: unknown Org ID or Account ID")
    return None


api = board_api(
    BOARD, error_body=_error_body, authorise=_authorise, lost_answer=lambda: _error(503, "Service unavailable")
)


def _validated_payload(request: HttpRequest) -> tuple[dict | None, JsonResponse | None]:
    try:
        payload = json.loads(request.body)
    except ValueError:
        return None, _error(400, "The body is not JSON.")
    if not isinstance(payload, dict):
        return None, _error(400, "The body must be a JSON object.")
    result = validate(SPEC, values_from_payload(payload))
    if not result.is_valid:
        return None, JsonResponse({"errors": board_errors_from_form_errors(result.errors)}, status=400)
    return payload, None


@api
def vacancies(request: HttpRequest) -> HttpResponse:
    """POST /vacancies: create a draft; the same Idempotency-Key returns the draft it already made."""
    if request.method != "POST":
        return _error(405, "Method not allowed")
    payload, error = _validated_payload(request)
    if error:
        return error
    key = request.headers.get("Idempotency-Key", "")[:100]
    if key and (existing := SandboxJob.objects.filter(board=BOARD, idempotency_key=key).first()):
        return JsonResponse(_job_body(existing), status=201)
    try:
        with transaction.atomic():
            job = SandboxJob.objects.create(
                board=BOARD, idempotency_key=key, reference=payload.get("reference") or "", payload=payload
            )
    except IntegrityError:
        job = SandboxJob.objects.get(board=BOARD, idempotency_key=key)
    return JsonResponse(_job_body(job), status=201)


@api
def vacancy(request: HttpRequest, job_id: int) -> HttpResponse:
    """GET /vacancies/{id}: its status; PUT: update a draft."""
    job = SandboxJob.objects.filter(board=BOARD, pk=job_id).first()
    if job is None:
        return _error(404, "No such vacancy.")
    if request.method == "GET":
        return JsonResponse({**_job_body(job), "vacancy": job.payload})
    if request.method != "PUT":
        return _error(405, "Method not allowed")
    if job.status != "draft":
        return _error(409, f"Only a draft can be updated; this vacancy is {job.status}.")
    payload, error = _validated_payload(request)
    if error:
        return error
    job.payload, job.reference = payload, payload.get("reference") or job.reference
    job.update_count += 1
    job.save()
    return JsonResponse(_job_body(job))


@api
def vacancy_close(request: HttpRequest, job_id: int) -> HttpResponse:
    """POST /vacancies/{id}/close: take the vacancy down."""
    job = SandboxJob.objects.filter(board=BOARD, pk=job_id).first()
    if job is None:
        return _error(404, "No such vacancy.")
    if request.method != "POST":
        return _error(405, "Method not allowed")
    job.status = "closed"
    job.save(update_fields=["status", "updated_at"])
    return JsonResponse(_job_body(job))


def home(request: HttpRequest) -> HttpResponse:
    """The page a person uses on 'NHS Jobs': drafts received, with a button to publish each."""
    context = {**board_context(BOARD), "board_name": NAME, "jobs": SandboxJob.objects.filter(board=BOARD)}
    return render(request, "sandbox/nhs_jobs.html", context)


@require_POST
def publish(request: HttpRequest, job_id: int) -> HttpResponse:
    """Publish a draft, as someone with an NHS Jobs login would."""
    job = get_object_or_404(SandboxJob, board=BOARD, pk=job_id, status="draft")
    job.status = "published"
    job.save(update_fields=["status", "updated_at"])
    messages.success(request, f"Published {job.reference}.")
    return redirect("sandbox:nhs-jobs")


urlpatterns = [
    path("", home, name="nhs-jobs"),
    path("vacancies", vacancies, name="nhs-jobs-vacancies"),
    path("vacancies/<int:job_id>", vacancy, name="nhs-jobs-vacancy"),
    path("vacancies/<int:job_id>/close", vacancy_close, name="nhs-jobs-close"),
    path("drafts/<int:job_id>/publish/", publish, name="nhs-jobs-publish"),
    path("faults/", csrf_exempt(lambda request: faults_endpoint(request, BOARD)), name="nhs-jobs-faults"),
]
