"""NHSJob payloads from form values and back, and our contract kinds in NHSJob's words. Pure: no database, no HTTP.

The payload's field names are the form's (BOARDS.md: `external_reference`, `title`, `specialty`, `location`,
`postcode`, `contract_type`, `salary_min`, `salary_max`, `description`, `closing_date`, `apply_url`), so a board
error names the form field itself. Amounts are JSON numbers; the description is plain text.
"""

from collections.abc import Mapping
from typing import Any

from boards.values import as_form_text, json_number
from recruitment.models import ContractKind

PAYLOAD_FIELDS = (
    "external_reference",
    "title",
    "specialty",
    "location",
    "postcode",
    "contract_type",
    "salary_min",
    "salary_max",
    "description",
    "closing_date",
    "apply_url",
)

# Our contract kinds in NHSJob's four contract types. NHSJob has no secondment, apprenticeship or training type:
# each is a post for a fixed period (a secondment's term, an apprenticeship's or a training programme's length), so
# each is sent as fixed term (our choice; the recruiter can pick another type on the form).
CONTRACT_TYPE_FOR_KIND = {
    ContractKind.PERMANENT: "permanent",
    ContractKind.FIXED_TERM: "fixed_term",
    ContractKind.LOCUM: "locum",
    ContractKind.BANK: "bank",
    ContractKind.SECONDMENT: "fixed_term",
    ContractKind.APPRENTICESHIP: "fixed_term",
    ContractKind.TRAINING: "fixed_term",
}


def payload_from_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """The body of `POST /v1/jobs` and `PUT /v1/jobs/{id}` from validated, JSON-ready values."""
    payload = {name: values.get(name) for name in PAYLOAD_FIELDS}
    payload["salary_min"], payload["salary_max"] = (
        json_number(values.get("salary_min")),
        json_number(values.get("salary_max")),
    )
    return payload


def values_from_payload(payload: Mapping[str, Any]) -> dict[str, Any]:
    """Flat values from a payload, for the sandbox to validate with the same spec (amounts back as text)."""
    values = {name: payload.get(name) for name in PAYLOAD_FIELDS}
    values["salary_min"], values["salary_max"] = (
        as_form_text(payload.get("salary_min")),
        as_form_text(payload.get("salary_max")),
    )
    return values
