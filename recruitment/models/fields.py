"""Custom model fields."""

from django.core.exceptions import ValidationError
from django.db import models

from recruitment.formfields import EmailAddressFormField, PostcodeFormField
from recruitment.validators import normalise_postcode, validate_email_address, validate_postcode


class EmailAddressField(models.EmailField):
    """An email address `recruitment.validators.normalise_email` accepts (one clear message when it does not)."""

    default_validators = [validate_email_address]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": EmailAddressFormField, **kwargs})


class PostcodeField(models.CharField):
    """A postcode (`recruitment.validators.normalise_postcode`), validated and stored normalised ("SW1A 1AA").

    Normalisation happens in `to_python` (forms, `full_clean`) and again just before saving, so a service that
    assigns "sw1a1aa" stores "SW1A 1AA". A blank value is allowed only when the field is `blank=True`.
    """

    default_validators = [validate_postcode]
    # The default the initial migration was written with (before BFPO numbers); models pass POSTCODE_MAX_LENGTH.
    _DEFAULT_MAX_LENGTH = 8

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", self._DEFAULT_MAX_LENGTH)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == self._DEFAULT_MAX_LENGTH:
            del kwargs["max_length"]
        return name, path, args, kwargs

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return value
        try:
            return normalise_postcode(value)
        except ValidationError:
            return value  # left for the validator to report

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if value:
            value = normalise_postcode(value)
            setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PostcodeFormField, **kwargs})
