"""What can go wrong talking to a board, classified by what we do next.

Temporary (timeouts, dropped connections, 5xx, 429): retry later. Permanent (400, 404, 422): stop, show the errors
against their fields. Auth (401, 403): stop and mark the account as needing attention.
"""


class BoardError(Exception):
    """A board call failed; `message` is fit to show to a recruiter."""

    def __init__(self, message: str, *, status_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code


class TemporaryBoardError(BoardError):
    """Worth trying again; `retry_after` is the board's own Retry-After in seconds, when it gave one."""

    def __init__(self, message: str, *, status_code: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(message, status_code=status_code)
        self.retry_after = retry_after


class PermanentBoardError(BoardError):
    """The board refused the data; `field_errors` are keyed by the board's own field names ("" for the whole job)."""

    def __init__(
        self, message: str, *, status_code: int | None = None, field_errors: dict[str, list[str]] | None = None
    ) -> None:
        super().__init__(message, status_code=status_code)
        self.field_errors = field_errors or {}


class BoardAuthError(BoardError):
    """The board refused our credentials (401) or our organisation or account (403); `detail` says which credential
    when the adapter knows (e.g. "the token endpoint refused the OAuth client")."""

    def __init__(self, message: str, *, status_code: int | None = None, detail: str = "") -> None:
        super().__init__(message, status_code=status_code)
        self.detail = detail
