"""Form fields for the kinds of value with a normaliser (`recruitment.validators`), shared by the back-office, the
careers site and the admin, so each kind is cleaned the same way on every path."""

from django import forms

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
