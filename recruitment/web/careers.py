"""The public careers site: the advertised jobs and the apply page, recording where the candidate came from."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from recruitment.errors import DomainError
from recruitment.held_uploads import held_uploads_sweep
from recruitment.models import Application, Vacancy, VacancyStatus
from recruitment.selectors.organisation import organisation_get
from recruitment.selectors.vacancies import public_job_list
from recruitment.services.applications import application_apply
from recruitment.validators import normalise_email
from recruitment.web.access import posted
from recruitment.web.forms.base import apply_service_errors
from recruitment.web.forms.careers import ApplyForm, application_source

PAGE_SIZE = 20
DUPLICATE_MESSAGE = "You have already applied for this job with this email address."


def _render(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    """A careers page: every one shows the employer's name in its header (the organisation's settings)."""
    organisation = organisation_get()
    context = {"organisation": organisation, "service_name": f"Careers at {organisation.name}", **context}
    return render(request, template, context, status=status)


def careers_list(request: HttpRequest) -> HttpResponse:
    """Jobs open to the public (advertised externally, closing today or later), soonest closing first."""
    jobs = public_job_list()
    page = Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(request, "careers/list.html", {"page_obj": page})


def careers_privacy(request: HttpRequest) -> HttpResponse:
    """The privacy notice candidates accept when they apply, as the organisation's settings hold it."""
    return _render(request, "careers/privacy.html", {})


def _public_vacancy(reference: str) -> Vacancy:
    """A vacancy that is or was advertised to the public; anything else (drafts, internal adverts) is 404."""
    vacancy = (
        Vacancy.objects.select_related("location", "employment_type", "department", "salary_band")
        .filter(reference=reference)
        .first()
    )
    was_public = vacancy is not None and (
        vacancy.status == VacancyStatus.ADVERTISED_EXTERNAL
        or (vacancy.status == VacancyStatus.CLOSED and vacancy.advertised_at is not None)
    )
    if not was_public:
        raise Http404("No such job.")
    return vacancy


def _is_open(vacancy: Vacancy) -> bool:
    """Open to the public: the rule of `Vacancy.objects.open_to_the_public()`, for the vacancy already loaded."""
    return vacancy.status == VacancyStatus.ADVERTISED_EXTERNAL and vacancy.is_open_for_applications


def careers_apply(request: HttpRequest, reference: str) -> HttpResponse:
    """The advert and the apply form; `?source=<board>` is kept in a hidden field and recorded on the application."""
    vacancy = _public_vacancy(reference)
    if not _is_open(vacancy):
        return _render(request, "careers/closed.html", {"vacancy": vacancy}, status=410)
    form = ApplyForm(
        posted(request),
        request.FILES if request.method == "POST" else None,
        initial={"source": application_source(request.GET.get("source"))},
    )
    if request.method == "POST":
        held_uploads_sweep()
        if form.is_valid():
            try:
                _submit(form, vacancy)
            except (ValidationError, DomainError) as error:
                if _already_applied(form.cleaned_data["email"], vacancy):
                    form.add_error("email", DUPLICATE_MESSAGE)
                else:
                    apply_service_errors(form, error)
            else:
                form.release_held_cv()
                return redirect("careers-applied", reference=vacancy.reference)
        form.keep_cv()
    return _render(request, "careers/apply.html", {"vacancy": vacancy, "form": form})


def _submit(form: ApplyForm, vacancy: Vacancy) -> Application:
    """Apply through the service that matches or creates the candidate (all or nothing)."""
    data = form.cleaned_data
    return application_apply(
        vacancy=vacancy,
        email=data["email"],
        first_name=data["first_name"],
        last_name=data["last_name"],
        candidate_details={
            "phone": data["phone"],
            "postcode": data["postcode"],
            "registration_body": data["registration_body"],
            "registration_number": data["registration_number"],
        },
        source=data["source"],
        cover_letter=data["cover_letter"],
        documents=[("cv", data["cv"])],
        equal_opportunities=form.equal_opportunities(),
    )


def _already_applied(email: str, vacancy: Vacancy) -> bool:
    """Whether this person (matched by normalised email, as the service matches them) applied for the job."""
    try:
        key = normalise_email(email)
    except ValidationError:
        return False
    return Application.objects.filter(candidate__email_normalised=key, vacancy=vacancy).exists()


def careers_applied(request: HttpRequest, reference: str) -> HttpResponse:
    """The confirmation page after applying."""
    return _render(request, "careers/applied.html", {"vacancy": _public_vacancy(reference)})
