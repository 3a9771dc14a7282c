"""Outbound HTTP shared by every board client: one Session per account, explicit timeouts, one record per call.

`BoardHttpClient.call` sends one request, reports it to the recorder (the services turn that into a PublishAttempt
row, secrets already redacted here) and returns the parsed JSON, or raises the `boards.errors` class that says what
to do next. Subclasses (one per board) add the board's auth headers and its error body format.
"""

import email.utils
import json
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import requests
from django.conf import settings

from boards.base import Recorder
from boards.errors import BoardAuthError, BoardError, PermanentBoardError, TemporaryBoardError

USER_AGENT = "recruitment-back-office/1.0 (+job board integration)"
REDACTED = "[redacted]"
SECRET_HEADERS = frozenset({"authorization", "x-api-key", "cookie", "proxy-authorization"})

_sessions: dict[tuple[int, str], requests.Session] = {}
_sessions_lock = threading.Lock()


def session_for(account_pk: int, base_url: str) -> requests.Session:
    """The account's Session (connection pooling per account), created on first use."""
    key = (account_pk, base_url)
    with _sessions_lock:
        if key not in _sessions:
            session = requests.Session()
            session.headers["User-Agent"] = USER_AGENT
            _sessions[key] = session
        return _sessions[key]


def close_sessions() -> None:
    """Close every pooled connection (the tests do, so no keep-alive connection outlives its test server)."""
    with _sessions_lock:
        for session in _sessions.values():
            session.close()
        _sessions.clear()


@dataclass(frozen=True)
class CallRecord:
    """One HTTP call as the attempt log keeps it: nothing secret, nothing large."""

    operation: str
    method: str
    url: str
    request_summary: dict[str, Any]
    status_code: int | None
    duration_ms: int
    outcome: str
    error: str = ""
    response_summary: dict[str, Any] = field(default_factory=dict)


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Headers with every credential replaced by a marker."""
    return {name: REDACTED if name.lower() in SECRET_HEADERS else value for name, value in headers.items()}


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Retry-After in seconds: either a number of seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def classify_response(response: requests.Response, field_errors: dict[str, list[str]]) -> BoardError | None:
    """The error a response stands for, or None for success. `field_errors` come from the board's 4xx body."""
    code = response.status_code
    if code < 400:
        return None
    if code in (401, 403):
        return BoardAuthError(f"The board refused our credentials ({code}).", status_code=code)
    if code == 429:
        return TemporaryBoardError(
            "The board asked us to slow down (429).",
            status_code=code,
            retry_after=parse_retry_after(response.headers.get("Retry-After")),
        )
    if code >= 500:
        return TemporaryBoardError(
            f"The board had a problem ({code}).",
            status_code=code,
            retry_after=parse_retry_after(response.headers.get("Retry-After")),
        )
    return PermanentBoardError(f"The board rejected the request ({code}).", status_code=code, field_errors=field_errors)


class BoardHttpClient:
    """Base of the per-board clients. Subclasses set `auth_headers` and `field_errors_from`."""

    def __init__(self, *, account_pk: int, base_url: str, recorder: Recorder) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = session_for(account_pk, self.base_url)
        self.recorder = recorder

    def auth_headers(self) -> dict[str, str]:
        return {}

    def field_errors_from(self, body: Any) -> dict[str, list[str]]:
        """The board's field errors in a 4xx body, keyed by the board's field names."""
        return {}

    def summarise_request(self, body: Mapping[str, Any] | None) -> dict[str, Any]:
        """What of the request body the attempt log keeps (never credentials)."""
        return {"fields": sorted(body)} if body else {}

    def call(
        self,
        *,
        operation: str,
        method: str,
        path: str,
        body: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        """Send one request; record it; return the JSON body or raise the classified error."""
        url = f"{self.base_url}{path}"
        all_headers = {"Accept": "application/json", **self.auth_headers(), **(headers or {})}
        summary = {"headers": redact_headers(all_headers), **self.summarise_request(body)}
        timeout = (settings.BOARD_CONNECT_TIMEOUT_SECONDS, settings.BOARD_READ_TIMEOUT_SECONDS)
        started = time.monotonic()
        try:
            response = self.session.request(method, url, json=body, headers=all_headers, timeout=timeout)
            parsed = _json_or_none(response)
        except requests.Timeout as exc:
            self._record(
                operation, method, url, summary, started, None, "temporary", f"Timed out: {type(exc).__name__}"
            )
            raise TemporaryBoardError("The board did not answer in time.") from exc
        except requests.RequestException as exc:
            self._record(operation, method, url, summary, started, None, "temporary", f"Connection failed: {exc}")
            raise TemporaryBoardError("We could not reach the board.") from exc
        error = classify_response(response, self.field_errors_from(parsed) if response.status_code < 500 else {})
        outcome = "success" if error is None else _outcome_of(error)
        response_summary = {"field_errors": error.field_errors} if isinstance(error, PermanentBoardError) else {}
        if isinstance(error, TemporaryBoardError) and error.retry_after is not None:
            response_summary["retry_after"] = error.retry_after
        self._record(
            operation,
            method,
            url,
            summary,
            started,
            response.status_code,
            outcome,
            error.message if error else "",
            response_summary,
        )
        if error is not None:
            raise error
        return parsed

    def _record(
        self,
        operation: str,
        method: str,
        url: str,
        summary: dict[str, Any],
        started: float,
        status_code: int | None,
        outcome: str,
        error: str,
        response_summary: dict[str, Any] | None = None,
    ) -> None:
        self.recorder(
            CallRecord(
                operation=operation,
                method=method,
                url=url,
                request_summary=summary,
                status_code=status_code,
                duration_ms=round((time.monotonic() - started) * 1000),
                outcome=outcome,
                error=error,
                response_summary=response_summary or {},
            )
        )


def _outcome_of(error: BoardError) -> str:
    if isinstance(error, TemporaryBoardError):
        return "temporary"
    if isinstance(error, BoardAuthError):
        return "auth"
    return "permanent"


def _json_or_none(response: requests.Response) -> Any:
    """The parsed body; reading it can itself fail when the connection drops mid-body (raised as RequestException)."""
    content = response.content
    if not content:
        return None
    try:
        return json.loads(content)
    except ValueError:
        return None
