"""The LocumJobsOnline HTTP contract (seed 003, BOARDS.md): base `/api/v2.0`, `Authorization: Bearer <token>`, JSON.

`POST /job-imports` with `{"callbackUrl", "deleteJobs", "jobs"}` answers 202 with the import in an envelope
(`{"data": {...}, "links": {"self"}}`); `GET /job-imports/{id}` answers the same envelope.

Our choices where the seed is silent (the sandbox follows them):
- Each import carries an `Idempotency-Key` header, the same on every retry of that import: the board answers a
  repeat with the import it already made, so a 202 lost on the way back never leaves two imports for one sync.
- Error bodies are `{"message": "...", "errors": {"<field>": ["<message>", ...]}}`; 401 for a token it does not
  know.
- The attempt log keeps the number of jobs and `deleteJobs`, never the callback URL: its token is the callback's
  credential.
"""

from collections.abc import Mapping
from typing import Any

from boards.http import BoardHttpClient
from boards.types import Operation

IDEMPOTENCY_HEADER = "Idempotency-Key"


class LocumJobsOnlineClient(BoardHttpClient):
    """Calls to one LocumJobsOnline account."""

    def __init__(self, *, account_pk: int, base_url: str, token: str, recorder) -> None:
        super().__init__(account_pk=account_pk, base_url=base_url, recorder=recorder)
        self._token = token

    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token}"}

    @staticmethod
    def field_errors_from(body: Any) -> dict[str, list[str]]:
        """`{"message", "errors": {field: [messages]}}` as {field: [messages]} (the message alone under "")."""
        if not isinstance(body, Mapping):
            return {}
        errors = body.get("errors")
        if isinstance(errors, Mapping) and errors:
            return {str(field): [str(message) for message in messages] for field, messages in errors.items()}
        return {"": [str(body["message"])]} if body.get("message") else {}

    def summarise_request(self, body: Mapping[str, Any] | None) -> dict[str, Any]:
        if not body:
            return {}
        return {"fields": sorted(body), "jobs": len(body.get("jobs") or []), "deleteJobs": body.get("deleteJobs")}

    def create_import(self, body: Mapping[str, Any], *, idempotency_key: str) -> Any:
        return self.call(
            operation=Operation.IMPORT,
            method="POST",
            path="/job-imports",
            body=body,
            headers={IDEMPOTENCY_HEADER: idempotency_key},
        )

    def get_import(self, import_id: str) -> Any:
        return self.call(operation=Operation.STATUS, method="GET", path=f"/job-imports/{import_id}")
