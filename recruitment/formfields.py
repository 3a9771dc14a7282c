"""Form fields for the kinds of value with a normaliser (`recruitment.validators`), shared by the back-office, the
careers site and the admin, so each kind is cleaned the same way on every path; and the NHS.UK date input every
date of the back-office and careers forms uses."""

import datetime

from django import forms
from django.core.exceptions import ValidationError

from recruitment.validators import (
    EMAIL_MESSAGE,
    POSTCODE_MAX_LENGTH,
    normalise_certificate_number,
    normalise_postcode,
    validate_email_address,
)

# Room for the spaces and dashes people type between groups of characters.
_SEPARATOR_ALLOWANCE = 6


class PostcodeFormField(forms.CharField):
    """A postcode, normalised as it is cleaned ("sw1a1aa" becomes "SW1A 1AA"; "bfpo123" becomes "BFPO 123")."""

    def __init__(self, **kwargs) -> None:
        kwargs["max_length"] = max(kwargs.get("max_length") or 0, POSTCODE_MAX_LENGTH + _SEPARATOR_ALLOWANCE)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("autocomplete", "postal-code")

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_postcode(value) if value else value


class CertificateNumberFormField(forms.CharField):
    """A DBS certificate number: 12 digits, in groups separated by spaces or dashes if the person likes."""

    def __init__(self, **kwargs) -> None:
        kwargs["max_length"] = max(kwargs.get("max_length") or 0, 12 + _SEPARATOR_ALLOWANCE)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"})

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_certificate_number(value) if value else value


class EmailAddressFormField(forms.EmailField):
    """An email address `normalise_email` accepts (IDNA domain, no domain mixing alphabets); kept as typed."""

    default_error_messages = {"invalid": EMAIL_MESSAGE}
    default_validators = [validate_email_address]  # Django's syntax check and ours (IDNA, scripts)


# --- Dates --------------------------------------------------------------------------------------------------------

DATE_PARTS = (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4))


def date_parts(value: list | tuple) -> dict[str, str]:
    """The date input's typed parts by name (`{"day": "5", "month": "", "year": "2031"}`), stripped."""
    return dict(zip((part for part, _, _ in DATE_PARTS), ((v or "").strip() for v in value), strict=False))


class NhsDateInput(forms.MultiWidget):
    """The NHS.UK date input: three text boxes, day, month and year, named `<name>_day`, `<name>_month` and
    `<name>_year` (ids likewise). `includes/date_input.html` renders it (as the field's `widget_type`, "nhsdate")."""

    def __init__(self, attrs=None) -> None:
        widgets = {part: forms.TextInput(attrs={"inputmode": "numeric"}) for part, _, _ in DATE_PARTS}
        super().__init__(widgets, attrs)

    def value_from_datadict(self, data, files, name) -> list:
        """The three parts; a link may give the date whole instead (`?closing_from=2026-03-27`, as the dashboard's
        do), which fills them."""
        if not any(f"{name}_{part}" in data for part, _, _ in DATE_PARTS) and data.get(name):
            return self.parts_of(data.get(name))
        return super().value_from_datadict(data, files, name)

    def parts_of(self, text) -> list:
        """The boxes for a date given whole: an ISO date's day, month and year; for `YYYY-MM-DD` text that is not a
        date (a board draft saved as typed, `2027-13-01`), its parts as they are; else empty boxes."""
        try:
            return self.decompress(datetime.date.fromisoformat(text))
        except (TypeError, ValueError):
            if not isinstance(text, str) or text.count("-") != 2:
                return [None, None, None]
            year, month, day = text.split("-")
            return [day or None, month or None, year or None]

    def value_omitted_from_data(self, data, files, name) -> bool:
        return name not in data and super().value_omitted_from_data(data, files, name)

    def decompress(self, value) -> list:
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_day" if id_ else ""


class DateBoundField(forms.BoundField):
    """A date input's bound field, with its three parts ready for the template."""

    @property
    def parts(self) -> list[dict]:
        """[{name, id, label, width, value, error}] for day, month and year; `error` marks the parts the error is
        about (every part when the error names none, as a service's "must be in the future" does)."""
        values = self.value()
        if not isinstance(values, list | tuple):
            values = self.field.widget.decompress(values)
        wrong: set[str] = set()
        for error in self.errors.as_data():
            wrong |= set((error.params or {}).get("parts") or (part for part, _, _ in DATE_PARTS))
        return [
            {
                "name": f"{self.html_name}_{part}",
                "id": f"{self.auto_id}_{part}",
                "label": label,
                "width": width,
                "value": value or "",
                "error": part in wrong,
            }
            for (part, label, width), value in zip(DATE_PARTS, values, strict=False)
        ]

    @property
    def first_error_id(self) -> str:
        """The id of the first part with an error: where the error summary's link takes the person."""
        return next((part["id"] for part in self.parts if part["error"]), f"{self.auto_id}_day")


class DateInputField(forms.Field):
    """A date typed as day, month and year (the NHS.UK date input), with the NHS.UK messages: "Enter the closing
    date", "Closing date must include a month", "Closing date must be a real date". Each error names the parts it is
    about (`params["parts"]`), so only those boxes are marked."""

    widget = NhsDateInput
    default_error_messages = {
        "required": "Enter the %(noun)s.",
        "incomplete": "%(subject)s must include a %(missing)s.",
        "invalid": "%(subject)s must be a real date.",
    }

    def get_bound_field(self, form, field_name) -> DateBoundField:
        return DateBoundField(form, self, field_name)

    def prepare_value(self, value):
        return self.widget.decompress(value) if isinstance(value, datetime.date) else value

    def _params(self, **extra) -> dict:
        label = str(self.label or "Date")
        return {"subject": label, "noun": label[:1].lower() + label[1:], **extra}

    def to_python(self, value) -> datetime.date | None:
        if isinstance(value, datetime.date):
            return value
        if not value or not isinstance(value, list | tuple):
            return None
        parts = date_parts(value)
        if not any(parts.values()):
            return None
        missing = [part for part, text in parts.items() if not text]
        if missing:
            raise ValidationError(
                self.error_messages["incomplete"],
                code="incomplete",
                params=self._params(missing=" and ".join(missing), parts=missing),
            )
        not_numbers = [part for part, text in parts.items() if not text.isascii() or not text.isdigit()]
        if len(parts["year"]) != 4 and "year" not in not_numbers:
            not_numbers.append("year")
        if not not_numbers:
            try:
                return datetime.date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
            except ValueError:
                not_numbers = ["month"] if not 1 <= int(parts["month"]) <= 12 else ["day"]
        raise ValidationError(self.error_messages["invalid"], code="invalid", params=self._params(parts=not_numbers))

    def validate(self, value) -> None:
        if value is None and self.required:
            raise ValidationError(self.error_messages["required"], code="required", params=self._params())
