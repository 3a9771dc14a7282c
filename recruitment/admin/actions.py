"""Helpers shared by admin actions: run a service per selected object and report what happened."""

from collections.abc import Callable, Iterable

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Model

from recruitment.errors import DomainError
from recruitment.formatting import person_name


def error_text(exc: DomainError | ValidationError) -> str:
    """A one-line message for a refused change."""
    if isinstance(exc, DomainError):
        return exc.message
    return " ".join(message for message in exc.messages)


def run_for_each(request, objects: Iterable[Model], call: Callable[[Model], object], *, done: str, modeladmin) -> None:
    """Call `call(obj)` for each object; report how many succeeded and, per object, why any was refused."""
    succeeded = 0
    for obj in objects:
        try:
            call(obj)
        except (DomainError, ValidationError) as exc:
            modeladmin.message_user(request, f"{obj}: {error_text(exc)}", level=messages.ERROR)
        else:
            succeeded += 1
    if succeeded:
        modeladmin.message_user(request, f"{succeeded} {done}.", level=messages.SUCCESS)


def service_action(
    name: str, description: str, permission: str, call: Callable[[Model, object], object], *, done: str
) -> Callable:
    """An admin list action calling one service per selected object: `call(obj, request)`."""

    @admin.action(description=description, permissions=[permission])
    def action(modeladmin, request, queryset):
        run_for_each(request, queryset, lambda obj: call(obj, request), done=done, modeladmin=modeladmin)

    action.__name__ = name
    return action


def person_column(field: str, *, default: str = "System", description: str = "by") -> Callable:
    """An admin column (or read-only field) showing the member of staff in `field` by name, not username."""

    @admin.display(description=description, ordering=f"{field}__last_name")
    def column(self, obj: Model) -> str:
        return person_name(getattr(obj, field), default)

    return column
