"""Validation by a board's field spec: the one function the form, the live validation and the sandbox all call.

Input values are as a form or a JSON body gives them (strings, lists, numbers); output values are parsed (int,
Decimal, date, normalised postcode) and only for fields that are shown. Errors are keyed by spec field name.
"""

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils import timezone

from boards.base import BoardSpec, FieldSpec, FieldType, SpecMessages
from recruitment.validators import normalise_postcode

_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class ValidationResult:
    """Parsed values of the shown fields and the errors by field name."""

    values: dict[str, Any]
    errors: dict[str, list[str]]

    @property
    def is_valid(self) -> bool:
        return not self.errors


def word_count(text: str) -> int:
    """Words as the counter in the browser counts them: runs of non-space characters."""
    return len(_WORD.findall(text or ""))


def _is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple):
        return not value
    return False


def _limits(spec: FieldSpec) -> str:
    parts = []
    if spec.min_chars is not None:
        parts.append(f"minLength: {spec.min_chars}")
    if spec.max_chars is not None:
        parts.append(f"maxLength: {spec.max_chars}")
    return "Character " + ", ".join(parts)


def _range(spec: FieldSpec) -> str:
    """The length limits in words: "between 50 and 20,000 characters", "120 characters or fewer"."""
    low, high = spec.min_chars, spec.max_chars
    if low is not None and high is not None:
        return f"between {low:,} and {high:,} characters"
    if high is not None:
        return f"{high:,} characters or fewer"
    return f"{low:,} characters or more" if low is not None else ""


def _message(template: str, spec: FieldSpec) -> str:
    return template.format(
        label=spec.label,
        min=spec.min_chars,
        max=spec.max_words or spec.max_chars,
        limits=_limits(spec),
        range=_range(spec),
    )


def _parse(spec: FieldSpec, raw: Any, messages: SpecMessages) -> tuple[Any, list[str]]:
    """Parse one present (non-blank) value; returns the value and its errors."""
    kind = spec.type
    if kind == FieldType.MULTI_CHOICE:
        items = [raw] if isinstance(raw, str) else list(raw)
        allowed = {value for value, _ in spec.choices}
        if not set(items) <= allowed:
            return items, [_message(messages.choice, spec)]
        return [value for value, _ in spec.choices if value in items], []
    if kind == FieldType.CHOICE:
        value = str(raw)
        if value not in {choice for choice, _ in spec.choices}:
            return value, [_message(messages.choice, spec)]
        return value, []
    if kind == FieldType.INTEGER:
        try:
            number = int(str(raw).strip())
        except ValueError:
            return raw, [_message(messages.integer, spec)]
        return number, [] if number > 0 else [_message(messages.positive, spec)]
    if kind == FieldType.DECIMAL:
        try:
            amount = Decimal(str(raw).strip().replace(",", ""))
        except InvalidOperation:
            return raw, [_message(messages.decimal, spec)]
        if not amount.is_finite():
            return raw, [_message(messages.decimal, spec)]
        return amount, [] if amount > 0 else [_message(messages.positive, spec)]
    if kind == FieldType.DATE:
        if isinstance(raw, datetime.date):
            day = raw
        else:
            try:
                day = datetime.date.fromisoformat(str(raw).strip())
            except ValueError:
                return raw, [_message(messages.date, spec)]
        return day, [] if day > timezone.localdate() else [_message(messages.future_date, spec)]
    # Browsers send a textarea's line breaks as CR LF; their character counters (and the board) count one character.
    text = str(raw).replace("\r\n", "\n").strip()
    if kind == FieldType.EMAIL:
        try:
            validate_email(text)
        except ValidationError:
            return text, [_message(messages.email, spec)]
        return text, []
    if kind == FieldType.POSTCODE:
        try:
            return normalise_postcode(text), []
        except ValidationError:
            return text, [_message(messages.postcode, spec)]
    if kind == FieldType.URL:
        try:
            URLValidator(schemes=["http", "https"])(text)
        except ValidationError:
            return text, [_message(messages.url, spec)]
        return text, []
    return _check_text(spec, text, messages)


def _check_text(spec: FieldSpec, text: str, messages: SpecMessages) -> tuple[str, list[str]]:
    errors = []
    too_short = spec.min_chars is not None and len(text) < spec.min_chars
    too_long = spec.max_chars is not None and len(text) > spec.max_chars
    if too_short or too_long:
        errors.append(_message(messages.length, spec))
    if spec.max_words is not None and word_count(text) > spec.max_words:
        errors.append(_message(messages.words, spec))
    return text, errors


def validate(spec: BoardSpec, raw: Mapping[str, Any], *, editable_only: bool = False) -> ValidationResult:
    """Validate raw values against the spec: required, limits, types, shown-when conditions, then cross-field rules.

    A field hidden by its condition is neither required nor returned. A required field left blank gets the
    length message when it has a minimum length (it tells the recruiter the limits) and the required message
    otherwise. `editable_only` skips the fields we fill ourselves (the recruiter's form does not hold them).
    """
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    # Conditions look at the raw values of choice fields, which parse to themselves.
    for field_spec in spec.fields:
        if editable_only and not field_spec.editable:
            continue
        if not field_spec.is_shown(raw):
            continue
        value = raw.get(field_spec.name)
        if _is_blank(value):
            if field_spec.required:
                template = spec.messages.length if field_spec.min_chars else spec.messages.required
                errors[field_spec.name] = [_message(template, field_spec)]
            continue
        parsed, field_errors = _parse(field_spec, value, spec.messages)
        if field_errors:
            errors[field_spec.name] = [field_spec.invalid] if field_spec.invalid else field_errors
        else:
            values[field_spec.name] = parsed
    for rule in spec.rules:
        for name, messages in rule(values).items():
            errors.setdefault(name, [])
            errors[name].extend(message for message in messages if message not in errors[name])
    return ValidationResult(values=values, errors=errors)


def to_json_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """Parsed values as JSON can hold them (dates as ISO strings, amounts as strings), for storing and sending."""
    result: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, datetime.date):
            result[name] = value.isoformat()
        elif isinstance(value, Decimal):
            result[name] = str(value)
        else:
            result[name] = value
    return result
