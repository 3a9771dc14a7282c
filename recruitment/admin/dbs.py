"""Admin for DBS checks: every change goes through the DBS services, with the details each stage needs."""

from django import forms
from django.contrib import admin

from recruitment.admin.actions import person_column, service_action
from recruitment.admin.applications import ReadOnlyAdminMixin
from recruitment.admin.scoping import ScopedAdminMixin
from recruitment.formfields import CertificateNumberFormField
from recruitment.models import DbsCheck, DbsCheckEvent, DbsDecision, DbsStage, DbsViewChannel, UpdateServiceResult
from recruitment.privacy.viewlog import dbs_views_record
from recruitment.selectors.scope import dbs_checks_visible_to
from recruitment.services.dbs import (
    dbs_advance_problems,
    dbs_check_advance,
    dbs_check_open,
    dbs_check_record_update_service,
)
from recruitment.workflows import DBS_TRANSITIONS

# Moves that need no details, offered as list actions; the others are made on the check's page.
_ACTION_STAGES = (
    DbsStage.ID_VERIFIED,
    DbsStage.SUBMITTED,
    DbsStage.WITH_DBS,
    DbsStage.CLEAR,
    DbsStage.NEEDS_REVIEW,
    DbsStage.CANCELLED,
)


class DbsCheckAdminForm(forms.ModelForm):
    """Open a check (add) or move it on (change), with the certificate details or decision the move needs."""

    move_to = forms.ChoiceField(required=False, label="Move to stage", choices=())
    new_certificate_number = CertificateNumberFormField(
        required=False,
        label="Certificate number",
        help_text="12 digits (spaces or dashes between groups are fine). Needed to move to Certificate issued.",
    )
    new_certificate_issue_date = forms.DateField(
        required=False, label="Certificate issue date", widget=forms.DateInput(attrs={"type": "date"})
    )
    new_decision = forms.ChoiceField(
        required=False, label="Decision", choices=[("", "---------"), *DbsDecision.choices]
    )
    note = forms.CharField(required=False, max_length=500)
    new_update_service_subscriber = forms.BooleanField(required=False, label="Subscribes to the DBS Update Service")
    new_update_service_result = forms.ChoiceField(
        required=False,
        label="Record an Update Service status check",
        choices=[("", "---------"), *UpdateServiceResult.choices],
    )

    class Meta:
        model = DbsCheck
        fields = ("application",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            labels = dict(DbsStage.choices)
            self.fields["move_to"].choices = [("", "Stay where it is")] + [
                (stage, labels[stage]) for stage in DbsStage.values if stage in DBS_TRANSITIONS[self.instance.stage]
            ]
            self.fields["new_update_service_subscriber"].initial = self.instance.update_service_subscriber

    def clean(self):
        data = super().clean()
        target = data.get("move_to")
        if target:  # the back-office's rule: every problem at once, values for another stage refused
            problems = dbs_advance_problems(
                to_stage=target,
                certificate_number=data.get("new_certificate_number") or None,
                certificate_issue_date=data.get("new_certificate_issue_date"),
                decision=data.get("new_decision") or None,
            )
            for name, message in problems.items():
                if f"new_{name}" not in self.errors:
                    self.add_error(f"new_{name}", message)
        application = data.get("application")
        if not self.instance.pk and application is not None and not application.vacancy.needs_dbs_check:
            self.add_error("application", "This application's vacancy does not need a DBS check.")
        return data


@admin.register(DbsCheck)
class DbsCheckAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """DBS checks by stage; no certificate copy is ever stored, only its number, date and the decision."""

    scope = staticmethod(dbs_checks_visible_to)
    form = DbsCheckAdminForm
    list_display = ("application", "level", "workforce", "stage", "stage_changed_at", "decision")
    list_filter = ("stage", "level", "workforce", "update_service_subscriber", "decision")
    search_fields = (
        "application__candidate__first_name",
        "application__candidate__last_name",
        "application__candidate__email",
        "application__vacancy__reference",
        "certificate_number",
    )
    autocomplete_fields = ("application",)
    list_select_related = ("application__candidate", "application__vacancy")
    date_hierarchy = "stage_changed_at"
    actions = tuple(
        service_action(
            f"move_to_{stage}",
            f"Move selected to {DbsStage(stage).label}",
            "change",
            lambda check, request, stage=stage: dbs_check_advance(
                check=check, to_stage=stage, actor=request.user, note="Moved in the admin"
            ),
            done=f"moved to {DbsStage(stage).label}",
        )
        for stage in _ACTION_STAGES
    )
    details = (
        "level",
        "barred_list_children",
        "barred_list_adults",
        "workforce",
        "stage",
        "stage_changed_at",
        "certificate_number",
        "certificate_issue_date",
        "update_service_subscriber",
        "update_service_result",
        "update_service_checked_at",
        "decision",
        "decision_at",
        "decision_by",
    )

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return ((None, {"fields": ("application",)}),)
        return (
            (None, {"fields": ("application", *self.details)}),
            (
                "Move on",
                {
                    "fields": (
                        "move_to",
                        "new_certificate_number",
                        "new_certificate_issue_date",
                        "new_decision",
                        "note",
                    )
                },
            ),
            ("DBS Update Service", {"fields": ("new_update_service_subscriber", "new_update_service_result")}),
        )

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else ("application", *self.details)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The check's page, written to the DBS viewer log whenever it is shown (not after a save that redirects)."""
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200:  # the check was found in the user's scope and shown
            dbs_views_record(check_ids=[int(object_id)], viewer=request.user, channel=DbsViewChannel.ADMIN)
        return response

    def save_model(self, request, obj, form, change):
        """Open the check on add; on change, record an Update Service check and/or advance the stage."""
        data = form.cleaned_data
        if not change:
            saved = dbs_check_open(application=data["application"], actor=request.user)
        else:
            saved = obj
            if data.get("new_update_service_result"):
                saved = dbs_check_record_update_service(
                    check=saved,
                    subscriber=data.get("new_update_service_subscriber", False),
                    result=data["new_update_service_result"],
                    actor=request.user,
                )
            if data.get("move_to"):
                saved = dbs_check_advance(
                    check=saved,
                    to_stage=data["move_to"],
                    actor=request.user,
                    certificate_number=data.get("new_certificate_number"),
                    certificate_issue_date=data.get("new_certificate_issue_date"),
                    decision=data.get("new_decision") or None,
                    note=data.get("note", ""),
                )
        vars(obj).update(vars(saved))


@admin.register(DbsCheckEvent)
class DbsCheckEventAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """The minimal log of DBS check moves (read-only)."""

    scope = staticmethod(lambda user, qs: qs.filter(dbs_check__in=dbs_checks_visible_to(user)))
    list_display = ("dbs_check", "from_stage", "to_stage", "by", "at")
    by = person_column("actor")
    list_filter = ("to_stage", "at")
    search_fields = ("dbs_check__application__candidate__email", "dbs_check__application__vacancy__reference")
    list_select_related = ("dbs_check__application__candidate", "dbs_check__application__vacancy", "actor")
    date_hierarchy = "at"
