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
from recruitment.web.access import posted, require_perm, staff_view
from recruitment.web.forms.base import apply_service_errors
from recruitment.web.forms.vacancies import END_WORDING, EndVacancyForm, VacancyFilterForm, VacancyForm

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
    """One vacancy: its details, the actions its status allows, its applications by stage, board postings and its
    history."""
    vacancy = get_object_or_404(vacancy_list(user=request.user).select_related("recruiter", "approved_by"), pk=pk)
    counts = stage_counts(vacancy.applications.all())
    stages = [(value, label, counts.get(value, 0)) for value, label in ApplicationStage.choices]
    actions = available_actions(vacancy, request.user)
    context = {
        "vacancy": vacancy,
        "stages": stages,
        "application_total": sum(counts.values()),
        "actions": actions,
        "approval_refusal": _approval_refusal(vacancy, request.user),
        "board_rows": boards_for_vacancy(vacancy=vacancy),
        "events": vacancy.events.select_related("actor").order_by("at", "pk"),
    }
    return render(request, "web/vacancies/detail.html", context)


def _approval_refusal(vacancy: Vacancy, user) -> str | None:
    """Why this approver may not approve the vacancy now (shown instead of the Approve button), or None."""
    if vacancy.status != VacancyStatus.AWAITING_APPROVAL or not user.has_perm(_APPROVE):
        return None
    return services.approval_refusal(vacancy, user)


def _form_page(request: HttpRequest, vacancy: Vacancy | None) -> tuple[VacancyForm, bool]:
    """The vacancy form for this request, and whether the person asked only to update the department list (the
    no-JavaScript "Update the department list" button): then it is shown again as typed, without errors."""
    form = VacancyForm(posted(request), instance=vacancy, user=request.user)
    refresh = request.method == "POST" and REFRESH_DEPARTMENTS in request.POST
    form.refresh_only = refresh
    return form, refresh


@staff_view("recruitment.add_vacancy")
def vacancy_create(request: HttpRequest) -> HttpResponse:
    """Create a draft vacancy through `vacancy_create`; errors appear next to their fields."""
    form, refresh = _form_page(request, None)
    if request.method == "POST" and not refresh and form.is_valid():
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
    form, refresh = _form_page(request, vacancy)
    if request.method == "POST" and not refresh and form.is_valid():
        try:
            services.vacancy_update(vacancy=vacancy, changes=form.service_arguments(), actor=request.user)
        except (ValidationError, DomainError) as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Vacancy {vacancy.reference} saved.")
            return redirect("vacancy-detail", pk=vacancy.pk)
    return render(request, "web/vacancies/form.html", {"form": form, "vacancy": vacancy})


@staff_view("recruitment.view_vacancy")
def vacancy_departments(request: HttpRequest) -> HttpResponse:
    """The department field again, narrowed to the chosen division (`?division=`; `?list=1` for the list's filter):
    what the division select fetches with htmx when it changes."""
    data = request.GET.copy()
    if data.get("list"):
        form = VacancyFilterForm(data, user=request.user)
        template = "web/vacancies/list.html#department"
    else:
        form = VacancyForm(data, user=request.user)
        template = "web/vacancies/form.html#department"
    form.refresh_only = True
    return render(request, template, {"form": form})


@dataclass(frozen=True)
class VacancyAction:
    """A lifecycle button: its label, the permission it needs, the statuses offering it (none: always), its service.

    `confirm` actions (close, cancel) end the vacancy: they have a page of their own that asks for confirmation and
    the reason, and their service takes the reason.
    """

    label: str
    permission: str
    statuses: tuple[str, ...]
    run: Callable[..., Vacancy]
    success: str
    confirm: bool = False


