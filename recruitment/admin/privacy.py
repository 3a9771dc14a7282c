"""Admin for data protection: legal holds, the removal audit with the retention dry run, and the DBS viewer log (the
subject access and erasure actions on candidates are in `recruitment.admin.subject_rights`)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.template.response import TemplateResponse
from django.urls import path, reverse

from recruitment.admin.actions import service_action
from recruitment.admin.applications import ReadOnlyAdminMixin
from recruitment.admin.scoping import ScopedAdminMixin
from recruitment.models import DbsViewLog, LegalHold, RemovalAudit
from recruitment.privacy.holds import legal_hold_lift, legal_hold_place
from recruitment.privacy.selectors import active_legal_hold_count, retention_report
from recruitment.selectors.scope import applications_visible_to, candidates_visible_to, dbs_checks_visible_to

ERASE_TEMPLATE = "admin/recruitment/candidate/erase_personal_data.html"
REPORT_TEMPLATE = "admin/recruitment/removalaudit/report.html"


class LegalHoldForm(forms.ModelForm):
    """Set a hold on a candidate or on one application, with the reason."""

    class Meta:
        model = LegalHold
        fields = ("candidate", "application", "reason")

    def clean(self):
        data = super().clean()
        if bool(data.get("candidate")) == bool(data.get("application")):
            raise ValidationError("Choose a candidate or an application (one of them).")
        return data


@admin.register(LegalHold)
class LegalHoldAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Legal holds: while one is on, retention and erasure leave its candidate's or application's data alone. A user
    limited to some divisions sees (and may set) holds on the applications and candidates in them."""

    scope = staticmethod(
        lambda user, qs: qs.filter(
            Q(application__in=applications_visible_to(user)) | Q(candidate__in=candidates_visible_to(user))
        ).distinct()
    )
    form = LegalHoldForm
    list_display = ("subject", "reason", "set_by", "set_at", "lifted_by", "lifted_at")
    list_filter = (("lifted_at", admin.EmptyFieldListFilter), "set_at")
    search_fields = ("reason", "candidate__email", "application__candidate__email", "application__vacancy__reference")
    autocomplete_fields = ("candidate", "application")
    list_select_related = ("set_by", "lifted_by", "candidate", "application__candidate", "application__vacancy")
    actions = (
        service_action(
            "lift",
            "Lift selected holds",
            "change",
            lambda hold, request: legal_hold_lift(hold=hold, actor=request.user),
            done="lifted",
        ),
    )

    @admin.display(description="Held")
    def subject(self, hold: LegalHold) -> str:
        """Whose data the hold keeps: the candidate, or the application (its candidate and job)."""
        if hold.candidate_id:
            return f"{hold.candidate.full_name} (every application)"
        return f"{hold.application.candidate.full_name}, {hold.application.vacancy.reference}"

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("candidate", "application", "reason")
        return ("candidate", "application", "reason", "set_by", "set_at", "lifted_by", "lifted_at")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.get_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = legal_hold_place(
            actor=request.user,
            reason=data["reason"],
            candidate=data.get("candidate"),
            application=data.get("application"),
        )
        vars(obj).update(vars(saved))


@admin.register(RemovalAudit)
class RemovalAuditAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """What retention runs and erasures removed, per category (counts only), and the dry run of the next run."""

    change_list_template = "admin/recruitment/removalaudit/change_list.html"
    list_display = ("started_at", "trigger", "category", "action", "removed", "finished_at", "actor", "run")
    list_filter = ("trigger", "category", "started_at")
    search_fields = ("run",)
    date_hierarchy = "started_at"

    def get_urls(self):
        view = self.admin_site.admin_view(self.report_view)
        return [path("retention-report/", view, name="recruitment_removalaudit_report"), *super().get_urls()]

    def report_view(self, request):
        """The retention dry run: what the next run would remove per category, and why, changing nothing."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": "Retention report (dry run)",
            "opts": self.model._meta,
            "lines": retention_report(),
            "holds": active_legal_hold_count(),
            "holds_url": reverse("admin:recruitment_legalhold_changelist") + "?lifted_at__isempty=1",
        }
        return TemplateResponse(request, REPORT_TEMPLATE, context)


@admin.register(DbsViewLog)
class DbsViewLogAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Who was shown which DBS check's details, when and where (read-only; it outlives the checks' purge)."""

    scope = staticmethod(lambda user, qs: qs.filter(dbs_check_id__in=dbs_checks_visible_to(user).values("pk")))
    list_display = ("viewed_at", "viewer_username", "dbs_check", "channel")
    list_filter = ("channel", "viewed_at")
    search_fields = ("viewer_username", "=dbs_check_id")
    date_hierarchy = "viewed_at"

    @admin.display(description="DBS check", ordering="dbs_check_id")
    def dbs_check(self, obj: DbsViewLog) -> str:
        return f"#{obj.dbs_check_id}"
