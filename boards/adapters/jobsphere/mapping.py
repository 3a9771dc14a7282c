"""JobSphere payloads from form values and back. Pure: no database, no HTTP, no settings.

The payload nests the salary (`salary_range`), carries the description as HTML (`boards.adverts.text_as_html`) and
names the currency; board error field names are the payload's, mapped back to our form fields here.
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from boards.adverts import advert_as_text, text_as_html

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


def _number(value: Any) -> int | float | None:
    if value in (None, ""):
        return None
    amount = Decimal(str(value))
    return int(amount) if amount == amount.to_integral_value() else float(amount)


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
            "min": _number(values.get("salary_min")),
            "max": _number(values.get("salary_max")),
            "currency": CURRENCY,
        },
        "apply_url": values.get("apply_url"),
        "closing_date": values.get("closing_date"),
    }


def _text(value: Any) -> Any:
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


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
        "salary_min": _text(salary.get("min")),
        "salary_max": _text(salary.get("max")),
        "apply_url": payload.get("apply_url"),
        "closing_date": payload.get("closing_date"),
    }
