"""Data scope: the divisions a user may see, applied to every query that returns domain objects."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from recruitment.models import (
    Application,
    ApplicationDocument,
    Candidate,
    DataScope,
    DbsCheck,
    Department,
    Division,
    Vacancy,
)

_CACHE_ATTRIBUTE = "_data_scope_division_ids"


def scope_division_ids(user) -> list[int] | None:
    """The division ids the user may see, or None for all of them (superusers and "all divisions" scopes).

    Read once per user object (so once per request: every request loads its user afresh), however many
    selectors a page calls.
    """
    if isinstance(user, AnonymousUser) or not user.is_active:
        return []
    if user.is_superuser:
        return None
    if not hasattr(user, _CACHE_ATTRIBUTE):
        scope = DataScope.objects.filter(user=user).prefetch_related("divisions").first()
        if scope is None:
            ids = []
        elif scope.all_divisions:
            ids = None
        else:
            ids = [division.pk for division in scope.divisions.all()]
        setattr(user, _CACHE_ATTRIBUTE, ids)
    return getattr(user, _CACHE_ATTRIBUTE)


def _filter(queryset: QuerySet, user, division_path: str) -> QuerySet:
    division_ids = scope_division_ids(user)
    if division_ids is None:
        return queryset
    return queryset.filter(Q(**{f"{division_path}__in": division_ids}))


def divisions_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    """The divisions in the user's data scope."""
    return _filter(Division.objects.all() if queryset is None else queryset, user, "pk")


def departments_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    """Departments of the divisions in the user's data scope."""
    return _filter(Department.objects.all() if queryset is None else queryset, user, "division_id")


def candidates_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    """Candidates with an application in the user's data scope; every candidate for a user who sees all divisions
    (one just added in the admin, with no application yet, included)."""
    queryset = Candidate.objects.all() if queryset is None else queryset
    if scope_division_ids(user) is None:
        return queryset
    return queryset.filter(pk__in=applications_visible_to(user).values("candidate_id"))


def vacancies_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    """Vacancies in the user's data scope."""
    return _filter(Vacancy.objects.all() if queryset is None else queryset, user, "division_id")


def applications_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    """Applications to vacancies in the user's data scope."""
    return _filter(Application.objects.all() if queryset is None else queryset, user, "vacancy__division_id")


def documents_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    """Candidate documents of applications in the user's data scope."""
    return _filter(
        ApplicationDocument.objects.all() if queryset is None else queryset, user, "application__vacancy__division_id"
    )


def dbs_checks_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    """DBS checks for applications in the user's data scope."""
    return _filter(DbsCheck.objects.all() if queryset is None else queryset, user, "application__vacancy__division_id")
