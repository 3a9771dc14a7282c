"""Small conversions every board's adapter needs the same way: numbers and text between our forms and a board's
JSON, the boards' timestamps, and the salary range a vacancy advertises. Pure: no database, no settings."""

import datetime
from decimal import Decimal
from typing import Any

from recruitment.models import SalaryType, Vacancy


def json_number(value: Any) -> int | float | None:
    """A validated amount ("31049", "31049.50", Decimal) as a JSON number: an int when whole; None when blank."""
    if value in (None, ""):
        return None
    amount = Decimal(str(value))
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def as_form_text(value: Any) -> Any:
    """A board's number as our form would send it (a string); anything else unchanged, for the validator to judge
    (the sandboxes validate what they receive with the same spec as our form)."""
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


def as_text(value: Any) -> str:
    """Text from a board's JSON: "" for null or absent."""
    return "" if value is None else str(value)


def parse_timestamp(value: Any) -> datetime.datetime | None:
    """A board's ISO 8601 timestamp ("2026-11-30T09:15:02Z", with fractions or an offset) as an aware datetime;
    None when absent or unreadable."""
    try:
        return datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00")) if value else None
    except ValueError:
        return None


def iso_utc(moment: datetime.datetime) -> str:
    """A time as ISO 8601 in UTC with a Z, as boards' APIs write them."""
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def salary_range(vacancy: Vacancy) -> tuple[str, str]:
    """(lowest, highest) as the vacancy advertises them: its own amounts (a fixed salary is both), or its band's
    range when the salary is negotiable; ("", "") when there is neither."""
    band = vacancy.salary_band
    if vacancy.salary_type == SalaryType.NEGOTIABLE or vacancy.salary_min is None:
        return (str(band.min_amount), str(band.max_amount)) if band else ("", "")
    high = vacancy.salary_max if vacancy.salary_type == SalaryType.RANGE else vacancy.salary_min
    return str(vacancy.salary_min), "" if high is None else str(high)
