"""Custom model fields."""

from django.core.exceptions import ValidationError
from django.db import models

from recruitment.validators import normalise_postcode, validate_postcode


class PostcodeField(models.CharField):
    """A UK postcode, validated and stored normalised ("SW1A 1AA").

    Normalisation happens in `to_python` (forms, `full_clean`) and again just before saving, so a service that
    assigns "sw1a1aa" stores "SW1A 1AA". A blank value is allowed only when the field is `blank=True`.
    """

    default_validators = [validate_postcode]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 8)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == 8:
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
