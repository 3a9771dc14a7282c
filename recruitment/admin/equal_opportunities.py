"""Admin for equal-opportunities answers: their own pages and an aggregate report, for holders of
`recruitment.view_equalopportunities` only, and never beside an application or the person who gave them."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path

from recruitment.admin.applications import ReadOnlyAdminMixin
from recruitment.admin.scoping import ScopedAdminMixin
from recruitment.models import EqualOpportunities
from recruitment.selectors.equal_opportunities import (
    QUESTIONS,
    SMALL_COUNT,
    equal_opportunities_report,
    equal_opportunities_vacancies,
)
from recruitment.selectors.scope import applications_visible_to


@admin.register(EqualOpportunities)
class EqualOpportunitiesAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Equal-opportunities answers (read-only), with the vacancy they were given for but not the application."""

    scope = staticmethod(lambda user, qs: qs.filter(application__in=applications_visible_to(user)))
    list_display = ("__str__", "vacancy", "age_band", "sex", "ethnicity", "disability", "recorded_at")
    list_filter = ("age_band", "sex", "ethnicity", "disability", "sexual_orientation", "religion")
    search_fields = ("application__vacancy__reference",)
    date_hierarchy = "recorded_at"
    fields = ("vacancy", *QUESTIONS, "recorded_at")
    readonly_fields = fields
    change_list_template = "admin/recruitment/equalopportunities/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("application__vacancy")

    @admin.display(description="Vacancy", ordering="application__vacancy__reference")
    def vacancy(self, obj: EqualOpportunities) -> str:
        return obj.application.vacancy.reference

    def get_urls(self):
        return [
            path("report/", self.admin_site.admin_view(self.report_view), name="recruitment_equalopportunities_report"),
            *super().get_urls(),
        ]

    def report_view(self, request):
        """Counts per answer, overall or for one vacancy (`?vacancy=<id>`), small counts suppressed."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        vacancies = equal_opportunities_vacancies(user=request.user)
        vacancy = None
        if request.GET.get("vacancy"):
            vacancy = vacancies.filter(pk=request.GET["vacancy"]).first() if request.GET["vacancy"].isdigit() else None
            if vacancy is None:
                raise Http404("No such vacancy with equal-opportunities answers.")
        context = {
            **self.admin_site.each_context(request),
            "title": "Equal-opportunities report" + (f": {vacancy.reference}" if vacancy else ""),
            "opts": self.model._meta,
            "vacancies": vacancies,
            "vacancy": vacancy,
            "report": equal_opportunities_report(user=request.user, vacancy=vacancy),
            "small_count": SMALL_COUNT,
        }
        return TemplateResponse(request, "admin/recruitment/equalopportunities/report.html", context)
