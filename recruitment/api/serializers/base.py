"""What every API serializer that takes input shares: plain text only, and the normalised kinds of value."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.datastructures import MultiValueDict
from rest_framework import serializers

from recruitment.validators import (
    POSTCODE_MAX_LENGTH,
    normalise_certificate_number,
    normalise_line_endings,
    normalise_postcode,
    validate_email_address,
    validate_multiline_text,
    validate_single_line_text,
)


def _lf(value):
    return normalise_line_endings(value) if isinstance(value, str) else value


class InputSerializer(serializers.Serializer):
    """A write serializer whose text fields all refuse control characters and bidirectional controls.

    Fields named in `multiline_fields` are free text that keeps its line breaks and tabs; every other CharField is a
    single line. The rule is `recruitment.validators.validate_plain_text`, the same the forms and models apply.
    Line breaks are made one LF each before any check (`normalise_line_endings`), as the forms do.
    """

    multiline_fields: tuple[str, ...] = ()

    def to_internal_value(self, data):
        text = {name for name, field in self.fields.items() if isinstance(field, serializers.CharField)}
        if hasattr(data, "getlist"):  # a form body: a shallow copy (its uploaded files are not copied)
            data = MultiValueDict(
                {key: [_lf(v) for v in data.getlist(key)] if key in text else data.getlist(key) for key in data}
            )
        elif isinstance(data, dict):
            data = {key: _lf(value) if key in text else value for key, value in data.items()}
        return super().to_internal_value(data)

    def get_fields(self):
        fields = super().get_fields()
        for name, field in fields.items():
            if isinstance(field, serializers.CharField):
                multiline = name in self.multiline_fields
                field.validators.append(validate_multiline_text if multiline else validate_single_line_text)
        return fields


class _NormalisedField(serializers.CharField):
    """A CharField whose value goes through one of `recruitment.validators`' normalisers."""

    def normalise(self, value: str) -> str:
        raise NotImplementedError

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not value:
            return value
        try:
            return self.normalise(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc


class PostcodeSerializerField(_NormalisedField):
    """A postcode, given in any spacing or case, answered normalised ("SW1A 1AA", "BFPO 123")."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", POSTCODE_MAX_LENGTH + 6)
        kwargs.setdefault("help_text", "A UK postcode (any spacing or case) or a BFPO number.")
        super().__init__(**kwargs)

    def normalise(self, value: str) -> str:
        return normalise_postcode(value)


class CertificateNumberSerializerField(_NormalisedField):
    """A DBS certificate number: 12 digits, groups separated by spaces or dashes accepted."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", 18)
        kwargs.setdefault("help_text", "12 digits; spaces or dashes between groups are ignored.")
        super().__init__(**kwargs)

    def normalise(self, value: str) -> str:
        return normalise_certificate_number(value)


class EmailAddressSerializerField(serializers.EmailField):
    """An email address `normalise_email` accepts (IDNA domain, no domain mixing alphabets), kept as given."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.validators.append(validate_email_address)
