"""Validators and normalisers shared by models, forms and the API."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

# The UK postcode format (including GIR 0AA and the overseas territories' BFPO-style codes are excluded on purpose:
# a Location is a UK workplace). Outward code, optional space, inward code.
_POSTCODE_RE = re.compile(r"^(GIR ?0AA|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})$")

# The same rule for the database check constraint, on the normalised value (single space before the inward code).
POSTCODE_DB_REGEX = r"^(GIR 0AA|[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2})$"

CERTIFICATE_NUMBER_REGEX = r"^[0-9]{12}$"

validate_certificate_number = RegexValidator(
    CERTIFICATE_NUMBER_REGEX,
    message="A DBS certificate number is exactly 12 digits.",
    code="invalid_certificate",
)


def normalise_postcode(value: str) -> str:
    """Return a UK postcode upper-cased with one space before the inward code, or raise ValidationError.

    "sw1a1aa", " SW1A  1AA " and "sw1a 1aa" all become "SW1A 1AA".
    """
    compact = re.sub(r"\s+", "", value or "").upper()
    if not _POSTCODE_RE.match(compact):
        raise ValidationError("Enter a real UK postcode, like SW1A 1AA.", code="invalid_postcode")
    return f"{compact[:-3]} {compact[-3:]}"


def validate_postcode(value: str) -> None:
    """Field validator: accept anything `normalise_postcode` accepts."""
    normalise_postcode(value)
