"""The NHS.UK form styling every form shares, and the mapping of service errors back onto form fields."""

import re

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.utils import ErrorDict
from django.http import QueryDict

from recruitment.errors import DomainError
from recruitment.validators import (
    EMAIL_MESSAGE,
    normalise_line_endings,
    validate_multiline_text,
    validate_single_line_text,
)

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


# Where a field's own messages are missing or still Django's ("This field is required.", which names no field), the
# mixin words them the NHS.UK way: the field named and what to do. "%(noun)s" is the label in lower case ("the
# internal job title"), "%(subject)s" the label as written ("Internal job title").
_REQUIRED = {
    "select": "Select the %(noun)s.",
    "radioselect": "Select the %(noun)s.",
    "checkboxselectmultiple": "Select at least one %(noun)s.",
    "checkbox": "Select \u201c%(subject)s\u201d to continue.",
    "clearablefile": "Select the %(noun)s.",
    "file": "Select the %(noun)s.",
}
_MESSAGES = {
    "required": "Enter the %(noun)s.",
    "blank": None,  # the model's "This field cannot be blank.": as "required"
    "null": None,
    "max_length": "%(subject)s must be %%(limit_value)d characters or fewer.",
    "min_length": "%(subject)s must be %%(limit_value)d characters or more.",
    "max_value": "%(subject)s must be %%(limit_value)s or less.",
    "min_value": "%(subject)s must be %%(limit_value)s or more.",
    "step_size": "%(subject)s must be a multiple of %%(limit_value)s.",
    "max_digits": "%(subject)s must have no more than %%(max)s digits.",
    "max_decimal_places": "%(subject)s must have no more than %%(max)s decimal places.",
    "max_whole_digits": "%(subject)s must have no more than %%(max)s digits before the decimal point.",
    "invalid_choice": "Select the %(noun)s from the list.",
    "invalid_list": "Select the %(noun)s from the list.",
    "invalid_pk_value": "Select the %(noun)s from the list.",
}
_INVALID = {
    "number": "%(subject)s must be a number.",
    "email": "Enter the %(noun)s in the correct format, like name@example.com.",
}
_FILE_MESSAGES = {
    "max_length": "The file name of the %(noun)s must be %%(max)d characters or fewer.",
    "empty": "The selected %(noun)s is empty.",
    "invalid": "Select the %(noun)s again.",
    "missing": None,
}
_GROUPED = {"radioselect", "checkboxselectmultiple", "nhsdate"}


def _django_defaults(field: forms.Field) -> dict[str, str]:
    """The messages Django's own field classes give `field` (ours, like the date input's, are not defaults)."""
    messages: dict[str, str] = {}
    for cls in reversed(type(field).__mro__):
        if cls.__module__.startswith("django.") and "default_error_messages" in vars(cls):
            messages.update(cls.default_error_messages)
    if isinstance(field, forms.EmailField):
        messages["invalid"] = EMAIL_MESSAGE
    return messages


def _names(label: str) -> dict[str, str]:
    """The label as the subject of a sentence and as its object: "Lowest salary (\u00a3)" gives "Lowest salary" and
    "lowest salary"; an acronym ("DBS check") keeps its capitals."""
    subject = re.sub(r"\s*\([^)]*\)$", "", label).strip() or "This field"
    first = subject.split()[0]
    noun = subject if len(first) > 1 and first.isupper() else subject[:1].lower() + subject[1:]
    return {"subject": subject, "noun": noun}


def field_error_messages(field: forms.Field, widget_type: str, label: str) -> dict[str, str]:
    """NHS.UK-style messages for the codes whose message is missing or still Django's own, naming the field.

    A message the form words itself is kept (its "%(noun)s" and "%(subject)s", if any, filled in); the model's
    "blank" and "null" say what "required" says.
    """
    defaults = _django_defaults(field)
    names = _names(str(label or ""))

    def own(code: str) -> str | None:
        current = field.error_messages.get(code)
        return None if current is None or current == defaults.get(code) else str(current)

    required = own("required")
    required = required % names if required and "%(" in required else required
    required = required or _REQUIRED.get(widget_type, _MESSAGES["required"]) % names
    worded = {"required": required}
    table = {**_MESSAGES, **(_FILE_MESSAGES if isinstance(field, forms.FileField) else {})}
    for code, template in table.items():
        if code != "required" and own(code) is None:
            worded[code] = required if template is None else template % names
    if own("invalid") is None:
        if isinstance(field, forms.IntegerField) and not isinstance(field, forms.DecimalField | forms.FloatField):
            worded["invalid"] = f"{names['subject']} must be a whole number."
        elif widget_type in _INVALID:
            worded["invalid"] = _INVALID[widget_type] % names
    return worded


