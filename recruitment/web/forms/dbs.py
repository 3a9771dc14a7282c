"""The form that advances a DBS check, with the certificate details and the decision its next stage needs."""

from django import forms

from recruitment.models import DbsCheck, DbsDecision, DbsStage
from recruitment.web.forms.base import NhsForm
from recruitment.workflows import DBS_TRANSITIONS, allowed_targets

CERTIFICATE_MESSAGE = "Enter the certificate number: exactly 12 digits."


class AdvanceDbsCheckForm(NhsForm):
    """Move a check to one of the stages its current stage allows; the service checks what that stage needs."""

    to_stage = forms.ChoiceField(label="Move to", error_messages={"required": "Choose the next stage."})
    certificate_number = forms.CharField(
        label="Certificate number",
        required=False,
        max_length=20,
        help_text="The 12-digit number printed on the certificate. Needed when the certificate is issued.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}),
    )
    certificate_issue_date = forms.DateField(
        label="Certificate issue date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    decision = forms.ChoiceField(
        label="Recruitment decision",
        required=False,
        choices=DbsDecision.choices,
        widget=forms.RadioSelect,
        help_text="Needed when recording the decision.",
    )
    note = forms.CharField(label="Note", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, check: DbsCheck, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(DbsStage.choices)
        self.fields["to_stage"].choices = [("", "Choose the next stage")] + [
            (stage, labels[stage]) for stage in allowed_targets(DBS_TRANSITIONS, check.stage)
        ]
        self.fields["to_stage"].widget.attrs["class"] = "nhsuk-select"

    def clean_certificate_number(self) -> str:
        number = self.cleaned_data["certificate_number"].replace(" ", "")
        if number and not (len(number) == 12 and number.isdigit()):
            raise forms.ValidationError(CERTIFICATE_MESSAGE)
        return number
