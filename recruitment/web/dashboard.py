"""The dashboard and the cross-vacancy applications list its counts link to."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from boards.selectors import board_attention_count
from recruitment.models import ApplicationStage
from recruitment.selectors.backoffice import application_search
from recruitment.selectors.dashboard import closing_this_week, dashboard_counts
from recruitment.selectors.keyset import CURSOR_PARAMETER, keyset_page
from recruitment.web.access import staff_view

PAGE_SIZE = 25


def _link(name: str, **params: str) -> str:
    return f"{reverse(name)}?{urlencode(params)}"


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Counts of what needs attention, each linking to the list filtered the same way (the job boards' count, from
    the boards layer, links to the boards' own list).

    Every signed-in user lands here; each count shows only to users who may open the list it links to.
    """
    counts = dashboard_counts(user=request.user)
    start, end = closing_this_week()
    cards = [
        (
            "recruitment.view_vacancy",
            "My open vacancies",
            counts.my_open_vacancies,
            _link("vacancy-list", status="open", mine="on"),
        ),
        (
            "recruitment.view_application",
            "Applications waiting for a decision",
            counts.applications_awaiting_decision,
            _link("application-list", stage="awaiting_decision"),
        ),
        (
            "recruitment.view_vacancy",
            "Vacancies closing this week",
            counts.vacancies_closing_this_week,
            _link("vacancy-list", status="advertised", closing_from=start.isoformat(), closing_to=end.isoformat()),
        ),
        (
            "recruitment.view_dbscheck",
            "DBS checks waiting on someone",
            counts.dbs_checks_waiting,
            _link("dbs-list", stage="waiting"),
        ),
        (
            "recruitment.view_vacancy",
            "Job boards needing attention",
            # The boards layer's count, composed here: postings that failed (or whose account needs attention)
            # and events from boards that could not be processed.
            board_attention_count(user=request.user),
            reverse("boards:attention"),
        ),
    ]
    visible = [(label, count, href) for permission, label, count, href in cards if request.user.has_perm(permission)]
    return render(request, "web/dashboard.html", {"cards": visible})


STAGE_FILTERS = [("", "Any stage"), ("awaiting_decision", "Waiting for a decision"), *ApplicationStage.choices]


@staff_view("recruitment.view_application")
def application_list(request: HttpRequest) -> HttpResponse:
    """Applications across the vacancies in scope, by stage or stage group and candidate search, newest first,
    paged by keyset (`?cursor=`)."""
    stage = request.GET.get("stage", "")
    if stage not in dict(STAGE_FILTERS):
        stage = ""
    q = request.GET.get("q", "").strip()
    applications = application_search(user=request.user, stage=stage, q=q)
    page = keyset_page(applications, cursor=request.GET.get(CURSOR_PARAMETER), size=PAGE_SIZE)
    context = {"page_obj": page, "stage": stage, "q": q, "stage_filters": STAGE_FILTERS}
    template = "web/applications/list.html#results" if request.htmx else "web/applications/list.html"
    return render(request, template, context)