_CHANGE = "recruitment.change_vacancy"
_APPROVE = "recruitment.approve_vacancy"
REFRESH_DEPARTMENTS = "refresh-departments"
ACTIONS: dict[str, VacancyAction] = {
    "submit": VacancyAction(
        "Submit for approval",
        _CHANGE,
        (VacancyStatus.DRAFT,),
        lambda request, vacancy: services.vacancy_submit_for_approval(vacancy=vacancy, actor=request.user),
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
        lambda request, vacancy: services.vacancy_return_to_draft(vacancy=vacancy, actor=request.user),
        "Returned to draft.",
    ),
    "advertise-internal": VacancyAction(
        "Advertise internally",
        _CHANGE,
        (VacancyStatus.APPROVED,),
        lambda request, vacancy: services.vacancy_advertise(vacancy=vacancy, external=False, actor=request.user),
        "Advertised internally.",
    ),
    "advertise-external": VacancyAction(
        "Advertise externally",
        _CHANGE,
        (VacancyStatus.APPROVED, VacancyStatus.ADVERTISED_INTERNAL),
        lambda request, vacancy: services.vacancy_advertise(vacancy=vacancy, external=True, actor=request.user),
        "Advertised externally.",
    ),
    "close": VacancyAction(
        "Close",
        _CHANGE,
        ADVERTISED_STATUSES,
        lambda request, vacancy, reason: services.vacancy_close(vacancy=vacancy, actor=request.user, reason=reason),
        "Closed: no more applications. The reason is in the vacancy's history.",
        confirm=True,
    ),
    "cancel": VacancyAction(
        "Cancel vacancy",
        _CHANGE,
        (VacancyStatus.DRAFT, VacancyStatus.AWAITING_APPROVAL, VacancyStatus.APPROVED),
        lambda request, vacancy, reason: services.vacancy_cancel(vacancy=vacancy, actor=request.user, reason=reason),
        "Cancelled. The reason is in the vacancy's history.",
        confirm=True,
    ),
    "copy": VacancyAction(
        "Copy to a new draft",
        "recruitment.add_vacancy",
        (),
        lambda request, vacancy: services.vacancy_copy(vacancy=vacancy, recruiter=request.user),
        "Copied to a new draft.",
    ),
}


def available_actions(vacancy: Vacancy, user) -> list[tuple[str, VacancyAction]]:
    """(name, action) of the buttons the vacancy's status offers and the user may press; Approve is left out for
    a person the approval rule refuses (`approval_refusal`: the page says why instead)."""
    return [
        (name, action)
        for name, action in ACTIONS.items()
        if (not action.statuses or vacancy.status in action.statuses)
        and user.has_perm(action.permission)
        and not (name == "approve" and _approval_refusal(vacancy, user))
    ]


def _chosen_action(request: HttpRequest, action: str) -> VacancyAction:
    if action not in ACTIONS:
        raise Http404("No such action.")
    chosen = ACTIONS[action]
    require_perm(request, chosen.permission)
    return chosen


@require_POST
@staff_view("recruitment.view_vacancy")
def vacancy_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Run one lifecycle service on the vacancy; refusals by the domain come back as an error message. Closing and
    cancelling go through their confirmation page (`vacancy_end`)."""
    chosen = _chosen_action(request, action)
    vacancy = scoped_vacancy(request, pk)
    if chosen.confirm:
        return redirect("vacancy-end", pk=vacancy.pk, action=action)
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


@staff_view("recruitment.view_vacancy")
def vacancy_end(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Close or cancel a vacancy after confirmation: the page says what it does and asks for the reason, which the
    service records in the vacancy's history."""
    chosen = _chosen_action(request, action)
    if not chosen.confirm:
        raise Http404("This action needs no confirmation.")
    vacancy = scoped_vacancy(request, pk)
    if vacancy.status not in chosen.statuses:
        past = END_WORDING[action]["past"]
        messages.error(request, f"A {vacancy.get_status_display().lower()} vacancy cannot be {past}.")
        return redirect("vacancy-detail", pk=vacancy.pk)
    form = EndVacancyForm(posted(request), action=action)
    if request.method == "POST" and form.is_valid():
        try:
            result = chosen.run(request, vacancy, form.cleaned_data["reason"])
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("vacancy-detail", pk=vacancy.pk)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{result.reference}: {chosen.success}")
            return redirect("vacancy-detail", pk=result.pk)
    return render(request, "web/vacancies/end.html", {"vacancy": vacancy, "form": form, "action": action})
