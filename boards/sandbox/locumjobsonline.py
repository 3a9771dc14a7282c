"""The fake LocumJobsOnline: the job imports API of seed 003 and BOARDS.md, bulk and asynchronous.

`POST /api/v2.0/job-imports` answers 202 at once with the import pending (an `Idempotency-Key` seen before answers
with the import it made, never a second one); a task then processes it with the board's per-job rules
(`boards.adapters.locumjobsonline.mapping.job_errors`: a Job ID, a UK postcode or US ZIP, a US state code when a state
is given, pay min at most max), keeps the account's jobs by `referenceNumber` (added, updated, unchanged; with
`deleteJobs` the jobs the import does not carry are deleted), and POSTs the import object to `callbackUrl` (unless
the page's switch says to skip callbacks, so the employer's polling shows). `GET /api/v2.0/job-imports/{id}` answers
the import's status and, once complete, its results.

Credentials it accepts (the demo account uses them): `Authorization: Bearer sandbox-locumjobsonline-token`.
"""

import datetime
import json
import secrets
import string
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django_q.tasks import async_task

from boards.adapters.locumjobsonline.client import IDEMPOTENCY_HEADER
from boards.adapters.locumjobsonline.mapping import job_errors
from boards.sandbox.deliveries import SEND_TASK
from boards.sandbox.faults import board_api, faults_endpoint
from boards.sandbox.models import SandboxBoardSettings, SandboxDelivery, SandboxImport, SandboxJob
from boards.sandbox.pages import board_context

BOARD = "locumjobsonline"
NAME = "LocumJobsOnline"
API_PATH = "/api/v2.0"
DEMO_SETTINGS = {"token": "sandbox-locumjobsonline-token"}
SWITCHES = ("skip_callback",)
PROCESS_TASK = "boards.sandbox.locumjobsonline.process_import"
_ID_ALPHABET = string.ascii_letters + string.digits + "_"


def _error(status: int, message: str, field: str = "") -> JsonResponse:
    return JsonResponse(_error_body(message, field), status=status)


def _error_body(message: str, field: str = "") -> dict:
    """The board's error shape (our choice with the adapter: `{"message", "errors": {field: [messages]}}`)."""
    return {"message": message, **({"errors": {field: [message]}} if field else {})}


def signed_headers(delivery: SandboxDelivery) -> dict[str, str]:
    """LocumJobsOnline signs nothing: the token in the callback URL is the credential."""
    return {}


def _authorise(request: HttpRequest) -> HttpResponse | None:
    if request.headers.get("Authorization") != f"Bearer {DEMO_SETTINGS['token']}":
        return _error(401, "Unauthenticated.")
    return None


# A lost answer: the board did the work, but its answer never reaches us.
api = board_api(
    BOARD, error_body=_error_body, authorise=_authorise, lost_answer=lambda: _error(503, "Service Unavailable")
)


def _stamp(value: datetime.datetime | None) -> str | None:
    """The board's timestamps: UTC with microseconds, "2024-03-02T11:00:54.000000Z"."""
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ") if value else None


def import_object(row: SandboxImport) -> dict[str, Any]:
    """The job import object (seed 003): what GET answers in `data`, and what the callback POSTs."""
    return {
        "id": row.public_id,
        "completedAt": _stamp(row.completed_at),
        "requestedAt": _stamp(row.requested_at),
        "results": row.results,
        "status": row.status,
    }


def _envelope(request: HttpRequest, row: SandboxImport, status: int = 200) -> JsonResponse:
    link = request.build_absolute_uri(f"/sandbox/{BOARD}{API_PATH}/job-imports/{row.public_id}")
    return JsonResponse({"data": import_object(row), "links": {"self": link}}, status=status)


def _new_id() -> str:
    return "".join(secrets.choice(_ID_ALPHABET) for _ in range(21))


@api
def job_imports(request: HttpRequest) -> HttpResponse:
    """POST /job-imports: accept an import (202) and queue its processing; a known Idempotency-Key answers with
    the import already made."""
    if request.method != "POST":
        return _error(405, "Method not allowed.")
    key = request.headers.get(IDEMPOTENCY_HEADER, "")[:100]
    if key and (existing := SandboxImport.objects.filter(board=BOARD, idempotency_key=key).first()):
        return _envelope(request, existing, status=202)
    # Read from the stream: an import of every job can be megabytes, more than DATA_UPLOAD_MAX_MEMORY_SIZE lets
    # `request.body` hold, and the real board takes the whole feed in one request.
    raw = request.read()
    try:
        payload = json.loads(raw)
    except ValueError:
        return _error(400, "The body is not valid JSON.")
    if not isinstance(payload, Mapping) or not isinstance(payload.get("jobs"), list):
        return _error(422, "The jobs field is required.", "jobs")
    callback = payload.get("callbackUrl")
    if callback is not None and not (isinstance(callback, str) and callback.startswith(("http://", "https://"))):
        return _error(422, "The callback url must be a valid URL.", "callbackUrl")
    delete_jobs = payload.get("deleteJobs", False)
    if not isinstance(delete_jobs, bool):
        return _error(422, "The delete jobs field must be true or false.", "deleteJobs")
    try:
        with transaction.atomic():
            row = SandboxImport.objects.create(
                board=BOARD,
                public_id=_new_id(),
                idempotency_key=key,
                callback_url=callback or "",
                delete_jobs=delete_jobs,
                body=raw.decode("utf-8"),
                job_count=len(payload["jobs"]),
            )
            transaction.on_commit(lambda: async_task(PROCESS_TASK, row.pk, task_name=f"sandbox-import-{row.pk}"))
    except IntegrityError:
        return _envelope(request, SandboxImport.objects.get(board=BOARD, idempotency_key=key), status=202)
    return _envelope(request, row, status=202)


