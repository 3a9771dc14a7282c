"""NHS Jobs payloads from form values and back. Pure: no database, no HTTP, no settings.

The payload nests what the form keeps flat (contract duration, salary, address); board error field names are the
payload's, so `FORM_FIELD_FOR_BOARD` maps them back to the form field that shows the error.
"""

from collections.abc import Mapping
from typing import Any

from boards.values import as_form_text, json_number

# The form field a board error is shown against, for payload names that differ from ours.
FORM_FIELD_FOR_BOARD = {
    "contract_duration": "contract_duration_length",
    "contract_duration.length": "contract_duration_length",
    "contract_duration.unit": "contract_duration_unit",
    "salary": "salary_type",
    "salary.min": "salary_min",
    "salary.max": "salary_max",
    "salary.period": "salary_period",
    "address": "address_line_1",
    "address.lines": "address_line_1",
    "address.town": "town",
    "address.postcode": "postcode",
}

# The payload name our own validation errors are reported under by the sandbox (as the real board would).
BOARD_FIELD_FOR_FORM = {
    "contract_duration_length": "contract_duration",
    "contract_duration_unit": "contract_duration",
    "salary_type": "salary",
    "salary_min": "salary",
    "salary_max": "salary",
    "salary_period": "salary",
    "address_line_1": "address",
    "address_line_2": "address",
    "town": "address.town",
    "postcode": "address.postcode",
    "grade": "band",
}


def payload_from_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """The request body of `POST /vacancies` and `PUT /vacancies/{id}` from validated, JSON-ready values."""
    duration = None
    if values.get("contract_duration_length"):
        duration = {"length": int(values["contract_duration_length"]), "unit": values.get("contract_duration_unit")}
    pay_scheme = values.get("pay_scheme")
    band = values.get("grade") if pay_scheme == "medical_dental" else values.get("band")
    lines = [line for line in (values.get("address_line_1"), values.get("address_line_2")) if line]
    return {
        "title": values.get("title"),
        "reference": values.get("reference"),
        "contract_type": values.get("contract_type"),
        "contract_duration": duration,
        "working_pattern": list(values.get("working_pattern") or []),
        "hours_per_week": json_number(values.get("hours_per_week")),
        "pay_scheme": pay_scheme,
        "band": band or None,
        "salary": {
            "type": values.get("salary_type"),
            "min": json_number(values.get("salary_min")),
            "max": json_number(values.get("salary_max")),
            "period": values.get("salary_period"),
        },
        "staff_group": values.get("staff_group"),
        "job_overview": values.get("job_overview"),
        "about_organisation": values.get("about_organisation"),
        "job_description": values.get("job_description"),
        "address": {"lines": lines, "town": values.get("town"), "postcode": values.get("postcode")},
        "closing_date": values.get("closing_date"),
        "contact_email": values.get("contact_email"),
        "dbs_required": values.get("dbs_required"),
        "apply_url": values.get("apply_url"),
    }


def _dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def values_from_payload(payload: Mapping[str, Any]) -> dict[str, Any]:
    """Flat values from a payload (the sandbox validates what it receives with the same spec as our form)."""
    duration = _dict(payload.get("contract_duration"))
    salary = _dict(payload.get("salary"))
    address = _dict(payload.get("address"))
    lines = address.get("lines") if isinstance(address.get("lines"), list) else []
    pay_scheme = payload.get("pay_scheme")
    return {
        "title": payload.get("title"),
        "reference": payload.get("reference"),
        "contract_type": payload.get("contract_type"),
        "contract_duration_length": as_form_text(duration.get("length")),
        "contract_duration_unit": duration.get("unit"),
        "working_pattern": payload.get("working_pattern"),
        "hours_per_week": as_form_text(payload.get("hours_per_week")),
        "pay_scheme": pay_scheme,
        "band": payload.get("band") if pay_scheme == "agenda_for_change" else None,
        "grade": payload.get("band") if pay_scheme == "medical_dental" else None,
        "salary_type": salary.get("type"),
        "salary_min": as_form_text(salary.get("min")),
        "salary_max": as_form_text(salary.get("max")),
        "salary_period": salary.get("period"),
        "staff_group": payload.get("staff_group"),
        "job_overview": payload.get("job_overview"),
        "about_organisation": payload.get("about_organisation"),
        "job_description": payload.get("job_description"),
        "address_line_1": lines[0] if lines else None,
        "address_line_2": lines[1] if len(lines) > 1 else None,
        "town": address.get("town"),
        "postcode": address.get("postcode"),
        "closing_date": payload.get("closing_date"),
        "contact_email": payload.get("contact_email"),
        "dbs_required": payload.get("dbs_required"),
        "apply_url": payload.get("apply_url"),
    }


def board_errors_from_form_errors(errors: Mapping[str, list[str]]) -> list[dict[str, str]]:
    """Our validation errors as the board's 400 body lists them: `[{"field", "message"}]`, one per message."""
    seen: set[tuple[str, str]] = set()
    result = []
    for name, messages in errors.items():
        board_field = BOARD_FIELD_FOR_FORM.get(name, name)
        for message in messages:
            if (board_field, message) not in seen:
                seen.add((board_field, message))
                result.append({"field": board_field, "message": message})
    return result
