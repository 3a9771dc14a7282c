"""Read queries for vacancies."""

import functools

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
    return _open_jobs(user, Vacancy.objects.all()).select_related(*_RELATED)


def _open_jobs(user, queryset: QuerySet) -> QuerySet:
    """The partner API's rule for jobs, on `queryset` (model objects or rows): open for applications, in the user's
    scope, soonest closing first."""
    return vacancies_visible_to(user, queryset.open_for_applications()).order_by("closing_date", "pk")


# The columns of a job row (`job_rows`): the vacancy's own, then its reference data's by their paths.
JOB_ROW_FIELDS = (
    "reference",
    "title_for_candidates",
    "status",
    "division__code",
    "division__name",
    "department__code",
    "department__name",
    "location__code",
    "location__name",
    "location__town",
    "location__postcode",
    "location__region__code",
    "job_category__code",
    "job_category__name",
    "employment_type__code",
    "employment_type__name",
    "job_level__code",
    "job_level__name",
    "salary_type",
    "salary_min",
    "salary_max",
    "salary_period",
    "salary_band__code",
    "working_patterns",
    "hours_per_week",
    "contract_duration_length",
    "contract_duration_unit",
    "closing_date",
    "attention_grabber",
    "advert_html",
    "dbs_level",
    "dbs_workforce",
    "advertised_at",
)


@functools.cache
def _job_rows_template() -> QuerySet[dict]:
    """Every vacancy as a job row: the 33 column paths are resolved into joins once per process (as
    `recruitment.selectors.applications` does for application rows); never evaluated itself, every use filters it
    (a copy)."""
    return Vacancy.objects.values(*JOB_ROW_FIELDS)


def job_rows(*, user) -> QuerySet[dict]:
    """`job_list` as dict rows (JOB_ROW_FIELDS; None for a missing job level or salary band): the partner API's job
    list, without model objects."""
    return _open_jobs(user, _job_rows_template())


def public_job_list() -> QuerySet[Vacancy]:
    """Jobs open to the public (open for applications and advertised externally), as the careers site lists them."""
    return Vacancy.objects.open_to_the_public().select_related(*_RELATED).order_by("closing_date", "pk")
