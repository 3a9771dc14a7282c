"""The NHS Jobs HTTP contract (BOARDS.md): bearer API key plus organisation and account headers, JSON both ways.

`POST /vacancies` creates a draft (201 `{"id", "status": "draft", "reference"}`), `PUT /vacancies/{id}` updates it,
`GET /vacancies/{id}` reports `draft`, `published` or `closed`. Our choices where the guide is silent, kept by the
sandbox too: an `Idempotency-Key` header on create (the same key returns the same draft, so a retry after a lost
response never makes a second one) and `POST /vacancies/{id}/close` to close a draft early.
"""

from collections.abc import Mapping
from typing import Any

from boards.http import BoardHttpClient


class NhsJobsClient(BoardHttpClient):
    """Calls to one NHS Jobs account."""

    def __init__(self, *, account_pk: int, base_url: str, api_key: str, org_id: str, account_id: str, recorder) -> None:
        super().__init__(account_pk=account_pk, base_url=base_url, recorder=recorder)
        self._api_key = api_key
        self._org_id = org_id
        self._account_id = account_id

    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._api_key}", "X-Org-Id": self._org_id, "X-Account-Id": self._account_id}

    @staticmethod
    def field_errors_from(body: Any) -> dict[str, list[str]]:
        """`{"errors": [{"field", "message"}]}` grouped by field ("" when the board names none)."""
        errors: dict[str, list[str]] = {}
        items = body.get("errors") if isinstance(body, Mapping) else None
        for item in items if isinstance(items, list) else []:
            if isinstance(item, Mapping) and item.get("message"):
                errors.setdefault(str(item.get("field") or ""), []).append(str(item["message"]))
        return errors

    def summarise_request(self, body: Mapping[str, Any] | None) -> dict[str, Any]:
        if not body:
            return {}
        return {"fields": sorted(body), "reference": body.get("reference"), "title": body.get("title")}

    def create(self, payload: Mapping[str, Any], *, idempotency_key: str) -> Any:
        return self.call(
            operation="publish",
            method="POST",
            path="/vacancies",
            body=payload,
            headers={"Idempotency-Key": idempotency_key},
        )

    def update(self, vacancy_id: str, payload: Mapping[str, Any]) -> Any:
        return self.call(operation="update", method="PUT", path=f"/vacancies/{vacancy_id}", body=payload)

    def get(self, vacancy_id: str) -> Any:
        return self.call(operation="status", method="GET", path=f"/vacancies/{vacancy_id}")

    def close(self, vacancy_id: str) -> Any:
        return self.call(operation="close", method="POST", path=f"/vacancies/{vacancy_id}/close")
