"""Verifying signed webhooks, for the boards that send them (JobSphere and NHSJob in BOARDS.md).

Adapters call these from `verify_webhook` on the raw body, before anything is parsed: a constant-time compare of an
HMAC-SHA256, and for boards that sign a timestamp, a tolerance of five minutes against replays.
"""

import hashlib
import hmac
import time

TIMESTAMP_TOLERANCE_SECONDS = 300


class WebhookRejected(Exception):
    """The webhook is not from the board (bad or missing signature, stale timestamp): answer 401, process nothing."""


def _digest(secret: str, message: bytes) -> str:
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify_body_signature(*, secret: str, body: bytes, signature: str, prefix: str = "sha256=") -> None:
    """`<prefix><hex HMAC-SHA256 of the raw body>` (NHSJob's `X-NHSJob-Signature: sha256=...`)."""
    if not secret or not signature.startswith(prefix):
        raise WebhookRejected("Missing or malformed signature.")
    if not hmac.compare_digest(_digest(secret, body), signature.removeprefix(prefix)):
        raise WebhookRejected("The signature does not match.")


def verify_timestamped_signature(
    *, secret: str, body: bytes, header: str, now: float | None = None, tolerance: int = TIMESTAMP_TOLERANCE_SECONDS
) -> None:
    """`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` (JobSphere's `X-JobSphere-Signature`)."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    timestamp, signature = parts.get("t", ""), parts.get("v1", "")
    if not secret or not timestamp.isdigit() or not signature:
        raise WebhookRejected("Missing or malformed signature.")
    if abs((time.time() if now is None else now) - int(timestamp)) > tolerance:
        raise WebhookRejected("The signature's timestamp is too old or in the future.")
    if not hmac.compare_digest(_digest(secret, f"{timestamp}.".encode() + body), signature):
        raise WebhookRejected("The signature does not match.")
