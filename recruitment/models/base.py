"""The abstract base of the domain models: text a person types is plain text, checked by construction."""

from django.core.exceptions import ValidationError
from django.db import models

from recruitment.validators import normalise_line_endings, validate_plain_text


class PlainTextModel(models.Model):
    """Refuse control characters, bidirectional controls and invisible format characters in every text field.

    `clean_fields` (so `full_clean`, which the services, the admin's and the back-office's model forms all call)
    checks each CharField and TextField that it validates; a TextField is multi-line text and keeps its line
    breaks and tabs. The rule itself is `recruitment.validators.validate_plain_text`. Line breaks are made one LF
    each (`normalise_line_endings`) before any check, so a length counts them as the page's character count does.
    """

    # CharFields (with a length limit) that hold several lines, like a TextField does: a note typed in a text area.
    multiline_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None) -> None:
        exclude = set(exclude or ())
        for field in self._meta.concrete_fields:
            value = getattr(self, field.attname, None)
            text = field.name not in exclude and isinstance(field, models.CharField | models.TextField)
            if text and isinstance(value, str):
                setattr(self, field.attname, normalise_line_endings(value))
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict({})
        else:
            errors = {}
        for field in self._meta.concrete_fields:
            if (
                field.name in exclude
                or field.name in errors
                or not isinstance(field, models.CharField | models.TextField)
            ):
                continue
            value = getattr(self, field.attname)
            if not isinstance(value, str):
                continue
            try:
                multiline = isinstance(field, models.TextField) or field.name in self.multiline_fields
                validate_plain_text(value, multiline=multiline)
            except ValidationError as exc:
                errors[field.name] = exc.error_list
        if errors:
            raise ValidationError(errors)
