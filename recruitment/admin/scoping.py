"""Admin querysets limited to the signed-in user's data scope."""

from collections.abc import Callable

from django.db.models import QuerySet


class ScopedAdminMixin:
    """Show only the objects in the user's data scope; anything else answers as if it did not exist."""

    scope: Callable[..., QuerySet]

    def get_queryset(self, request):
        return type(self).scope(request.user, super().get_queryset(request))
