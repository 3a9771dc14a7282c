"""Read queries for vacancies."""

from django.db.models import QuerySet

from recruitment.models import Vacancy
from recruitment.selectors.scope import vacancies_visible_to

_RELATED = (
    "division",
    "department",
    "location__region",
    "job_category",
    "employment_type",
    "salary_band",
    "job_level",
    "school_location",
)


def vacancy_list(*, user) -> QuerySet[Vacancy]:
    """Every vacancy the user may see, with its reference data joined in one query."""
    return vacancies_visible_to(user).select_related(*_RELATED, "recruiter")


def vacancy_in_scope(*, user, pk: int) -> bool:
    """Whether the vacancy exists and is in the user's data scope: one EXISTS query (after the scope's own, read
    once per request), for pages that need the check and not the vacancy."""
    return vacancies_visible_to(user).filter(pk=pk).exists()


def job_list(*, user) -> QuerySet[Vacancy]:
    """Jobs open for applications (`Vacancy.objects.open_for_applications()`) the user may see, soonest closing
    first: the partner API's jobs."""
    return (
        vacancies_visible_to(user, Vacancy.objects.open_for_applications())
        .select_related(*_RELATED)
        .order_by("closing_date", "pk")
    )


def public_job_list() -> QuerySet[Vacancy]:
    """Jobs open to the public (open for applications and advertised externally), as the careers site lists them."""
    return Vacancy.objects.open_to_the_public().select_related(*_RELATED).order_by("closing_date", "pk")
