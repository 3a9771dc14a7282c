"""Faults on demand: the next N responses of a fake board fail as told (503, 429, slow, dropped, 400, lost answer),
set through a JSON endpoint (for tests and scripts) or the form on each board's sandbox page."""

import functools
import json
import time
from collections.abc import Callable

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.views.decorators.csrf import csrf_exempt

from boards.sandbox.models import FaultKind, SandboxFault


class DroppedConnection(Exception):
    """Raised mid-body so the server drops the connection."""


def _broken_body():
    yield b'{"id": '
    raise DroppedConnection("sandbox fault: connection dropped")


@transaction.atomic
def take_fault(board: str) -> SandboxFault | None:
    """Use up one call of the oldest pending fault, if any."""
    fault = SandboxFault.objects.select_for_update().filter(board=board, remaining__gt=0).first()
    if fault is None:
        return None
    fault.remaining -= 1
    if fault.remaining:
        fault.save(update_fields=["remaining"])
    else:
        fault.delete()
    return fault


ErrorBody = Callable[[str, str], dict]
"""A board's error body from (message, field): each fake board answers errors in its own board's shape."""


def fault_response(fault: SandboxFault, error_body: ErrorBody) -> HttpResponse | None:
    """The response a fault stands for, or None to answer normally (after a slow fault's wait)."""
    if fault.kind == FaultKind.UNAVAILABLE:
        return JsonResponse(error_body("Service unavailable", ""), status=503)
    if fault.kind == FaultKind.RATE_LIMITED:
        response = JsonResponse(error_body("Too many requests", ""), status=429)
        response["Retry-After"] = str(fault.retry_after)
        return response
    if fault.kind == FaultKind.REJECT:
        return JsonResponse(error_body(fault.message, fault.field), status=400)
    if fault.kind == FaultKind.DROP:
        # Promise a body, send part of it, then fail: the server closes the connection mid-response.
        response = StreamingHttpResponse(_broken_body(), content_type="application/json")
        response["Content-Length"] = "4096"
        return response
    time.sleep(fault.delay_seconds)
    return None


def fault_add(*, board: str, data: dict) -> SandboxFault:
    """Add a fault from `{"kind", "count", "retry_after", "delay", "field", "message"}`; ValueError for a bad one."""
    if data.get("kind") not in FaultKind.values:
        raise ValueError(f"kind must be one of {FaultKind.values}")
    return SandboxFault.objects.create(
        board=board,
        kind=data["kind"],
        remaining=max(1, int(data.get("count") or 1)),
        retry_after=int(data.get("retry_after") or 1),
        delay_seconds=float(data.get("delay") or 3.0),
        field=str(data.get("field") or ""),
        message=str(data.get("message") or ""),
    )


def board_api(
    board: str,
    *,
    error_body: ErrorBody,
    authorise: Callable[[HttpRequest], HttpResponse | None],
    lost_answer: Callable[[], HttpResponse],
) -> Callable:
    """The decorator of a fake board's API views: faults first (they stand in for the network and the board's load),
    then the board's own check of the credentials (`authorise` answers the refusal, or None to go on), then the
    view; a "lost answer" fault lets the view do its work and answers `lost_answer()` instead (the case idempotency
    keys exist for). CSRF-exempt: boards are called by programs with credentials, not by browsers."""

    def decorate(view: Callable) -> Callable:
        @csrf_exempt
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            fault = take_fault(board)
            lost = fault is not None and fault.kind == FaultKind.LOST_ANSWER
            if fault is not None and not lost and (response := fault_response(fault, error_body)) is not None:
                return response
            if (refusal := authorise(request)) is not None:
                return refusal
            response = view(request, *args, **kwargs)
            return lost_answer() if lost else response

        return wrapped

    return decorate


def faults_endpoint(request: HttpRequest, board: str) -> HttpResponse:
    """GET lists pending faults; POST `{"kind", "count", "retry_after", "delay", "field", "message"}` adds one;
    DELETE clears them all. For tests and demos (the sandbox is never mounted in production)."""
    if request.method == "POST":
        try:
            fault_add(board=board, data=json.loads(request.body or b"{}"))
        except (ValueError, TypeError) as exc:
            return JsonResponse({"error": str(exc)}, status=400)
        return JsonResponse({"ok": True}, status=201)
    if request.method == "DELETE":
        SandboxFault.objects.filter(board=board).delete()
        return JsonResponse({"ok": True})
    faults = SandboxFault.objects.filter(board=board)
    return JsonResponse({"faults": [{"kind": fault.kind, "remaining": fault.remaining} for fault in faults]})
