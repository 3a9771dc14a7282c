"""JobSphere webhooks (BOARDS.md): how they are signed and what their bodies hold, in our normalised events.

`X-JobSphere-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, with one `v1=` per signing
secret while JobSphere rotates them (any one matching is enough), and `t` at most 300 s from now either way. The body
is `{"id": "evt_<hex>", "type", "created_at", "data"}`.
"""

import json
from collections.abc import Mapping

from boards.base import BoardEvent, BoardEventKind
from boards.values import as_text, parse_timestamp

SIGNATURE_HEADER = "X-JobSphere-Signature"

_KINDS = {
    "application.received": BoardEventKind.APPLICATION_RECEIVED,
    "candidate.status_changed": BoardEventKind.APPLICATION_STATUS_CHANGED,
    "job.created": BoardEventKind.JOB_CREATED,
    "job.updated": BoardEventKind.JOB_UPDATED,
}


def parse_event(body: bytes) -> BoardEvent:
    """The normalised event in a (verified) body; ValueError when it is not a JobSphere event."""
    payload = json.loads(body)
    if not isinstance(payload, Mapping) or not payload.get("id") or not payload.get("type"):
        raise ValueError("A JobSphere event has an id and a type.")
    raw_type = as_text(payload["type"])
    data = payload.get("data") if isinstance(payload.get("data"), Mapping) else {}
    kind = _KINDS.get(raw_type, BoardEventKind.UNKNOWN)
    job_id = data.get("job_id") or (
        data.get("id") if kind in (BoardEventKind.JOB_CREATED, BoardEventKind.JOB_UPDATED) else ""
    )
    return BoardEvent(
        event_id=as_text(payload["id"]),
        kind=kind,
        raw_type=raw_type,
        occurred_at=parse_timestamp(payload.get("created_at")),
        board_job_id=as_text(job_id),
        board_application_id=as_text(data.get("application_id")),
        reference=as_text(data.get("reference")),
        status=as_text(data.get("status")),
        data=dict(data),
    )
