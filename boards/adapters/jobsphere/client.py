"""The JobSphere HTTP contract (seed 004, BOARDS.md): `Authorization: Bearer <api key>`, JSON both ways, base `/v2`.

`POST /jobs` creates a job (201; the same `reference` again answers 200 with the job already made: the board's
dedupe key, so a create retried after a lost answer never makes a second job), `PUT /jobs/{id}` updates it,
`DELETE /jobs/{id}` archives it (204), `GET /jobs/{id}` reads it. Errors are `{"error": {"code", "message",
"field"}}`; 429 carries `Retry-After` in seconds.
"""

from collections.abc import Mapping
from typing import Any

from boards.http import BoardHttpClient
from boards.types import Operation


class JobSphereClient(BoardHttpClient):
    """Calls to one JobSphere account."""

    def __init__(self, *, account_pk: int, base_url: str, api_key: str, recorder) -> None:
        super().__init__(account_pk=account_pk, base_url=base_url, recorder=recorder)
        self._api_key = api_key

    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._api_key}"}

    @staticmethod
    def field_errors_from(body: Any) -> dict[str, list[str]]:
        """`{"error": {"code", "message", "field"}}` as {field: [message]} ("" when the board names no field)."""
        error = body.get("error") if isinstance(body, Mapping) else None
        if not isinstance(error, Mapping) or not error.get("message"):
            return {}
        return {str(error.get("field") or ""): [str(error["message"])]}

    def summarise_request(self, body: Mapping[str, Any] | None) -> dict[str, Any]:
        if not body:
            return {}
        return {"fields": sorted(body), "reference": body.get("reference"), "title": body.get("title")}

    def create(self, payload: Mapping[str, Any]) -> Any:
        return self.call(operation=Operation.PUBLISH, method="POST", path="/jobs", body=payload)

    def update(self, job_id: str, payload: Mapping[str, Any]) -> Any:
        return self.call(operation=Operation.UPDATE, method="PUT", path=f"/jobs/{job_id}", body=payload)

    def archive(self, job_id: str) -> Any:
        return self.call(operation=Operation.CLOSE, method="DELETE", path=f"/jobs/{job_id}")

    def get(self, job_id: str) -> Any:
        return self.call(operation=Operation.STATUS, method="GET", path=f"/jobs/{job_id}")
