"""The applications pipeline of one vacancy: a table by stage, moving many applications at once, rejecting."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from recruitment.errors import DomainError
from recruitment.models import Application, ApplicationStage, DbsCheck, Vacancy
from recruitment.selectors.backoffice import pipeline_applications, pipeline_first_in_each_stage, stage_counts
from recruitment.selectors.keyset import CURSOR_PARAMETER, KeysetPage, keyset_page
from recruitment.services.applications import application_move, application_reject
from recruitment.web.access import require_perm, staff_view
from recruitment.web.forms.pipeline import MoveApplicationsForm
from recruitment.web.vacancies import scoped_vacancy

# Applications shown per stage. The page of every stage shows the oldest few of each (at most 90 rows however big the
# vacancy: a row costs about 0.2 ms of template rendering, and 225 rows put a 5,000-application pipeline near its
# 200 ms budget on a busy machine); "Show more" opens that stage alone, paged by keyset, 25 at a time.
OVERVIEW_SIZE = 10
STAGE_SIZE = 25


@dataclass
class MoveOutcome:
    """What a bulk move did: the applications moved, for each refused one why, and the DBS checks the move opened
    (moving to pre-employment checks opens one when the vacancy needs it: the page says so and links to it)."""

    moved: list[Application] = field(default_factory=list)
    refused: list[tuple[Application, str]] = field(default_factory=list)
    dbs_opened: list[tuple[Application, DbsCheck]] = field(default_factory=list)


@dataclass(frozen=True)
class StageSection:
    """One stage of the pipeline as the page shows it: its count (every application in it), the applications shown
    and, on the page of all stages, whether the stage holds more than those ("Show more" opens the stage alone from its
    start, so its Previous and Next pages never repeat a row)."""

    value: str
    label: str
    count: int
    applications: list[Application]
    more: bool = False


def _shown_stage(request: HttpRequest) -> str:
    """The stage the page shows alone (`?stage=`), or "" for every stage."""
    stage = request.GET.get("stage", "")
    return stage if stage in ApplicationStage.values else ""


def _sections(vacancy: Vacancy, stage: str, cursor: str | None) -> tuple[list[StageSection], KeysetPage | None]:
    """The stage sections and, for one stage shown alone, its keyset page (`STAGE_SIZE` at a time).

    Every stage: the first `OVERVIEW_SIZE` of each, and whether there are more. The counts come from
    one grouped query and the applications from a fixed number of queries, whatever the vacancy's size.
    """
    counts = stage_counts(Application.objects.filter(vacancy=vacancy))
    if stage:
        page = keyset_page(
            pipeline_applications(vacancy=vacancy, stage=stage), cursor=cursor, size=STAGE_SIZE, count=False
        )
        label = ApplicationStage(stage).label
        return [StageSection(stage, label, counts.get(stage, 0), page.object_list)], page
    first = pipeline_first_in_each_stage(vacancy=vacancy, size=OVERVIEW_SIZE)
    sections = []
    for value, label in ApplicationStage.choices:
        shown = first.get(value, [])
        sections.append(StageSection(value, label, counts.get(value, 0), shown, counts.get(value, 0) > len(shown)))
    return sections, None


def _view_query(request: HttpRequest) -> str:
    """The pipeline view's own query string (its stage and cursor), "?..." or "" for the page of every stage."""
    query = {name: request.GET[name] for name in ("stage", CURSOR_PARAMETER) if request.GET.get(name)}
    return f"?{urlencode(query)}" if query else ""


def _context(request: HttpRequest, vacancy: Vacancy, form: MoveApplicationsForm, outcome: MoveOutcome | None) -> dict:
    selected = {str(pk) for pk in form.data.getlist("applications")} if form.is_bound else set()
    stage = _shown_stage(request)
    sections, page = _sections(vacancy, stage, request.GET.get(CURSOR_PARAMETER))
    return {
        "vacancy": vacancy,
        "form": form,
        "stage": stage,
        "sections": sections,
        "page_obj": page,
        "view_query": _view_query(request),
        "selected": selected,
        "outcome": outcome,
        "can_move": request.user.has_perm("recruitment.change_application"),
        "can_open_documents": request.user.has_perm("recruitment.view_applicationdocument"),
    }


@staff_view("recruitment.view_application")
def pipeline(request: HttpRequest, pk: int) -> HttpResponse:
    """The vacancy's applications in tables by stage, with the move form: the first of each stage, or one stage
    (`?stage=`) paged by keyset."""
    vacancy = scoped_vacancy(request, pk)
    form = MoveApplicationsForm(vacancy=vacancy)
    return render(request, "web/pipeline.html", _context(request, vacancy, form, None))


def _move_one(request: HttpRequest, application: Application, to_stage: str, note: str) -> str | None:
    """Move (or reject) one application through its service; the refusal message, or None when it moved."""
    try:
        if to_stage == ApplicationStage.REJECTED:
            application_reject(application=application, actor=request.user, reason=note)
        else:
            application_move(application=application, to_stage=to_stage, actor=request.user, note=note)
    except DomainError as error:
        return error.message
    except ValidationError as error:
        return " ".join(error.messages)
    return None


@require_POST
@staff_view("recruitment.view_application")
def pipeline_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the selected applications; each is moved on its own, refused transitions are listed, not fatal.

    htmx requests get the pipeline fragment back; others are redirected (or shown the form errors).
    """
    require_perm(request, "recruitment.change_application")
    vacancy = scoped_vacancy(request, pk)
    form = MoveApplicationsForm(request.POST, vacancy=vacancy)
    outcome = None
    if form.is_valid():
        outcome = MoveOutcome()
        to_stage, note = form.cleaned_data["to_stage"], form.cleaned_data["note"].strip()
        for application in form.cleaned_data["applications"]:
            refusal = _move_one(request, application, to_stage, note)
            if refusal is None:
                outcome.moved.append(application)
            else:
                outcome.refused.append((application, refusal))
        if to_stage == ApplicationStage.PRE_EMPLOYMENT_CHECKS and outcome.moved:
            # Pre-employment checks is entered once (from offer), so a check found now was opened by this move.
            opened = DbsCheck.objects.filter(application__in=outcome.moved).select_related("application__candidate")
            outcome.dbs_opened = [(check.application, check) for check in opened]
        if not request.htmx:
            _outcome_messages(request, outcome, to_stage)
            # Back to the view the move was made from (its stage and cursor ride on the form's URL).
            return redirect(reverse("pipeline", args=[vacancy.pk]) + _view_query(request))
        form = MoveApplicationsForm(vacancy=vacancy)
    template = "web/pipeline.html#pipeline" if request.htmx else "web/pipeline.html"
    return render(request, template, _context(request, vacancy, form, outcome))


def _outcome_messages(request: HttpRequest, outcome: MoveOutcome, to_stage: str) -> None:
    """Flash the outcome of a move for the page the browser is redirected to."""
    label = ApplicationStage(to_stage).label
    if outcome.moved:
        moved = ngettext("application", "applications", len(outcome.moved))
        messages.success(request, f"Moved {len(outcome.moved)} {moved} to {label}.")
    for application, check in outcome.dbs_opened:
        messages.success(
            request,
            format_html(
                'A DBS check was opened for {}: <a href="{}">open the DBS check</a>.',
                application.candidate.full_name,
                reverse("dbs-detail", args=[check.pk]),
            ),
        )
    for application, reason in outcome.refused:
        messages.error(request, f"{application.candidate.full_name}: {reason}")
