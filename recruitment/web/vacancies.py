"""Vacancy pages: the filtered list, detail, create, edit and the lifecycle buttons."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from boards.selectors import boards_for_vacancy, postings_needing_attention
from recruitment.errors import DomainError
from recruitment.models import ADVERTISED_STATUSES, ApplicationStage, Vacancy, VacancyStatus
from recruitment.selectors.backoffice import stage_counts, vacancy_search
from recruitment.selectors.vacancies import vacancy_list
from recruitment.services import vacancies as services
from recruitment.web.access import require_perm, staff_view
from recruitment.web.forms.base import apply_service_errors
from recruitment.web.forms.vacancies import VacancyFilterForm, VacancyForm

PAGE_SIZE = 25


def scoped_vacancy(request: HttpRequest, pk: int) -> Vacancy:
    """The vacancy if it is in the user's data scope, else 404 (as if it did not exist)."""
    return get_object_or_404(vacancy_list(user=request.user), pk=pk)


@staff_view("recruitment.view_vacancy")
def vacancy_list_view(request: HttpRequest) -> HttpResponse:
    """Vacancies with search, filters and pagination; htmx requests get just the results."""
    form = VacancyFilterForm(request.GET, user=request.user)
    filters = form.filters()
    # The boards' part of the search is composed here, so the vacancy selectors need not know the boards.
    needing_attention = postings_needing_attention(user=request.user).values("vacancy_id")
    queryset = vacancy_search(user=request.user, filters=filters, board_attention_ids=needing_attention)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page_obj": page}
    template = "web/vacancies/list.html#results" if request.htmx else "web/vacancies/list.html"
    return render(request, template, context)


@staff_view("recruitment.view_vacancy")
def vacancy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One vacancy: its details, the actions its status allows, its applications by stage and board postings."""
    vacancy = scoped_vacancy(request, pk)
    counts = stage_counts(vacancy.applications.all())
    stages = [(value, label, counts.get(value, 0)) for value, label in ApplicationStage.choices]
    context = {
        "vacancy": vacancy,
        "stages": stages,
        "application_total": sum(counts.values()),
        "actions": available_actions(vacancy, request.user),
        "board_rows": boards_for_vacancy(vacancy=vacancy),
    }
    return render(request, "web/vacancies/detail.html", context)


@staff_view("recruitment.add_vacancy")
def vacancy_create(request: HttpRequest) -> HttpResponse:
    """Create a draft vacancy through `vacancy_create`; errors appear next to their fields."""
    form = VacancyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        arguments["about_organisation"] = arguments["about_organisation"] or None
        try:
            vacancy = services.vacancy_create(recruiter=request.user, **arguments)
        except (ValidationError, DomainError) as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Vacancy {vacancy.reference} created as a draft.")
            return redirect("vacancy-detail", pk=vacancy.pk)
    return render(request, "web/vacancies/form.html", {"form": form, "vacancy": None})


@staff_view("recruitment.change_vacancy")
def vacancy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a vacancy through `vacancy_update` (closed and cancelled vacancies refuse)."""
    vacancy = scoped_vacancy(request, pk)
    form = VacancyForm(request.POST or None, instance=vacancy, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.vacancy_update(vacancy=vacancy, changes=form.service_arguments())
        except (ValidationError, DomainError) as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Vacancy {vacancy.reference} saved.")
            return redirect("vacancy-detail", pk=vacancy.pk)
    return render(request, "web/vacancies/form.html", {"form": form, "vacancy": vacancy})


@dataclass(frozen=True)
class VacancyAction:
    """A lifecycle button: its label, the permission it needs, the statuses offering it (none: always), its service."""

    label: str
    permission: str
    statuses: tuple[str, ...]
    run: Callable[[HttpRequest, Vacancy], Vacancy]
    success: str


_CHANGE = "recruitment.change_vacancy"
_APPROVE = "recruitment.approve_vacancy"
ACTIONS: dict[str, VacancyAction] = {
    "submit": VacancyAction(
        "Submit for approval",
        _CHANGE,
        (VacancyStatus.DRAFT,),
        lambda request, vacancy: services.vacancy_submit_for_approval(vacancy=vacancy),
        "Submitted for approval.",
    ),
    "approve": VacancyAction(
        "Approve",
        _APPROVE,
        (VacancyStatus.AWAITING_APPROVAL,),
        lambda request, vacancy: services.vacancy_approve(vacancy=vacancy, approver=request.user),
        "Approved.",
    ),
    "return-to-draft": VacancyAction(
        "Return to draft",
        _APPROVE,
        (VacancyStatus.AWAITING_APPROVAL,),
        lambda request, vacancy: services.vacancy_return_to_draft(vacancy=vacancy),
        "Returned to draft.",
    ),
    "advertise-internal": VacancyAction(
        "Advertise internally",
        _CHANGE,
        (VacancyStatus.APPROVED,),
        lambda request, vacancy: services.vacancy_advertise(vacancy=vacancy, external=False),
        "Advertised internally.",
    ),
    "advertise-external": VacancyAction(
        "Advertise externally",
        _CHANGE,
        (VacancyStatus.APPROVED, VacancyStatus.ADVERTISED_INTERNAL),
        lambda request, vacancy: services.vacancy_advertise(vacancy=vacancy, external=True),
        "Advertised externally.",
    ),
    "close": VacancyAction(
        "Close",
        _CHANGE,
        ADVERTISED_STATUSES,
        lambda request, vacancy: services.vacancy_close(vacancy=vacancy),
        "Closed: no more applications.",
    ),
    "cancel": VacancyAction(
        "Cancel vacancy",
        _CHANGE,
        (VacancyStatus.DRAFT, VacancyStatus.AWAITING_APPROVAL, VacancyStatus.APPROVED),
        lambda request, vacancy: services.vacancy_cancel(vacancy=vacancy),
        "Cancelled.",
    ),
    "copy": VacancyAction(
        "Copy to a new draft",
        "recruitment.add_vacancy",
        (),
        lambda request, vacancy: services.vacancy_copy(vacancy=vacancy, recruiter=request.user),
        "Copied to a new draft.",
    ),
}


def available_actions(vacancy: Vacancy, user) -> list[tuple[str, str]]:
    """(action, label) of the buttons the vacancy's status offers and the user may press."""
    return [
        (name, action.label)
        for name, action in ACTIONS.items()
        if (not action.statuses or vacancy.status in action.statuses) and user.has_perm(action.permission)
    ]


@require_POST
@staff_view("recruitment.view_vacancy")
def vacancy_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Run one lifecycle service on the vacancy; refusals by the domain come back as an error message."""
    if action not in ACTIONS:
        raise Http404("No such action.")
    chosen = ACTIONS[action]
    require_perm(request, chosen.permission)
    vacancy = scoped_vacancy(request, pk)
    try:
        result = chosen.run(request, vacancy)
    except DomainError as error:
        messages.error(request, error.message)
    except ValidationError as error:
        messages.error(request, f"{chosen.label}: " + " ".join(error.messages))
    else:
        messages.success(request, f"{result.reference}: {chosen.success}")
        return redirect("vacancy-detail", pk=result.pk)
    return redirect("vacancy-detail", pk=vacancy.pk)
