"""Filtered, paginated lists of the back-office: vacancies, applications and DBS checks, N+1-free and scoped."""

import datetime
import re
from dataclasses import dataclass

from django.db.models import Case, Count, Q, QuerySet, Value, When

from recruitment.models import ADVERTISED_STATUSES, Application, ApplicationStage, DbsCheck, DbsStage, Vacancy
from recruitment.selectors.applications import application_list
from recruitment.selectors.dashboard import AWAITING_DECISION_STAGES, OPEN_STATUSES, WAITING_DBS_STAGES
from recruitment.selectors.dbs import dbs_check_list
from recruitment.selectors.vacancies import vacancy_list

# Named groups of statuses and stages the list filters offer next to the single values.
VACANCY_STATUS_GROUPS = {"open": OPEN_STATUSES, "advertised": ADVERTISED_STATUSES}
APPLICATION_STAGE_GROUPS = {"awaiting_decision": AWAITING_DECISION_STAGES}
DBS_STAGE_GROUPS = {"waiting": WAITING_DBS_STAGES}


@dataclass(frozen=True)
class VacancyFilters:
    """What the recruiter filters the vacancy list by; empty values filter nothing."""

    q: str = ""
    status: str = ""
    division_id: int | None = None
    department_id: int | None = None
    closing_from: datetime.date | None = None
    closing_to: datetime.date | None = None
    mine: bool = False
    board_attention: bool = False


def _in_status(field: str, value: str, groups: dict[str, tuple[str, ...]]) -> Q:
    """`field` equal to one value, or in a named group of values."""
    if value in groups:
        return Q(**{f"{field}__in": groups[value]})
    return Q(**{field: value})


def vacancy_search(*, user, filters: VacancyFilters, board_attention_ids: QuerySet | None = None) -> QuerySet[Vacancy]:
    """Vacancies in scope matching the filters, newest first; search covers reference and both titles.

    `board_attention_ids` (vacancy ids whose board postings need attention, from the boards layer, which the page
    composes) is applied when the filters ask for those vacancies only.
    """
    queryset = vacancy_list(user=user)
    if filters.q:
        queryset = queryset.filter(
            Q(reference__icontains=filters.q)
            | Q(title__icontains=filters.q)
            | Q(title_for_candidates__icontains=filters.q)
        )
    if filters.status:
        queryset = queryset.filter(_in_status("status", filters.status, VACANCY_STATUS_GROUPS))
    if filters.division_id:
        queryset = queryset.filter(division_id=filters.division_id)
    if filters.department_id:
        queryset = queryset.filter(department_id=filters.department_id)
    if filters.closing_from:
        queryset = queryset.filter(closing_date__gte=filters.closing_from)
    if filters.closing_to:
        queryset = queryset.filter(closing_date__lte=filters.closing_to)
    if filters.mine:
        queryset = queryset.filter(recruiter=user)
    if filters.board_attention and board_attention_ids is not None:
        queryset = queryset.filter(pk__in=board_attention_ids)
    return queryset.order_by("-created_at", "-pk")


def application_search(*, user, stage: str = "", q: str = "") -> QuerySet[Application]:
    """Applications in scope, newest first, by stage (or stage group) and candidate name or email (as stored or
    normalised, so "xn--" and Unicode spellings of a domain both find it)."""
    queryset = application_list(user=user)
    if stage:
        queryset = queryset.filter(_in_status("stage", stage, APPLICATION_STAGE_GROUPS))
    if q:
        queryset = queryset.filter(
            Q(candidate__first_name__icontains=q)
            | Q(candidate__last_name__icontains=q)
            | Q(candidate__email__icontains=q)
            | Q(candidate__email_normalised__icontains=q.casefold())
            | Q(vacancy__reference__icontains=q)
        )
    return queryset.order_by("-submitted_at", "-pk")


