"""Data scope: the divisions a user may see, applied to every query that returns domain objects."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from recruitment.models import Application, DataScope, DbsCheck, Vacancy


def scope_division_ids(user) -> list[int] | None:
    """The division ids the user may see, or None for all of them (superusers and "all divisions" scopes)."""
    if isinstance(user, AnonymousUser) or not user.is_active:
        return []
    if user.is_superuser:
        return None
    scope = DataScope.objects.filter(user=user).prefetch_related("divisions").first()
    if scope is None:
        return []
    if scope.all_divisions:
        return None
    return [division.pk for division in scope.divisions.all()]


def _filter(queryset: QuerySet, user, division_path: str) -> QuerySet:
    division_ids = scope_division_ids(user)
    if division_ids is None:
        return queryset
    return queryset.filter(Q(**{f"{division_path}__in": division_ids}))


def vacancies_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    """Vacancies in the user's data scope."""
    return _filter(Vacancy.objects.all() if queryset is None else queryset, user, "division_id")


def applications_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    """Applications to vacancies in the user's data scope."""
    return _filter(Application.objects.all() if queryset is None else queryset, user, "vacancy__division_id")


def dbs_checks_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    """DBS checks for applications in the user's data scope."""
    return _filter(DbsCheck.objects.all() if queryset is None else queryset, user, "application__vacancy__division_id")
