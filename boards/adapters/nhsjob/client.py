"""The NHSJob HTTP contract (seed 000, BOARDS.md): base `/v1`, JSON both ways.

Reads carry `X-API-Key: <api key>`; writes carry `Authorization: Bearer <access token>` from the OAuth 2.0 client
credentials grant at `POST /oauth/token` (form-encoded; see `tokens.py`). `POST /v1/jobs` creates a job (201; the
same `external_reference` again answers 200 with the job already made: the board's dedupe key, so a create retried
after a lost answer never makes a second job), `PUT /v1/jobs/{id}` updates it, `POST /v1/jobs/{id}/close` closes
it, `GET /v1/jobs/{id}` reads it and `GET /v1/jobs?specialty=&location=&contract_type=&page=` searches the listing.
`GET /v1/applications/{id}` reads an application; `GET /v1/applications?updated_since=&page=` lists the changed
ones. Errors are `{"message", "errors": [{"field", "message"}]}`.
"""

from collections.abc import Mapping
from typing import Any

from boards.http import BoardHttpClient
from boards.types import Operation

# The token endpoint, on the API's host beside /v1 (".../v1" -> ".../oauth/token"; see `tokens.token_base_url`).
TOKEN_PATH = "/oauth/token"


class NhsJobClient(BoardHttpClient):
    """Calls to one NHSJob account: reads with the API key, writes with the access token they are given."""

    def __init__(self, *, account_pk: int, base_url: str, api_key: str, recorder) -> None:
        super().__init__(account_pk=account_pk, base_url=base_url, recorder=recorder)
        self._api_key = api_key

    def _read_headers(self) -> dict[str, str]:
        return {"X-API-Key": self._api_key}

    @staticmethod
    def _write_headers(access_token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {access_token}"}

    @staticmethod
    def field_errors_from(body: Any) -> dict[str, list[str]]:
        """`{"message", "errors": [{"field", "message"}]}` as {field: [messages]}; the top message under "" when
        no error names a field."""
        if not isinstance(body, Mapping):
            return {}
        errors: dict[str, list[str]] = {}
        for error in body.get("errors") or []:
            if isinstance(error, Mapping) and error.get("message"):
                errors.setdefault(str(error.get("field") or ""), []).append(str(error["message"]))
        if not errors and body.get("message"):
            errors[""] = [str(body["message"])]
        return errors

    def summarise_request(self, body: Mapping[str, Any] | None) -> dict[str, Any]:
        if not body:
            return {}
        return {
            "fields": sorted(body),
            "external_reference": body.get("external_reference"),
            "title": body.get("title"),
        }

    # --- Writes (Bearer) ------------------------------------------------------------------------------------------

    def create(self, payload: Mapping[str, Any], *, access_token: str) -> Any:
        return self.call(
            operation=Operation.PUBLISH,
            method="POST",
            path="/jobs",
            body=payload,
            headers=self._write_headers(access_token),
        )

    def update(self, job_id: str, payload: Mapping[str, Any], *, access_token: str) -> Any:
        return self.call(
            operation=Operation.UPDATE,
            method="PUT",
            path=f"/jobs/{job_id}",
            body=payload,
            headers=self._write_headers(access_token),
        )

    def close(self, job_id: str, *, access_token: str) -> Any:
        return self.call(
            operation=Operation.CLOSE,
            method="POST",
            path=f"/jobs/{job_id}/close",
            headers=self._write_headers(access_token),
        )

    # --- Reads (X-API-Key) ----------------------------------------------------------------------------------------

    def get_job(self, job_id: str) -> Any:
        return self.call(operation=Operation.STATUS, method="GET", path=f"/jobs/{job_id}", headers=self._read_headers())

    def search_jobs(self, params: Mapping[str, Any]) -> Any:
        """One page of the job listing as candidates search it (recorded as a status read)."""
        return self.call(
            operation=Operation.STATUS, method="GET", path="/jobs", params=params, headers=self._read_headers()
        )

    def get_application(self, application_id: str) -> Any:
        return self.call(
            operation=Operation.FETCH_APPLICATION,
            method="GET",
            path=f"/applications/{application_id}",
            headers=self._read_headers(),
        )

    def list_applications(self, params: Mapping[str, Any]) -> Any:
        return self.call(
            operation=Operation.POLL, method="GET", path="/applications", params=params, headers=self._read_headers()
        )

    def document_headers(self) -> dict[str, str]:
        """CVs at `resume_url` are read like any other resource: with the API key."""
        return self._read_headers()
