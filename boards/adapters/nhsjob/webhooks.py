"""NHSJob webhooks (seed 000, BOARDS.md): how they are signed and what their bodies hold, in our normalised events.

`X-NHSJob-Signature: sha256=<hex HMAC-SHA256 of the raw body with the webhook secret>`, and the event's id in
`X-NHSJob-Event-Id` (the body has none). The body is `{"type", "created_at", "data"}`; application events carry
only `application_id` and `job_id` (the application is fetched), job events `job_id`. A `status` in the data (the
guide's example handler reads one) is kept when present.
"""

import datetime
import json
from collections.abc import Mapping
from typing import Any

from boards.base import BoardEvent, BoardEventKind
from boards.values import as_text

SIGNATURE_HEADER = "X-NHSJob-Signature"
EVENT_ID_HEADER = "X-NHSJob-Event-Id"

KINDS = {
    "application.submitted": BoardEventKind.APPLICATION_RECEIVED,
    "application.status_changed": BoardEventKind.APPLICATION_STATUS_CHANGED,
    "job.created": BoardEventKind.JOB_CREATED,
    "job.updated": BoardEventKind.JOB_UPDATED,
    "job.closed": BoardEventKind.JOB_CLOSED,
}


def parse_when(value: Any) -> datetime.datetime | None:
    """An ISO 8601 time as NHSJob writes it ("2026-11-30T09:00:00Z"); None when absent or unreadable."""
    try:
        return datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00")) if value else None
    except ValueError:
        return None


def parse_event(*, headers: Mapping[str, str], body: bytes) -> BoardEvent:
    """The normalised event in a (verified) delivery; ValueError when it is not an NHSJob event."""
    event_id = (headers.get(EVENT_ID_HEADER) or "").strip()
    payload = json.loads(body)
    if not event_id or not isinstance(payload, Mapping) or not payload.get("type"):
        raise ValueError(f"An NHSJob event has a type, and its id in {EVENT_ID_HEADER}.")
    raw_type = as_text(payload["type"])
    data = payload.get("data") if isinstance(payload.get("data"), Mapping) else {}
    return BoardEvent(
        event_id=event_id,
        kind=KINDS.get(raw_type, BoardEventKind.UNKNOWN),
        raw_type=raw_type,
        occurred_at=parse_when(payload.get("created_at")),
        board_job_id=as_text(data.get("job_id")),
        board_application_id=as_text(data.get("application_id")),
        status=as_text(data.get("status")),
        data=dict(data),
    )
