"""Admin for reference data and the organisation's settings."""

from django.contrib import admin, messages

from recruitment.admin.scoping import ScopedAdminMixin, ScopedChoicesMixin
from recruitment.formatting import money
from recruitment.models import (
    Department,
    Division,
    EmploymentType,
    JobCategory,
    JobLevel,
    Location,
    Organisation,
    Region,
    SalaryBand,
    SchoolLocation,
)
from recruitment.selectors.scope import departments_visible_to, divisions_visible_to


class ReferenceDataAdmin(admin.ModelAdmin):
    """Shared list, search and the activate/deactivate actions of every reference list."""

    list_display = ("name", "code", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "code")
    ordering = ("name",)
    actions = ("activate", "deactivate")

    @admin.action(description="Make selected entries active", permissions=["change"])
    def activate(self, request, queryset):
        count = queryset.update(is_active=True)
        self.message_user(request, f"{count} made active.", messages.SUCCESS)

    @admin.action(description="Make selected entries inactive (kept for history)", permissions=["change"])
    def deactivate(self, request, queryset):
        count = queryset.update(is_active=False)
        self.message_user(request, f"{count} made inactive.", messages.SUCCESS)


@admin.register(Region, JobLevel)
class SimpleReferenceAdmin(ReferenceDataAdmin):
    """Reference lists with nothing but a code and a name."""


@admin.register(Division)
class DivisionAdmin(ScopedAdminMixin, ReferenceDataAdmin):
    """Divisions: a user limited to some divisions sees (and may choose) only those."""

    scope = staticmethod(divisions_visible_to)


@admin.register(Department)
class DepartmentAdmin(ScopedAdminMixin, ReferenceDataAdmin):
    """Departments, filtered by division; a user limited to some divisions sees only their departments."""

    scope = staticmethod(departments_visible_to)
    list_display = ("name", "code", "division", "is_active")
    list_filter = ("is_active", ("division", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "code", "division__name")
    autocomplete_fields = ("division",)
    list_select_related = ("division",)


@admin.register(Location)
class LocationAdmin(ScopedChoicesMixin, ReferenceDataAdmin):
    """Workplace addresses."""

    list_display = ("name", "code", "town", "postcode", "region", "is_active")
    list_filter = ("is_active", "region")
    search_fields = ("name", "code", "town", "postcode")
    autocomplete_fields = ("region",)
    list_select_related = ("region",)


@admin.register(JobCategory)
class JobCategoryAdmin(ReferenceDataAdmin):
    """Job categories and their NHS staff groups."""

    list_display = ("name", "code", "staff_group", "is_active")
    list_filter = ("is_active", "staff_group")


@admin.register(SalaryBand)
class SalaryBandAdmin(ReferenceDataAdmin):
    """Pay bands and grades with their ranges."""

    list_display = ("name", "code", "pay_scheme", "band", "lowest", "highest", "period", "is_active")
    list_filter = ("is_active", "pay_scheme", "period")
    search_fields = ("name", "code", "band")

    @admin.display(description="lowest", ordering="min_amount")
    def lowest(self, band: SalaryBand) -> str:
        return money(band.min_amount)

    @admin.display(description="highest", ordering="max_amount")
    def highest(self, band: SalaryBand) -> str:
        return money(band.max_amount)


@admin.register(EmploymentType)
class EmploymentTypeAdmin(ReferenceDataAdmin):
    """Employment types and the kind of contract each is (boards map it onto their own contract types)."""

    list_display = ("name", "code", "contract_kind", "is_active")
    list_filter = ("is_active", "contract_kind")


@admin.register(SchoolLocation)
class SchoolLocationAdmin(ScopedChoicesMixin, ReferenceDataAdmin):
    """School sites."""

    list_display = ("name", "code", "location", "is_active")
    autocomplete_fields = ("location",)
    list_select_related = ("location",)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """The organisation's name, the 'about us' text adverts reuse and the privacy notice the careers site publishes."""

    list_display = ("name", "careers_email")
    search_fields = ("name",)
