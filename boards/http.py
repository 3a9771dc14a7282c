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
from typing import Any
from urllib.parse import parse_qsl

import requests
from django.conf import settings

from boards.base import Recorder
from boards.errors import BoardAuthError, BoardError, PermanentBoardError, TemporaryBoardError
from boards.types import CallOutcome, CallRecord, Operation

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
        """Headers that authenticate every call (redacted in the attempt log)."""
        return {}

    @staticmethod
    def field_errors_from(body: Any) -> dict[str, list[str]]:
        """The board's field errors in a 4xx body, keyed by the board's field names."""
        return {}

    def summarise_request(self, body: Mapping[str, Any] | None) -> dict[str, Any]:
        """What of the request body the attempt log keeps (never credentials, never personal data)."""
        return {"fields": sorted(body)} if body else {}

    def call(
        self,
        *,
        operation: str,
        method: str,
        path: str,
        body: Mapping[str, Any] | None = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        form: str | None = None,
    ) -> Any:
        """Send one JSON request; record it; return the parsed JSON body (None when empty) or raise the classified
        error (`TemporaryBoardError`, `PermanentBoardError` with field errors, `BoardAuthError`).

        `form` is a form-encoded body sent instead of JSON (an OAuth token request): only its field names are
        logged, never its values (they hold the client secret)."""
        url = f"{self.base_url}{path}"
        all_headers = {"Accept": "application/json", **self.auth_headers(), **(headers or {})}
        if form is not None:
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        summary = {"headers": redact_headers(all_headers), **self.summarise_request(body)}
        if form is not None:
            summary["form_fields"] = sorted(name for name, _ in parse_qsl(form, keep_blank_values=True))
        if params:
            summary["params"] = dict(params)
        started = time.monotonic()
        try:
            response = self.session.request(
                method,
                url,
                json=body,
                data=form,
                params=params,
                headers=all_headers,
                timeout=timeouts(),
                allow_redirects=False,
            )
            parsed = _json_or_none(response)
        except requests.RequestException as exc:
            raise self._unreachable(exc, operation, method, url, summary, started) from exc
        return self._settle(operation, method, url, summary, started, response, parsed)

    def download(self, *, url: str, max_bytes: int, headers: Mapping[str, str] | None = None) -> bytes:
        """GET a file (a candidate's CV) of at most `max_bytes`, streamed so a larger one is cut off unread, with no
        redirects followed (the caller checked the host). Recorded like any call, without the file's contents.

        Raises `PermanentBoardError` for a file over the limit or a 4xx, the other `boards.errors` classes as `call`.
        """
        all_headers = {**self.auth_headers(), **(headers or {})}
        summary = {"headers": redact_headers(all_headers)}
        started = time.monotonic()
        try:
            with self.session.get(
                url, headers=all_headers, timeout=timeouts(), stream=True, allow_redirects=False
            ) as response:
                if response.status_code >= 300:
                    return self._settle(Operation.FETCH_DOCUMENT, "GET", url, summary, started, response, None)
                content = _read_at_most(response, max_bytes)
        except requests.RequestException as exc:
            raise self._unreachable(exc, Operation.FETCH_DOCUMENT, "GET", url, summary, started) from exc
        if content is None:
            error = PermanentBoardError(f"The file is larger than {max_bytes // (1024 * 1024)} MB.")
            self._record(
                Operation.FETCH_DOCUMENT, "GET", url, summary, started, response.status_code, "permanent", error.message
            )
            raise error
        self._record(
            Operation.FETCH_DOCUMENT,
            "GET",
            url,
            summary,
            started,
            response.status_code,
            CallOutcome.SUCCESS,
            response_summary={"bytes": len(content), "content_type": response.headers.get("Content-Type", "")},
        )
        return content

    def _unreachable(self, exc: requests.RequestException, operation, method, url, summary, started) -> BoardError:
        """Record a call that got no answer, and the temporary error it stands for."""
        timed_out = isinstance(exc, requests.Timeout)
        detail = f"Timed out: {type(exc).__name__}" if timed_out else f"Connection failed: {type(exc).__name__}"
        self._record(operation, method, url, summary, started, None, CallOutcome.TEMPORARY, detail)
        return TemporaryBoardError(
            "The board did not answer in time." if timed_out else "We could not reach the board."
        )

    def _settle(self, operation, method, url, summary, started, response: requests.Response, parsed: Any) -> Any:
        """Record an answered call; return its body or raise the error it stands for."""
        if 300 <= response.status_code < 400:
            error: BoardError | None = PermanentBoardError(
                f"The board redirected the request ({response.status_code}); redirects are not followed.",
                status_code=response.status_code,
            )
        else:
            field_errors = self.field_errors_from(parsed) if 400 <= response.status_code < 500 else {}
            error = classify_response(response, field_errors)
        response_summary: dict[str, Any] = {}
        if isinstance(error, PermanentBoardError) and error.field_errors:
            response_summary["field_errors"] = error.field_errors
        if isinstance(error, TemporaryBoardError) and error.retry_after is not None:
            response_summary["retry_after"] = error.retry_after
        outcome = CallOutcome.SUCCESS if error is None else outcome_of(error)
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
        error: str = "",
        response_summary: dict[str, Any] | None = None,
    ) -> None:
        self.recorder(
            CallRecord(
                operation=str(operation),
                method=method,
                url=_without_query_secrets(url),
                request_summary=summary,
                status_code=status_code,
                duration_ms=round((time.monotonic() - started) * 1000),
                outcome=str(outcome),
                error=error,
                response_summary=response_summary or {},
            )
        )


def timeouts() -> tuple[float, float]:
    """(connect, read) timeouts in seconds for every board call."""
    return (settings.BOARD_CONNECT_TIMEOUT_SECONDS, settings.BOARD_READ_TIMEOUT_SECONDS)


def outcome_of(error: BoardError) -> CallOutcome:
    """The attempt log's outcome for an error class."""
    if isinstance(error, TemporaryBoardError):
        return CallOutcome.TEMPORARY
    if isinstance(error, BoardAuthError):
        return CallOutcome.AUTH
    return CallOutcome.PERMANENT


def _without_query_secrets(url: str) -> str:
    """The URL as logged: query strings may carry tokens, so only their parameter names are kept."""
    base, _, query = url.partition("?")
    if not query:
        return url
    names = [part.split("=", 1)[0] for part in query.split("&") if part]
    return f"{base}?{'&'.join(f'{name}=…' for name in names)}"


def _read_at_most(response: requests.Response, max_bytes: int) -> bytes | None:
    """The body, or None as soon as it is longer than `max_bytes` (the rest is never read)."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        return None
    chunks, size = [], 0
    for chunk in response.iter_content(chunk_size=65536):
        size += len(chunk)
        if size > max_bytes:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _json_or_none(response: requests.Response) -> Any:
    """The parsed body; reading it can itself fail when the connection drops mid-body (raised as RequestException)."""
    content = response.content
    if not content:
        return None
    try:
        return json.loads(content)
    except ValueError:
        return None
