"""The admin kept to the signed-in user's data scope, as the back-office is.

Two rules cover every page:
- `ScopedAdminMixin`: a model admin's objects are those in the user's scope (`scope`, from
  `recruitment.selectors.scope`); anything else answers as if it did not exist (lists, change pages, actions, and
  the autocompletes that search this model).
- `ScopedChoicesMixin`: every foreign-key and many-to-many choice on a form (select, autocomplete, inline) is what
  the related model's own admin shows the user, so nothing outside the scope is offered, and a posted id outside it
  fails as "Select a valid choice", a message that reveals nothing.
"""

from collections.abc import Callable

from django.contrib.admin.exceptions import NotRegistered
from django.db.models import QuerySet

from recruitment.selectors.scope import scope_division_ids


class ScopedChoicesMixin:
    """Limit foreign-key and many-to-many choices to the related model's admin queryset for this user."""

    def get_field_queryset(self, db, db_field, request):
        try:
            related_admin = self.admin_site.get_model_admin(db_field.remote_field.model)
        except NotRegistered:
            return super().get_field_queryset(db, db_field, request)
        return related_admin.get_queryset(request).using(db)


class ScopedAdminMixin(ScopedChoicesMixin):
    """Show only the objects in the user's data scope; anything else answers as if it did not exist."""

    scope: Callable[..., QuerySet]

    def get_queryset(self, request):
        return type(self).scope(request.user, super().get_queryset(request))


def sees_every_division(user) -> bool:
    """Whether the user's scope is every division (superusers, "all divisions" scopes)."""
    return scope_division_ids(user) is None
