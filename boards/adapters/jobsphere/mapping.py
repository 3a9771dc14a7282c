"""JobSphere payloads from form values and back. Pure: no database, no HTTP, no settings.

The payload nests the salary (`salary_range`), carries the description as HTML (`boards.adverts.text_as_html`) and
names the currency; board error field names are the payload's, mapped back to our form fields here.
"""

from collections.abc import Mapping
from typing import Any

from boards.adverts import advert_as_text, text_as_html
from boards.values import as_form_text, json_number

CURRENCY = "GBP"
# The tags JobSphere accepts in a description (our choice with the sandbox; seed 004 is silent).
DESCRIPTION_TAGS = frozenset({"p", "br", "strong", "em", "ul", "ol", "li", "a"})

FORM_FIELD_FOR_BOARD = {
    "salary_range": "salary_min",
    "salary_range.min": "salary_min",
    "salary_range.max": "salary_max",
    "salary_range.currency": "salary_min",
}
BOARD_FIELD_FOR_FORM = {"salary_min": "salary_range.min", "salary_max": "salary_range.max"}


def payload_from_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """The body of `POST /jobs` and `PUT /jobs/{id}` from validated, JSON-ready values."""
    return {
        "reference": values.get("reference"),
        "title": values.get("title"),
        "company": values.get("company"),
        "location": values.get("location"),
        "type": values.get("type"),
        "description": text_as_html(values.get("description") or ""),
        "salary_range": {
            "min": json_number(values.get("salary_min")),
            "max": json_number(values.get("salary_max")),
            "currency": CURRENCY,
        },
        "apply_url": values.get("apply_url"),
        "closing_date": values.get("closing_date"),
    }


def values_from_payload(payload: Mapping[str, Any]) -> dict[str, Any]:
    """Flat values from a payload, for the sandbox to validate with the same spec (the description back as text)."""
    salary = payload.get("salary_range") if isinstance(payload.get("salary_range"), Mapping) else {}
    description = payload.get("description")
    return {
        "reference": payload.get("reference"),
        "title": payload.get("title"),
        "company": payload.get("company"),
        "location": payload.get("location"),
        "type": payload.get("type"),
        "description": advert_as_text(description) if isinstance(description, str) else description,
        "salary_min": as_form_text(salary.get("min")),
        "salary_max": as_form_text(salary.get("max")),
        "apply_url": payload.get("apply_url"),
        "closing_date": payload.get("closing_date"),
    }
