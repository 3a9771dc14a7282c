"""The NHS.UK form styling every form shares, and the mapping of service errors back onto form fields."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from recruitment.errors import DomainError
from recruitment.validators import validate_multiline_text, validate_single_line_text

# CSS class of each widget type (BoundField.widget_type) in the NHS.UK frontend.
_WIDGET_CLASSES = {
    "text": "nhsuk-input",
    "email": "nhsuk-input",
    "number": "nhsuk-input",
    "date": "nhsuk-input nhsuk-input--width-10",
    "password": "nhsuk-input",
    "select": "nhsuk-select",
    "textarea": "nhsuk-textarea",
    "clearablefile": "nhsuk-file-upload__input",
    "file": "nhsuk-file-upload__input",
    "radioselect": "nhsuk-radios__input",
    "checkboxselectmultiple": "nhsuk-checkboxes__input",
    "checkbox": "nhsuk-checkboxes__input",
}
_ERROR_CLASSES = {
    "nhsuk-input": "nhsuk-input--error",
    "nhsuk-select": "nhsuk-select--error",
    "nhsuk-textarea": "nhsuk-textarea--error",
    "nhsuk-file-upload__input": "nhsuk-file-upload__input--error",
}


class NhsFormMixin:
    """Give every widget its NHS.UK class, and after validation its error class and `aria-describedby`.

    Every text field (passwords aside) refuses control characters and bidirectional controls
    (`recruitment.validators.validate_plain_text`; a text area keeps its line breaks), so no form has to ask.
    Templates render fields with `includes/field.html`, which reads `field.widget_type` for the markup.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput):
                multiline = isinstance(field.widget, forms.Textarea)
                field.validators.append(validate_multiline_text if multiline else validate_single_line_text)
            widget_type = self[name].widget_type
            css = _WIDGET_CLASSES.get(widget_type)
            if css:
                existing = field.widget.attrs.get("class", "")
                field.widget.attrs["class"] = f"{css} {existing}".strip()
            if widget_type == "textarea" and getattr(field, "max_length", None):
                field.widget.attrs["class"] += " nhsuk-js-character-count"
            described = self._described_by(name)
            if described:
                field.widget.attrs["aria-describedby"] = described

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name == NON_FIELD_ERRORS or name not in self.fields:
                continue
            self._mark_error(name)

    def add_error(self, field: str | None, error) -> None:
        super().add_error(field, error)
        if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            names = list(error.error_dict)
        else:
            names = [field] if field else []
        for name in names:
            if name in self.fields:
                self._mark_error(name)

    def _mark_error(self, name: str) -> None:
        """Add the error class and point `aria-describedby` at the error message (and the hint, if any)."""
        widget = self.fields[name].widget
        classes = widget.attrs.get("class", "").split()
        for css, error_css in _ERROR_CLASSES.items():
            if css in classes and error_css not in classes:
                classes.append(error_css)
        widget.attrs["class"] = " ".join(classes)
        if self[name].widget_type not in {"radioselect", "checkboxselectmultiple"}:
            widget.attrs["aria-describedby"] = self._described_by(name, with_error=True)

    def _described_by(self, name: str, *, with_error: bool = False) -> str:
        """The ids of the hint, the character-count message and the error that describe a field (fieldsets aside)."""
        field, base = self.fields[name], f"id_{self.add_prefix(name)}"
        if self[name].widget_type in {"radioselect", "checkboxselectmultiple"}:
            return ""
        ids = []
        if field.help_text:
            ids.append(f"{base}-hint")
        if self[name].widget_type == "textarea" and getattr(field, "max_length", None):
            ids.append(f"{base}-info")
        if with_error:
            ids.append(f"{base}-error")
        return " ".join(ids)

    @property
    def error_list(self) -> list[tuple[str, str]]:
        """(anchor, message) pairs for the error summary, in field order, non-field errors first."""
        items = [("", str(message)) for message in self.non_field_errors()]
        for name in self.fields:
            for message in self.errors.get(name, []):
                items.append((self._anchor(name), str(message)))
        return items

    def _anchor(self, name: str) -> str:
        """The id of the element the error summary links to (the first option of a group of radios)."""
        bound = self[name]
        if bound.widget_type in {"radioselect", "checkboxselectmultiple"}:
            return f"{bound.auto_id}_0"
        return bound.auto_id


class NhsForm(NhsFormMixin, forms.Form):
    """A plain form with NHS.UK styling."""


class NhsModelForm(NhsFormMixin, forms.ModelForm):
    """A model form with NHS.UK styling (validation stays in the services, not the model form)."""


def apply_service_errors(form: forms.BaseForm, error: ValidationError | DomainError) -> None:
    """Put the errors a service raised next to the fields they name, or at the top of the form."""
    if isinstance(error, DomainError):
        field = error.field if error.field in form.fields else None
        form.add_error(field, error.message)
        return
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    errors = error.message_dict
    if set(errors) - {NON_FIELD_ERRORS}:
        # A service's full_clean also reports the database constraint behind a field rule it already words for
        # people ('Constraint "vacancy_salary_range_valid" is violated.'): keep only the worded message.
        errors[NON_FIELD_ERRORS] = [m for m in errors.get(NON_FIELD_ERRORS, []) if not m.startswith("Constraint ")]
    for name, messages in errors.items():
        if messages:
            form.add_error(name if name in form.fields else None, messages)
