"""The form that advances a DBS check, with the certificate details and the decision its next stage needs."""

from django import forms

from recruitment.formfields import CertificateNumberFormField, DateInputField
from recruitment.models import DbsCheck, DbsDecision, DbsStage
from recruitment.selectors.backoffice import DBS_SORTS
from recruitment.services.dbs import dbs_advance_problems
from recruitment.web.forms.base import NhsForm
from recruitment.workflows import DBS_TRANSITIONS, allowed_targets


class AdvanceDbsCheckForm(NhsForm):
    """Move a check to one of the stages its current stage allows, with what that stage records.

    The stages are radios; the fields a stage records sit under it (NHS.UK conditional reveal): with JavaScript only
    the chosen stage's fields show (the others are disabled, so nothing hidden is sent), without it all show. Every
    problem is reported at once, by `dbs_advance_problems` (the service's own rule): what the chosen stage needs,
    and any value typed into a field the stage does not take, which is refused, never dropped.
    """

    conditional_fields = ("certificate_number", "certificate_issue_date", "decision")

    to_stage = forms.ChoiceField(
        label="Move the check to",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the stage to move the check to.",
            "invalid_choice": "Select a stage this check can move to now.",
        },
    )
    certificate_number = CertificateNumberFormField(
        label="Certificate number",
        required=False,
        help_text="The 12 digits printed on the certificate. You can type spaces or dashes between groups.",
    )
    certificate_issue_date = DateInputField(
        label="Certificate issue date",
        required=False,
        help_text="As printed on the certificate. For example, 27 3 2026",
    )
    decision = forms.ChoiceField(
        label="Recruitment decision",
        required=False,
        choices=DbsDecision.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="Note", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, check: DbsCheck, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(DbsStage.choices)
        self.fields["to_stage"].choices = [
            (stage, labels[stage]) for stage in allowed_targets(DBS_TRANSITIONS, check.stage)
        ]

    def clean(self) -> dict:
        cleaned = super().clean()
        to_stage = cleaned.get("to_stage")
        if not to_stage:
            return cleaned
        values = {name: cleaned.get(name) or None for name in ("certificate_number", "certificate_issue_date")}
        values["decision"] = cleaned.get("decision") or None
        for name, message in dbs_advance_problems(to_stage=to_stage, **values).items():
            if name not in self.errors:  # a field's own error (a date without its month) is said already
                self.add_error(name, message)
        return cleaned


class DbsFilterForm(NhsForm):
    """The DBS list's search and sort (a GET form; an unknown sort falls back to "needs action first")."""

    q = forms.CharField(
        label="Search",
        required=False,
        help_text="Candidate name or email, vacancy reference or title, or a whole certificate number",
    )
    sort = forms.ChoiceField(label="Sort by", required=False, choices=list(DBS_SORTS.items()))

    def search(self) -> tuple[str, str]:
        """(search text, sort key), the valid parts only."""
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        return (data.get("q") or "").strip(), data.get("sort") or "action"
