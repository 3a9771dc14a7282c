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
    """`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">[,v1=...]` (JobSphere's `X-JobSphere-Signature`).

    Several `v1=` are allowed while the board rotates its signing secret: any one matching ours is enough. `t` may
    be at most `tolerance` seconds (300) from now either way, so a captured request cannot be replayed later.
    """
    pairs = [item.strip().split("=", 1) for item in header.split(",") if "=" in item]
    timestamps = [value for key, value in pairs if key == "t"]
    signatures = [value for key, value in pairs if key == "v1"]
    if not secret or len(timestamps) != 1 or not timestamps[0].isdigit() or not signatures:
        raise WebhookRejected("Missing or malformed signature.")
    timestamp = timestamps[0]
    if abs((time.time() if now is None else now) - int(timestamp)) > tolerance:
        raise WebhookRejected("The signature's timestamp is too old or in the future.")
    expected = _digest(secret, f"{timestamp}.".encode() + body)
    # Every candidate is compared (no early exit), each in constant time.
    matches = [hmac.compare_digest(expected, signature) for signature in signatures]
    if not any(matches):
        raise WebhookRejected("The signature does not match.")


def sign_timestamped(*, secret: str, body: bytes, timestamp: int) -> str:
    """The `X-JobSphere-Signature` value for a body (the sandbox signs what it sends with this)."""
    return f"t={timestamp},v1={_digest(secret, f'{timestamp}.'.encode() + body)}"


def sign_body(*, secret: str, body: bytes, prefix: str = "sha256=") -> str:
    """`<prefix><hex HMAC-SHA256 of the raw body>` (the sandbox signs NHSJob's webhooks with this)."""
    return f"{prefix}{_digest(secret, body)}"
