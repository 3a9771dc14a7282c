"""Admin for users' data scopes, also shown inline on the user page.

Only a user who sees every division manages data scopes: one limited to some divisions can neither widen anyone's
scope (their own included) nor see a division outside theirs offered.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from recruitment.admin.scoping import ScopedChoicesMixin, sees_every_division
from recruitment.models import DataScope

User = get_user_model()


class ManagedByAllDivisionUsersMixin(ScopedChoicesMixin):
    """Adding, changing and deleting data scopes needs every division in one's own scope (and the permission)."""

    def has_add_permission(self, request, *args):  # a model admin passes the request, an inline also the parent
        return sees_every_division(request.user) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return sees_every_division(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return sees_every_division(request.user) and super().has_delete_permission(request, obj)


@admin.register(DataScope)
class DataScopeAdmin(ManagedByAllDivisionUsersMixin, admin.ModelAdmin):
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


class DataScopeInline(ManagedByAllDivisionUsersMixin, admin.StackedInline):
    """The user's data scope on the user page."""

    model = DataScope
    can_delete = False
    filter_horizontal = ("divisions",)


admin.site.unregister(User)


@admin.register(User)
class ScopedUserAdmin(UserAdmin):
    """Django's user admin with the data scope inline."""

    inlines = (DataScopeInline,)