def _pipeline_rows(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """What a pipeline row shows (the candidate, the documents), oldest first: the order a stage is paged in."""
    return queryset.select_related("candidate").prefetch_related("documents").order_by("submitted_at", "pk")


def pipeline_applications(*, vacancy: Vacancy, stage: str = "") -> QuerySet[Application]:
    """Applications to one vacancy (in one stage, if given) with their candidates and documents, oldest first."""
    queryset = Application.objects.filter(vacancy=vacancy)
    return _pipeline_rows(queryset.filter(stage=stage) if stage else queryset)


def pipeline_first_in_each_stage(*, vacancy: Vacancy, size: int) -> dict[str, list[Application]]:
    """The first `size` applications of every stage of one vacancy, oldest first, by stage, reading at most `size`
    entries of the `application_pipeline` index a stage however many applications the vacancy has: the ids by one
    LIMIT query a stage (9, each from the index alone), then those applications, then their documents.

    The one-query forms read every application of the vacancy (a row number per stage: 10 ms for 5,000 on SQLite)
    or of the table (PostgreSQL scans it for `id IN (...) OR id IN (...)`), and SQLite refuses a LIMIT inside a
    UNION.
    """
    ids = [
        pk
        for stage in ApplicationStage.values
        for pk in Application.objects.filter(vacancy=vacancy, stage=stage)
        .order_by("submitted_at", "pk")
        .values_list("pk", flat=True)[:size]
    ]
    grouped: dict[str, list[Application]] = {}
    for application in _pipeline_rows(Application.objects.filter(pk__in=ids)):
        grouped.setdefault(application.stage, []).append(application)
    return grouped


def stage_counts(queryset: QuerySet, field: str = "stage") -> dict[str, int]:
    """How many rows of `queryset` are in each stage (one grouped query)."""
    rows = queryset.order_by().values(field).annotate(n=Count("pk"))
    return {row[field]: row["n"] for row in rows}


# How soon a check needs someone here to act, most urgent first: a decision to record (clear, needs review), a
# certificate to read, an application to submit to the DBS, a candidate to chase; then the checks waiting on the DBS
# itself; ended checks last.
DBS_ACTION_ORDER = (
    DbsStage.NEEDS_REVIEW,
    DbsStage.CLEAR,
    DbsStage.CERTIFICATE_ISSUED,
    DbsStage.ID_VERIFIED,
    DbsStage.AWAITING_CANDIDATE,
    DbsStage.SUBMITTED,
    DbsStage.WITH_DBS,
    DbsStage.DECISION_RECORDED,
    DbsStage.CANCELLED,
)
DBS_ENDED_STAGES = (DbsStage.DECISION_RECORDED, DbsStage.CANCELLED)
DBS_SORTS = {
    "action": "Needs action first",
    "waiting": "Longest at its stage first",
    "recent": "Most recently moved first",
}
_CERTIFICATE_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015]+")


def _dbs_text_search(q: str) -> Q:
    """Every word in the candidate's name or email or the vacancy's reference or title; a whole 12-digit certificate
    number (as typed on the certificate, spaces or dashes allowed) matches its check. Only a whole number matches,
    so the search cannot be used to guess numbers digit by digit."""
    condition = Q()
    for word in q.split():
        condition &= (
            Q(application__candidate__first_name__icontains=word)
            | Q(application__candidate__last_name__icontains=word)
            | Q(application__candidate__email__icontains=word)
            | Q(application__vacancy__reference__icontains=word)
            | Q(application__vacancy__title__icontains=word)
        )
    digits = _CERTIFICATE_SEPARATORS.sub("", q)
    if re.fullmatch(r"[0-9]{12}", digits):
        condition |= Q(certificate_number=digits)
    return condition


def dbs_stage_total(counts: dict[str, int], stage: str) -> int:
    """How many checks the list by `stage` (one stage, a DBS_STAGE_GROUPS name, or "" for all) holds, from the count
    of each stage (`stage_counts`)."""
    if not stage:
        return sum(counts.values())
    return sum(counts.get(value, 0) for value in DBS_STAGE_GROUPS.get(stage, (stage,)))


def dbs_search(*, user, stage: str = "", q: str = "", sort: str = "action") -> QuerySet[DbsCheck]:
    """DBS checks in scope, by stage or stage group, matching the search, sorted by `sort` (a DBS_SORTS key):
    by default what needs action first (DBS_ACTION_ORDER), longest waiting first within a stage."""
    queryset = dbs_check_list(user=user).select_related("application__vacancy__division")
    if stage:
        queryset = queryset.filter(_in_status("stage", stage, DBS_STAGE_GROUPS))
    if q.strip():
        queryset = queryset.filter(_dbs_text_search(q.strip()))
    if sort == "recent":
        return queryset.order_by("-stage_changed_at", "-pk")
    if sort == "waiting":
        # Longest waiting first among the checks still under way; the ended ones (a decision recorded, cancelled)
        # after them, as they wait for nothing.
        ended = Case(When(stage__in=DBS_ENDED_STAGES, then=Value(1)), default=Value(0))
        return queryset.annotate(ended=ended).order_by("ended", "stage_changed_at", "pk")
    urgency = Case(*(When(stage=value, then=Value(rank)) for rank, value in enumerate(DBS_ACTION_ORDER)))
    return queryset.annotate(urgency=urgency).order_by("urgency", "stage_changed_at", "pk")