@api
def job_import(request: HttpRequest, import_id: str) -> HttpResponse:
    """GET /job-imports/{id}: its status, and its results once complete."""
    if request.method != "GET":
        return _error(405, "Method not allowed.")
    row = SandboxImport.objects.filter(board=BOARD, public_id=import_id).first()
    if row is None:
        return _error(404, "Job import not found.")
    return _envelope(request, row)


def _claim(import_id: int) -> SandboxImport | None:
    """Mark a pending import as running (once, whoever runs the task)."""
    with transaction.atomic():
        row = SandboxImport.objects.select_for_update().filter(pk=import_id, status="pending").first()
        if row is not None:
            row.status = "running"
            row.save(update_fields=["status"])
        return row


def process_import(import_id: int) -> None:
    """Process an accepted import (the board's queue): apply the per-job rules, keep the account's jobs by
    referenceNumber, delete the others when told to, record the results and send the callback."""
    row = _claim(import_id)
    if row is None:
        return
    payload = json.loads(row.body)
    with transaction.atomic():
        results = _import_jobs(payload["jobs"], delete_jobs=row.delete_jobs)
        row.status, row.completed_at, row.results = "complete", timezone.now(), results
        if row.callback_url and not SandboxBoardSettings.for_board(BOARD).skip_callback:
            row.delivery = SandboxDelivery.objects.create(
                board=BOARD,
                event_id=f"import_{row.public_id}",
                event_type="job-import.complete",
                url=row.callback_url,
                body=json.dumps(import_object(row)),
            )
            delivery_id = row.delivery.pk
            transaction.on_commit(
                lambda: async_task(SEND_TASK, delivery_id, task_name=f"sandbox-callback-{delivery_id}")
            )
        row.save(update_fields=["status", "completed_at", "results", "delivery"])


def _import_jobs(jobs: list, *, delete_jobs: bool) -> dict[str, Any]:
    """Apply one import's jobs to the account's jobs; the results object of seed 003."""
    existing = {job.reference: job for job in SandboxJob.objects.filter(board=BOARD)}
    now = timezone.now()
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    errors, carried, created, changed = [], set(), [], {}
    for index, job in enumerate(jobs):
        reference = str(job.get("referenceNumber") or "") if isinstance(job, Mapping) else ""
        if reference:
            carried.add(reference)
        if messages := job_errors(job):
            errors.append({"index": index, "messages": messages, "referenceNumber": reference or None})
            continue
        current = existing.get(reference)
        if current is None:
            current = SandboxJob(board=BOARD, public_id=reference[:40], reference=reference[:50], status="active")
            current.payload = job
            existing[reference] = current
            created.append(current)
            counts["added"] += 1
        elif current.status != "active" or current.payload != job:
            counts["added" if current.status != "active" else "updated"] += 1
            current.status, current.payload, current.updated_at = "active", job, now
            current.update_count += 1
            if current.pk:
                changed[current.pk] = current
        else:
            counts["unchanged"] += 1
    deleted = 0
    if delete_jobs:
        for reference, current in existing.items():
            if current.status == "active" and reference not in carried and current.pk:
                current.status, current.updated_at = "deleted", now
                changed[current.pk] = current
                deleted += 1
    SandboxJob.objects.bulk_create(created, batch_size=500)
    SandboxJob.objects.bulk_update(
        list(changed.values()), ["status", "payload", "update_count", "updated_at"], batch_size=500
    )
    return {
        **counts,
        "deleted": deleted,
        "errors": errors,
        "failed": len(errors),
        "ignoredValues": [],
        "processed": len(jobs),
    }


def home(request: HttpRequest) -> HttpResponse:
    """LocumJobsOnline as the employer sees it: its imports with their results and callbacks, its jobs, faults and
    the callback switch."""
    jobs = SandboxJob.objects.filter(board=BOARD).order_by("status", "reference")
    context = {
        **board_context(BOARD),
        "board_name": NAME,
        "imports": SandboxImport.objects.filter(board=BOARD).select_related("delivery")[:20],
        "jobs": jobs[:200],
        "job_total": jobs.count(),
        "active_total": jobs.filter(status="active").count(),
    }
    return render(request, "sandbox/locumjobsonline.html", context)


urlpatterns = [
    path("", home, name="locumjobsonline"),
    path("api/v2.0/job-imports", job_imports, name="locumjobsonline-imports"),
    path("api/v2.0/job-imports/<str:import_id>", job_import, name="locumjobsonline-import"),
    path("faults/", csrf_exempt(lambda request: faults_endpoint(request, BOARD)), name="locumjobsonline-faults"),
]
