"""LocumJobsOnline's job object from our values, the board's per-job rules, and its import object read back. Pure: no
database, no HTTP, no settings.

The job object is seed 003's: amounts as decimal strings with two places ("737.00"), the employment types as a list,
the texts as HTML (`boards.adverts.text_as_html`). Our jobs are UK jobs, so `state` is never sent (BOARDS.md: it is
left out for UK jobs). Blank optional fields are left out rather than sent empty; a single pay amount is sent as a
range of one.

The board's rules and messages (BOARDS.md; the sandbox applies them with `job_errors`) name the field in their first
words ("Zip is invalid. Value passed was: 0"); `MESSAGE_FIELDS` maps those words back to our form's fields.
"""

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from boards.adverts import text_as_html
from boards.base import ImportJobError, ImportResults, ImportState, ImportStatus
from boards.values import parse_timestamp

# Fields sent as they are (text, numbers, choices), when set.
_PLAIN = (
    "title",
    "city",
    "postalCode",
    "license",
    "specialty",
    "shiftType",
    "shiftsPerWeek",
    "hoursPerShift",
    "payFrequency",
    "durationLength",
    "durationUnit",
    "startDate",
)
_HTML = ("description", "requirements", "benefits")

# The US state codes (with DC and the territories) a `state` may be.
_US_STATE_CODES = (
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK "
    "OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP"
)
US_STATES = frozenset(_US_STATE_CODES.split(" "))
PAY_FREQUENCY_WORDS = frozenset({"Hourly", "Daily", "Weekly", "Annually"})
DURATION_UNIT_WORDS = frozenset({"day", "week", "month", "year"})
_UK_POSTCODE = re.compile(r"^(GIR ?0AA|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})$")
_US_ZIP = re.compile(r"^[0-9]{5}(-[0-9]{4})?$")

JOB_ID_MISSING = "Job ID is missing"
# The board's first words for a field -> our form field ("" where the recruiter cannot change it: the Job ID is our
# vacancy reference, and we never send a state).
MESSAGE_FIELDS = {
    "Zip": "postalCode",
    "Pay amount": "payAmountMin",
    "Pay frequency": "payFrequency",
    "Duration unit": "durationUnit",
    "Job ID": "",
    "State": "",
}


def _amount(value: Any) -> str:
    return f"{Decimal(str(value)):.2f}"


def job_from_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """The job object of an import from validated, JSON-ready values (referenceNumber included)."""
    job: dict[str, Any] = {"referenceNumber": values.get("referenceNumber")}
    for name in _PLAIN:
        value = values.get(name)
        if value not in (None, ""):
            job[name] = value
    for name in _HTML:
        if values.get(name):
            job[name] = text_as_html(values[name])
    if (low := values.get("payAmountMin")) not in (None, ""):
        high = values.get("payAmountMax")
        job["payAmountMin"] = _amount(low)
        job["payAmountMax"] = _amount(high if high not in (None, "") else low)
    if values.get("employmentType"):
        job["employmentType"] = list(values["employmentType"])
    return job


def is_uk_postcode_or_us_zip(value: str) -> bool:
    """The board's postal code rule (BOARDS.md): a UK postcode (any case, with or without its space) or a US ZIP."""
    text = value.strip()
    return bool(_US_ZIP.match(text) or _UK_POSTCODE.match(re.sub(r"\s+", " ", text.upper())))


def _invalid(words: str, value: Any) -> str:
    return f"{words} is invalid. Value passed was: {value}"


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def job_errors(job: Any) -> list[str]:
    """The board's messages for one job of an import (empty when it takes the job), BOARDS.md's rules: a Job ID,
    a UK postcode or US ZIP, a US state code when a state is given, the pay's minimum at most its maximum, and the
    pay frequency and duration unit in the board's words."""
    if not isinstance(job, Mapping):
        return [JOB_ID_MISSING]
    errors = []
    if not str(job.get("referenceNumber") or "").strip():
        errors.append(JOB_ID_MISSING)
    if "postalCode" in job and not is_uk_postcode_or_us_zip(str(job.get("postalCode") or "")):
        errors.append(_invalid("Zip", job.get("postalCode")))
    if "state" in job and str(job.get("state") or "") not in US_STATES:
        errors.append(_invalid("State", job.get("state")))
    low, high = _decimal(job.get("payAmountMin")), _decimal(job.get("payAmountMax"))
    if "payAmountMin" in job and (low is None or not low.is_finite()):
        errors.append(_invalid("Pay amount", job.get("payAmountMin")))
    elif "payAmountMax" in job and (high is None or not high.is_finite()):
        errors.append(_invalid("Pay amount", job.get("payAmountMax")))
    elif low is not None and high is not None and low > high:
        errors.append(f"Pay amount min must not be more than pay amount max. Values passed were: {low}, {high}")
    if "payFrequency" in job and job.get("payFrequency") not in PAY_FREQUENCY_WORDS:
        errors.append(_invalid("Pay frequency", job.get("payFrequency")))
    if "durationUnit" in job and job.get("durationUnit") not in DURATION_UNIT_WORDS:
        errors.append(_invalid("Duration unit", job.get("durationUnit")))
    return errors


def form_errors_from_messages(messages: Sequence[str]) -> dict[str, list[str]]:
    """A refused job's messages by our form field (see `MESSAGE_FIELDS`; "" for the job as a whole)."""
    errors: dict[str, list[str]] = {}
    for message in messages:
        field = next((name for words, name in MESSAGE_FIELDS.items() if message.startswith(words + " ")), "")
        errors.setdefault(field, []).append(message)
    return errors


def _count(results: Mapping[str, Any], name: str) -> int:
    value = results.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"results.{name} is not a count.")
    return value


def _job_error(item: Any) -> ImportJobError:
    if not isinstance(item, Mapping):
        raise ValueError("An import error is an object.")
    index = item.get("index")
    messages = item.get("messages")
    if not (index is None or (isinstance(index, int) and not isinstance(index, bool))):
        raise ValueError("An import error's index is a whole number.")
    if not isinstance(messages, list):
        raise ValueError("An import error's messages are a list.")
    reference = item.get("referenceNumber")
    return ImportJobError(
        index=index, reference="" if reference is None else str(reference), messages=tuple(map(str, messages))
    )


def import_state_from(body: Any) -> ImportState:
    """The job import object (seed 003), bare (a callback's body) or in its `{"data": ..., "links": ...}`
    envelope (the answers to POST and GET). ValueError when it is not that shape."""
    if isinstance(body, Mapping) and isinstance(body.get("data"), Mapping):
        body = body["data"]
    if not isinstance(body, Mapping) or not body.get("id"):
        raise ValueError("A job import has an id.")
    try:
        status = ImportStatus(str(body.get("status")))
    except ValueError:
        raise ValueError(f"Unknown job import status {body.get('status')!r}.") from None
    results = None
    raw_results = body.get("results")
    if status == ImportStatus.COMPLETE:
        if not isinstance(raw_results, Mapping):
            raise ValueError("A complete job import has results.")
        errors = raw_results.get("errors") or []
        if not isinstance(errors, list):
            raise ValueError("results.errors is a list.")
        results = ImportResults(
            **{name: _count(raw_results, name) for name in ("added", "updated", "unchanged", "deleted", "failed")},
            processed=_count(raw_results, "processed"),
            errors=tuple(_job_error(item) for item in errors),
        )
    return ImportState(
        board_import_id=str(body["id"]),
        status=status,
        requested_at=parse_timestamp(body.get("requestedAt")),
        completed_at=parse_timestamp(body.get("completedAt")),
        results=results,
        raw=dict(body),
    )
