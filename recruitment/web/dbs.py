"""DBS checks: the list by stage and the page that advances one check."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from recruitment.errors import DomainError
from recruitment.models import DbsStage, DbsViewChannel
from recruitment.privacy.viewlog import dbs_views_record
from recruitment.selectors.backoffice import dbs_search, dbs_stage_total, stage_counts
from recruitment.selectors.dbs import dbs_check_list
from recruitment.selectors.keyset import CURSOR_PARAMETER, keyset_page
from recruitment.services.dbs import dbs_check_advance
from recruitment.web.access import posted, require_perm, staff_view
from recruitment.web.forms.base import apply_service_errors
from recruitment.web.forms.dbs import AdvanceDbsCheckForm, DbsFilterForm

PAGE_SIZE = 25
STAGE_FILTERS = [("", "All"), ("waiting", "Waiting on someone"), *DbsStage.choices]


@staff_view("recruitment.view_dbscheck")
def dbs_list(request: HttpRequest) -> HttpResponse:
    """DBS checks by stage, with a count per stage; searched by candidate, vacancy or certificate number; what
    needs action first (or another sort); paged by keyset (`?cursor=`) in each sort order."""
    stage = request.GET.get("stage", "")
    if stage not in dict(STAGE_FILTERS):
        stage = ""
    form = DbsFilterForm(request.GET)
    q, sort = form.search()
    counts = stage_counts(dbs_check_list(user=request.user))
    tabs = [(value, label, counts.get(value, 0)) for value, label in DbsStage.choices]
    checks = dbs_search(user=request.user, stage=stage, q=q, sort=sort)
    # Without a search the list's size is known from the counts by stage: not counted again.
    total = None if q else dbs_stage_total(counts, stage)
    page = keyset_page(checks, cursor=request.GET.get(CURSOR_PARAMETER), size=PAGE_SIZE, known_count=total)
    context = {"page_obj": page, "stage": stage, "tabs": tabs, "stage_filters": STAGE_FILTERS, "form": form}
    template = "web/dbs/list.html#results" if request.htmx else "web/dbs/list.html"
    return render(request, template, context)


@staff_view("recruitment.view_dbscheck")
def dbs_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One check: what the vacancy requires, its log, and the form to advance it (for permitted users). Every
    display is written to the DBS viewer log."""
    check = get_object_or_404(
        dbs_check_list(user=request.user).select_related("application__vacancy__division", "decision_by"), pk=pk
    )
    form = AdvanceDbsCheckForm(posted(request), check=check)
    if request.method == "POST":
        require_perm(request, "recruitment.change_dbscheck")
        if form.is_valid():
            data = form.cleaned_data
            try:
                dbs_check_advance(
                    check=check,
                    to_stage=data["to_stage"],
                    actor=request.user,
                    certificate_number=data["certificate_number"] or None,
                    certificate_issue_date=data["certificate_issue_date"],
                    decision=data["decision"] or None,
                    note=data["note"],
                )
            except (ValidationError, DomainError) as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, f"DBS check moved to {DbsStage(data['to_stage']).label}.")
                return redirect("dbs-detail", pk=check.pk)
    context = {
        "check": check,
        "form": form,
        "events": check.events.select_related("actor").order_by("at", "pk"),
        "can_advance": request.user.has_perm("recruitment.change_dbscheck") and bool(form.fields["to_stage"].choices),
    }
    dbs_views_record(check_ids=[check.pk], viewer=request.user, channel=DbsViewChannel.BACKOFFICE)
    return render(request, "web/dbs/detail.html", context)
