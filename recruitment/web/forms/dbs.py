"""The form that advances a DBS check, with the certificate details and the decision its next stage needs."""

from django import forms

from recruitment.formfields import CertificateNumberFormField
from recruitment.models import DbsCheck, DbsDecision, DbsStage
from recruitment.web.forms.base import NhsForm
from recruitment.workflows import DBS_TRANSITIONS, allowed_targets


class AdvanceDbsCheckForm(NhsForm):
    """Move a check to one of the stages its current stage allows; the service checks what that stage needs."""

    to_stage = forms.ChoiceField(label="Move to", error_messages={"required": "Choose the next stage."})
    certificate_number = CertificateNumberFormField(
        label="Certificate number",
        required=False,
        help_text="The 12-digit number printed on the certificate. Needed when the certificate is issued.",
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
