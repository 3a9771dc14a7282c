"""Read queries for vacancies."""

from django.db.models import QuerySet

from recruitment.models import ADVERTISED_STATUSES, Vacancy
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


def job_list(*, user) -> QuerySet[Vacancy]:
    """Advertised vacancies (jobs) the user may see, soonest closing first."""
    return (
        vacancies_visible_to(user)
        .filter(status__in=ADVERTISED_STATUSES)
        .select_related(*_RELATED)
        .order_by("closing_date", "pk")
    )


def public_job_list() -> QuerySet[Vacancy]:
    """Vacancies open to the public: advertised externally, as the careers site lists them."""
    return Vacancy.objects.filter(status="advertised_external").select_related(*_RELATED).order_by("closing_date", "pk")
