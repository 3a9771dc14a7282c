"""Admin for users' data scopes, also shown inline on the user page."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from recruitment.models import DataScope

User = get_user_model()


@admin.register(DataScope)
class DataScopeAdmin(admin.ModelAdmin):
    """Which divisions each user may see."""

    list_display = ("user", "all_divisions", "division_list")
    list_filter = ("all_divisions", "divisions")
    search_fields = ("user__username", "user__email", "user__first_name", "user__last_name")
    autocomplete_fields = ("user",)
    filter_horizontal = ("divisions",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user").prefetch_related("divisions")

    @admin.display(description="Divisions")
    def division_list(self, obj: DataScope) -> str:
        return "All" if obj.all_divisions else ", ".join(division.name for division in obj.divisions.all())


class DataScopeInline(admin.StackedInline):
    """The user's data scope on the user page."""

    model = DataScope
    can_delete = False
    filter_horizontal = ("divisions",)


admin.site.unregister(User)


@admin.register(User)
class ScopedUserAdmin(UserAdmin):
    """Django's user admin with the data scope inline."""

    inlines = (DataScopeInline,)
