"""Admin for vacancies: edits and the lifecycle go through the vacancy services."""

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join

from recruitment.admin.actions import person_column, run_for_each, service_action
from recruitment.admin.applications import ReadOnlyAdminMixin
from recruitment.admin.scoping import ScopedAdminMixin
from recruitment.formatting import person_name
from recruitment.models import Application, Vacancy, VacancyEvent, VacancyReferenceCounter, WorkingPattern
from recruitment.selectors.scope import vacancies_visible_to
from recruitment.services.vacancies import (
    EDITABLE_FIELDS,
    VACANCY_FIELDS,
    vacancy_advertise,
    vacancy_approve,
    vacancy_cancel,
    vacancy_close,
    vacancy_copy,
    vacancy_create,
    vacancy_submit_for_approval,
    vacancy_update,
    vacancy_validate,
)


class VacancyAdminForm(forms.ModelForm):
    """The vacancy form, validated by the same rules as the services."""

    working_patterns = forms.MultipleChoiceField(choices=WorkingPattern.choices, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Vacancy
        fields = [*VACANCY_FIELDS, "recruiter"]

    def _post_clean(self):
        super()._post_clean()
        try:
            vacancy_validate(self.instance)
        except ValidationError as exc:
            self._update_errors(exc)


class OpenForApplicationsFilter(admin.SimpleListFilter):
    """Open for applications or not, by `Vacancy.objects.open_for_applications()` (closing dates in London time)."""

    title = "open for applications"
    parameter_name = "open"

    def lookups(self, request, model_admin):
        return (("yes", "Open for applications"), ("no", "Not open"))

    def queryset(self, request, queryset):
        open_ids = Vacancy.objects.open_for_applications().values("pk")
        if self.value() == "yes":
            return queryset.filter(pk__in=open_ids)
        if self.value() == "no":
            return queryset.exclude(pk__in=open_ids)
        return queryset


# Written by the lifecycle services only: shown read-only, together, at the foot of the form.
_HISTORY_FIELDS = (
    "copied_from",
    "approved_by",
    "created_at",
    "updated_at",
    "submitted_at",
    "approved_at",
    "advertised_at",
    "closed_at",
)


class ApplicationInline(admin.TabularInline):
    """The applications to a vacancy (read-only here; open one to work on it)."""

    model = Application
    fields = ("candidate", "stage", "source", "submitted_at")
    readonly_fields = fields
    show_change_link = True
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("candidate")


@admin.register(Vacancy)
class VacancyAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Vacancies with their applications; status moves only through the actions."""

    scope = staticmethod(vacancies_visible_to)
    form = VacancyAdminForm
    list_display = ("reference", "title", "status", "division", "department", "closing_date", "recruiter_name")
    list_filter = (
        OpenForApplicationsFilter,
        "status",
        ("division", admin.RelatedOnlyFieldListFilter),
        "employment_type",
        "dbs_level",
        "closing_date",
    )
    search_fields = ("reference", "title", "title_for_candidates", "recruiter__username", "department__name")
    autocomplete_fields = (
        "division",
        "department",
        "location",
        "job_category",
        "employment_type",
        "salary_band",
        "job_level",
        "school_location",
        "recruiter",
    )
    list_select_related = ("division", "department", "recruiter")
    date_hierarchy = "closing_date"
    readonly_fields = ("reference", "status", *_HISTORY_FIELDS, "history")
    fieldsets = (
        (None, {"fields": ("reference", "status", "title", "title_for_candidates", "recruiter")}),
        (
            "Organisation and place",
            {"fields": ("division", "department", "location", "school_location", "job_category", "job_level")},
        ),
        (
            "Contract and pay",
            {
                "fields": (
                    "employment_type",
                    ("contract_duration_length", "contract_duration_unit"),
                    "working_patterns",
                    "hours_per_week",
                    "salary_band",
                    "salary_type",
                    ("salary_min", "salary_max", "salary_period"),
                )
            },
        ),
        (
            "Advert",
            {"fields": ("closing_date", "attention_grabber", "advert_html", "about_organisation", "reply_to_email")},
        ),
        ("DBS", {"fields": ("dbs_level", "dbs_workforce")}),
        (
            "History",
            {"classes": ("collapse",), "fields": (*_HISTORY_FIELDS, "history")},
        ),
    )
    inlines = (ApplicationInline,)

    @admin.display(description="history")
    def history(self, vacancy: Vacancy) -> str:
        """The vacancy's history (written by the services), with people's names."""
        if not vacancy.pk:
            return "-"
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    date_format(timezone.localtime(event.at), "j M Y H:i"),
                    event.get_action_display(),
                    person_name(event.actor, "System"),
                    event.note,
                )
                for event in vacancy.events.select_related("actor").order_by("at", "pk")
            ),
        )
        head = format_html("<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>", "When", "What", "By", "Reason")
        return format_html("<table>{}{}</table>", head, rows)

    @admin.display(description="recruiter", ordering="recruiter__last_name")
    def recruiter_name(self, vacancy: Vacancy) -> str:
        return person_name(vacancy.recruiter)

    def get_changeform_initial_data(self, request):
        return {"recruiter": request.user.pk, **super().get_changeform_initial_data(request)}

    def save_model(self, request, obj, form, change):
        """Save through the services: vacancy_create on add (new reference, draft), vacancy_update on change."""
        if change:
            changes = {name: form.cleaned_data[name] for name in form.changed_data if name in EDITABLE_FIELDS}
            saved = vacancy_update(vacancy=obj, changes=changes, actor=request.user) if changes else obj
        else:
            fields = {name: form.cleaned_data[name] for name in VACANCY_FIELDS}
            fields["about_organisation"] = fields["about_organisation"] or None
            saved = vacancy_create(
                recruiter=form.cleaned_data["recruiter"] or request.user, actor=request.user, **fields
            )
        # The admin goes on with `obj` (redirects, log entries): make it the saved row.
        vars(obj).update(vars(saved))

    def has_approve_permission(self, request) -> bool:
        return request.user.has_perm("recruitment.approve_vacancy")


def ending_action(name: str, description: str, service, *, done: str, verb: str):
    """An admin action that closes or cancels the selected vacancies after a confirmation page asking for the
    reason (recorded in each vacancy's history), as the back-office does; without a reason nothing happens."""

    @admin.action(description=description, permissions=["change"])
    def action(modeladmin, request, queryset):
        reason = (request.POST.get("reason") or "").strip()
        if request.POST.get("confirm") == "yes" and reason:
            run_for_each(
                request,
                queryset,
                lambda vacancy: service(vacancy=vacancy, actor=request.user, reason=reason),
                done=done,
                modeladmin=modeladmin,
            )
            return None
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": description.replace(" selected", " these vacancies") + "?",
            "opts": modeladmin.model._meta,
            "vacancies": queryset,
            "action": name,
            "verb": verb,
            "reason": reason,
            "missing_reason": request.POST.get("confirm") == "yes" and not reason,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/recruitment/vacancy/end_confirm.html", context)

    action.__name__ = name
    return action


VacancyAdmin.actions = (
    service_action(
        "submit_for_approval",
        "Submit selected for approval",
        "change",
        lambda v, request: vacancy_submit_for_approval(vacancy=v, actor=request.user),
        done="submitted",
    ),
    service_action(
        "approve",
        "Approve selected",
        "approve",
        lambda v, request: vacancy_approve(vacancy=v, approver=request.user),
        done="approved",
    ),
    service_action(
        "advertise_internally",
        "Advertise selected internally",
        "change",
        lambda v, request: vacancy_advertise(vacancy=v, external=False, actor=request.user),
        done="advertised internally",
    ),
    service_action(
        "advertise_externally",
        "Advertise selected externally",
        "change",
        lambda v, request: vacancy_advertise(vacancy=v, external=True, actor=request.user),
        done="advertised externally",
    ),
    ending_action("close", "Close selected", vacancy_close, done="closed", verb="closing"),
    ending_action("cancel", "Cancel selected", vacancy_cancel, done="cancelled", verb="cancelling"),
    service_action(
        "copy",
        "Copy selected into new drafts",
        "add",
        lambda v, request: vacancy_copy(vacancy=v, recruiter=request.user),
        done="copied into new drafts",
    ),
)


@admin.register(VacancyEvent)
class VacancyEventAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Every vacancy's history (read-only: written by the vacancy services), within the user's scope."""

    scope = staticmethod(lambda user, qs: qs.filter(vacancy__in=vacancies_visible_to(user)))
    list_display = ("vacancy", "action", "from_status", "to_status", "by", "at")
    list_filter = ("action", "at")
    search_fields = ("vacancy__reference", "vacancy__title", "note")
    list_select_related = ("vacancy", "actor")
    date_hierarchy = "at"
    by = person_column("actor")


@admin.register(VacancyReferenceCounter)
class VacancyReferenceCounterAdmin(admin.ModelAdmin):
    """The last vacancy number issued per year (read-only: numbers are issued by vacancy_create)."""

    list_display = ("year", "last_number")
    search_fields = ("year",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
