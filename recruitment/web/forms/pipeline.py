"""The pipeline's move form: many applications of one vacancy to one stage, with a note (the reason to reject)."""

from django import forms

from recruitment.models import Application, ApplicationStage, Vacancy
from recruitment.web.forms.base import NhsForm


class MoveApplicationsForm(NhsForm):
    """Choose applications of the vacancy, a stage to move them to and a note; rejecting needs the reason."""

    applications = forms.ModelMultipleChoiceField(
        queryset=Application.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one application to move."},
    )
    to_stage = forms.ChoiceField(
        label="Move to stage",
        choices=[("", "Choose a stage"), *((v, lbl) for v, lbl in ApplicationStage.choices if v != "new")],
        error_messages={"required": "Choose the stage to move the applications to."},
    )
    note = forms.CharField(
        label="Note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why they move. Needed when rejecting: it is recorded as the rejection reason.",
    )

    def __init__(self, *args, vacancy: Vacancy, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = Application.objects.filter(vacancy=vacancy).select_related("candidate")

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("to_stage") == ApplicationStage.REJECTED and not (cleaned.get("note") or "").strip():
            self.add_error("note", "Enter the reason for rejecting the applications.")
        return cleaned

    def _anchor(self, name: str) -> str:
        """The applications are ticked in the pipeline table, so their error links to the table."""
        return "pipeline-table" if name == "applications" else super()._anchor(name)
