"""The recruiter's posting form, built from a board's field spec.

Django's fields here only collect what was typed (nothing is required or type-checked by Django): every rule and
message comes from `boards.validation.validate` with the board's spec, exactly as the sandbox applies it.
"""

import functools
from typing import Any

from django import forms

from boards.base import BoardAdapter, FieldSpec, FieldType
from boards.validation import validate
from recruitment.formfields import DATE_PARTS, DateBoundField, NhsDateInput, date_parts
from recruitment.web.forms.base import NhsForm


class _AnyMultipleChoice(forms.MultipleChoiceField):
    """Checkboxes whose values the spec validates (so its message, not Django's, is shown)."""

    def validate(self, value) -> None:
        return None


class BoardDateField(forms.Field):
    """A board's date in the NHS.UK date input (day, month, year), handed to the spec as `YYYY-MM-DD` text: what was
    typed, joined, so a part missing or out of range gets the board's own date message from the spec ("" when
    nothing was typed). A stored value (ISO text) or a whole date in the request (`closing_date=2027-01-25`) fills
    the three boxes."""

    widget = NhsDateInput

    def get_bound_field(self, form, field_name) -> DateBoundField:
        return DateBoundField(form, self, field_name)

    def prepare_value(self, value):
        """The three boxes for a stored value (a draft saved with a date that is not one shows it as typed)."""
        return self.widget.parts_of(value) if isinstance(value, str) else value

    def to_python(self, value) -> str:
        if not isinstance(value, list | tuple):
            return (value or "").strip()
        parts = date_parts(value)
        if not any(parts.values()):
            return ""
        # Two digits where a part was typed (ISO 8601 wants them); a part left empty stays empty, so a draft saved
        # without a month shows an empty month box again, not "00".
        month, day = (parts[name].zfill(2) if parts[name] else "" for name in ("month", "day"))
        return f"{parts['year']}-{month}-{day}"


def date_field_name(adapter: BoardAdapter, name: str) -> str:
    """The spec field a date input's part (`closing_date_day`) belongs to, or `name` itself."""
    field, _, part = name.rpartition("_")
    spec = adapter.spec.by_name.get(field)
    return field if spec and spec.type == FieldType.DATE and part in (p for p, _, _ in DATE_PARTS) else name


def _form_field(spec: FieldSpec) -> forms.Field:
    hint = spec.hint or (f"Filled from: {spec.auto_fill}." if spec.auto_fill else "")
    common = {"label": spec.label, "required": False, "help_text": hint}
    if spec.type == FieldType.MULTI_CHOICE:
        return _AnyMultipleChoice(choices=spec.choices, widget=forms.CheckboxSelectMultiple, **common)
    if spec.type == FieldType.CHOICE:
        return forms.CharField(widget=forms.Select(choices=[("", "Select an option"), *spec.choices]), **common)
    if spec.type == FieldType.TEXTAREA:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), strip=False, **common)
    if spec.type == FieldType.DATE:
        return BoardDateField(**common)
    if spec.type in (FieldType.INTEGER, FieldType.DECIMAL):
        mode = "numeric" if spec.type == FieldType.INTEGER else "decimal"
        return forms.CharField(
            widget=forms.TextInput(attrs={"inputmode": mode, "class": "nhsuk-input--width-10"}), **common
        )
    if spec.type == FieldType.EMAIL:
        return forms.CharField(widget=forms.EmailInput(attrs={"autocomplete": "email"}), **common)
    return forms.CharField(**common)


def is_counted(spec: FieldSpec) -> bool:
    """Whether the field gets the NHS.UK character count: every typed field with a length limit (a single line or
    several; choices, numbers and dates have none)."""
    return spec.max_chars is not None and spec.type in (FieldType.TEXT, FieldType.TEXTAREA)


class BoardPostingForm(NhsForm):
    """Base of the generated forms; `adapter` is the board whose spec validates the values.

    A field in error carries the same marks whether the server rendered the error or live validation found it
    (`static/js/boards/post_form.js` toggles them): the form group's and the input's error classes,
    `aria-invalid="true"` and `aria-describedby` naming the hint, the count message and the error slot.
    """

    adapter: BoardAdapter

    def __init__(self, *args, validate_url: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            spec = self.adapter.spec.field(name)
            attrs = field.widget.attrs
            if is_counted(spec):
                attrs["class"] = f"{attrs.get('class', '')} nhsuk-js-character-count".strip()
            if validate_url:
                # Live validation: each change posts the whole form; the server answers with this field's errors.
                attrs.update(
                    {
                        "hx-post": validate_url,
                        "hx-trigger": "input changed delay:400ms, change",
                        "hx-include": "closest form",
                        "hx-swap": "none",
                        "hx-sync": "this:replace",
                    }
                )

    def _described_by(self, name: str, *, with_error: bool = False) -> str:
        """The hint, the counter and the error slot (always there, empty until there is an error, so live
        validation needs no attribute changes)."""
        spec, base = self.adapter.spec.field(name), f"id_{self.add_prefix(name)}"
        ids = [f"{base}-hint"] if self.fields[name].help_text else []
        if is_counted(spec):
            ids.append(f"{base}-info")
        return " ".join([*ids, f"errors-{name}"])

    def _mark_error(self, name: str) -> None:
        """The mixin's error class and description, and `aria-invalid` (checkboxes: their fieldset says it)."""
        super()._mark_error(name)
        if self[name].widget_type not in ("checkboxselectmultiple", "nhsdate"):
            self.fields[name].widget.attrs["aria-invalid"] = "true"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        result = validate(self.adapter.spec, cleaned, editable_only=True)
        for name, messages in result.errors.items():
            self.add_error(name if name in self.fields else None, messages)
        return cleaned

    def rows(self) -> list[tuple[forms.BoundField, FieldSpec, bool]]:
        """Each bound field with its spec and whether it has a character count, for the template (limits and
        conditions become data attributes)."""
        specs = self.adapter.spec.by_name
        return [(self[name], specs[name], is_counted(specs[name])) for name in self.fields]

    def raw_values(self) -> dict[str, Any]:
        """What was typed, valid or not (Save as Draft keeps it as it is; a date as its joined text)."""
        return {
            name: field.to_python(self[name].data) if isinstance(field, BoardDateField) else self[name].data
            for name, field in self.fields.items()
        }

    def add_board_errors(self, field_errors: dict[str, list[str]]) -> None:
        """Show the errors the board sent back (already keyed by our field names) next to their fields."""
        for name, messages in field_errors.items():
            self.add_error(name if name in self.fields else None, messages)

    @property
    def error_list(self) -> list[tuple[str, str]]:
        """The summary lists each message once (the guide's "Please fill the required fields" would repeat)."""
        seen: set[str] = set()
        result = []
        for anchor, message in super().error_list:
            if message not in seen:
                seen.add(message)
                result.append((anchor, message))
        return result


@functools.cache
def form_class_for(adapter_class: type[BoardAdapter]) -> type[BoardPostingForm]:
    """The posting form of a board: one field per editable spec field, in spec order."""
    fields = {spec.name: _form_field(spec) for spec in adapter_class.spec.fields if spec.editable}
    return type(f"{adapter_class.__name__}Form", (BoardPostingForm,), {**fields, "adapter": adapter_class()})


def form_data(values: dict[str, Any]) -> dict[str, Any]:
    """Stored values as form data (lists stay lists; everything else as text)."""
    return {
        name: value if isinstance(value, list) else ("" if value is None else str(value))
        for name, value in values.items()
    }