class NhsFormMixin:
    """NHS.UK forms: classes and ARIA on every widget, messages that name their field, text as the page counted it.

    - Every widget gets its NHS.UK class, and after validation its error class and `aria-describedby`.
    - Every message names its field and says what to do ("Enter the internal job title.", "Closing date must
      include a month."): Django's generic ones are replaced (`field_error_messages`), a form's own are kept.
    - Every text field (passwords aside) refuses control characters and bidirectional controls
      (`recruitment.validators.validate_plain_text`; a text area keeps its line breaks), and its line breaks are made
      one LF each before any check (`normalise_line_endings`), as the page's character count counts them.
    - No `maxlength` attribute: the browser would cut what a person pastes without saying so; the server says
      "... must be N characters or fewer" instead, and text areas show the NHS.UK character count.
    - `conditional_fields` names the fields that are needed only in some cases (their hint says when): the label
      does not call them optional.
    - `refresh_only = True` (set by a view) renders a bound form with no validation at all: a no-JavaScript
      "update the list" button re-displays the form with what was typed, without errors.

    Templates render fields with `includes/field.html`, which reads `field.widget_type` for the markup.
    """

    conditional_fields: tuple[str, ...] = ()
    refresh_only = False

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        text_fields = []
        for name, field in self.fields.items():
            widget_type = self[name].widget_type
            field.label = self[name].label  # as the page shows it (Django's from the name when none was given)
            field.error_messages.update(field_error_messages(field, widget_type, field.label))
            field.widget.attrs.pop("maxlength", None)
            if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput):
                multiline = isinstance(field.widget, forms.Textarea)
                field.validators.append(validate_multiline_text if multiline else validate_single_line_text)
                text_fields.append(self.add_prefix(name))
            if name in self.conditional_fields:
                field.conditionally_required = True
            css = _WIDGET_CLASSES.get(widget_type)
            if css:
                existing = field.widget.attrs.get("class", "")
                field.widget.attrs["class"] = f"{css} {existing}".strip()
            if widget_type == "textarea" and getattr(field, "max_length", None):
                field.widget.attrs["class"] += " nhsuk-js-character-count"
            described = self._described_by(name)
            if described:
                field.widget.attrs["aria-describedby"] = described
        if self.is_bound:
            self.data = _with_normalised_line_endings(self.data, text_fields)

    def relabel(self, name: str, *, label: str | None = None, help_text: str | None = None) -> None:
        """Change a field's label or hint after the form is made (bound fields cache both), keeping its ARIA."""
        field = self.fields[name]
        field.label = label if label is not None else field.label
        field.help_text = help_text if help_text is not None else field.help_text
        self._bound_fields_cache.pop(name, None)
        if self[name].widget_type not in _GROUPED:
            field.widget.attrs["aria-describedby"] = self._described_by(name, with_error=name in (self._errors or {}))

    def full_clean(self) -> None:
        if self.refresh_only:
            self._errors = ErrorDict()
            self.cleaned_data = {}
            return
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
        if self[name].widget_type not in _GROUPED:
            widget.attrs["aria-describedby"] = self._described_by(name, with_error=True)
            widget.attrs["aria-invalid"] = "true"

    def _described_by(self, name: str, *, with_error: bool = False) -> str:
        """The ids of the hint, the character-count message and the error that describe a field (fieldsets aside)."""
        field, base = self.fields[name], f"id_{self.add_prefix(name)}"
        if self[name].widget_type in _GROUPED:
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
        """The id of the element the error summary links to (the first option of a group of radios, the first
        wrong part of a date)."""
        bound = self[name]
        if bound.widget_type in {"radioselect", "checkboxselectmultiple"}:
            return f"{bound.auto_id}_0"
        if bound.widget_type == "nhsdate":
            return bound.first_error_id
        return bound.auto_id


def _with_normalised_line_endings(data, names: list[str]):
    """A copy of the submitted data with the text fields' line breaks made one LF each."""
    if isinstance(data, QueryDict):
        copy = data.copy()
        for name in names:
            if name in copy:
                copy.setlist(name, [normalise_line_endings(v) for v in copy.getlist(name)])
        return copy
    return {
        key: normalise_line_endings(value) if key in names and isinstance(value, str) else value
        for key, value in data.items()
    }


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
