"""What the fake boards that take applications share (JobSphere, NHSJob): the candidate's apply form and page, the
form that changes an application's status, the address of the CV a board serves for an application, the views that
serve those CVs, and the lists their pages show."""

from collections.abc import Callable

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import get_valid_filename
from django.views.decorators.http import require_POST

from boards.sandbox.files import sample_cv_pdf
from boards.sandbox.models import SandboxApplication, SandboxBoardSettings, SandboxDelivery, SandboxJob
from boards.sandbox.pages import employer_polls
from recruitment.uploads import MAX_DOCUMENT_BYTES
from recruitment.web.forms.base import NhsForm


class ApplyForm(NhsForm):
    """What a candidate types on a fake board; without a CV, the board's sample CV is sent."""

    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    email = forms.EmailField()
    phone = forms.CharField(max_length=30, required=False)
    cover_letter = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False)
    cv = forms.FileField(required=False)

    def __init__(self, *args, board_name: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.relabel("cv", label="CV", help_text=f"Without one, {board_name}'s sample CV is sent.")

    def clean_cv(self):
        cv = self.cleaned_data.get("cv")
        if cv and cv.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError("The CV must be 5 MB or smaller.")
        return cv


def resume_url(application: SandboxApplication, *, given: str = "") -> str:
    """Where the board serves the application's CV: the one uploaded, else the address given, else its sample CV.
    On this site (SITE_URL), which the demo account's base URL is on too."""
    board = application.board
    if application.cv:
        name = get_valid_filename(application.cv_name) or "cv"
        path = reverse(f"sandbox:{board}-cv", args=[application.public_id, name])
    elif given:
        return given
    else:
        path = reverse(f"sandbox:{board}-sample-cv")
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def cv_views(board: str, api: Callable, not_found: Callable[[], HttpResponse]) -> tuple[Callable, Callable]:
    """The board's two file views, behind its API decorator (its credentials and faults): the sample CV, and the CV
    a candidate uploaded (served under its file name)."""

    @api
    def sample_cv(request: HttpRequest) -> HttpResponse:
        return HttpResponse(sample_cv_pdf(), content_type="application/pdf")

    @api
    def application_cv(request: HttpRequest, application_id: str, name: str) -> HttpResponse:
        found = SandboxApplication.objects.filter(board=board, public_id=application_id).exclude(cv=b"").first()
        if found is None:
            return not_found()
        return HttpResponse(bytes(found.cv), content_type="application/octet-stream")

    return sample_cv, application_cv


def page_lists(board: str) -> dict:
    """What the board's page lists: its jobs, the latest applications and the webhooks it sent."""
    return {
        "jobs": SandboxJob.objects.filter(board=board),
        "applications": SandboxApplication.objects.filter(board=board).select_related("job")[:50],
        "deliveries": SandboxDelivery.objects.filter(board=board)[:20],
    }


Apply = Callable[..., SandboxApplication]
"""A fake board's own way to make an application: (job, candidate details, cover letter, cv=bytes, cv_name=str)."""


def apply_view(*, board: str, name: str, apply: Apply, how_told: str) -> Callable:
    """The candidate's apply page for an open job on a fake board: the form, then `apply`, then back to its page."""

    def apply_page(request: HttpRequest, job_id: str) -> HttpResponse:
        job = get_object_or_404(SandboxJob, board=board, public_id=job_id, status="open")
        form = ApplyForm(request.POST or None, request.FILES or None, board_name=name)
        if request.method == "POST" and form.is_valid():
            data, cv = form.cleaned_data, form.cleaned_data.get("cv")
            details = {field: data[field] for field in ("first_name", "last_name", "email", "phone")}
            application = apply(
                job, details, data["cover_letter"], cv=cv.read() if cv else b"", cv_name=cv.name if cv else ""
            )
            if SandboxBoardSettings.for_board(board).webhooks_enabled:
                told = f"{name} {how_told}"
            elif employer_polls(board):
                told = f"{name}'s webhooks are switched off, so the employer finds it by polling"
            else:
                told = f"{name}'s webhooks are switched off and the employer does not poll {name}: it is not told"
            messages.success(request, f"Application {application.public_id} sent: {told}.")
            return redirect(f"sandbox:{board}")
        context = {"job": job, "form": form, "board_name": name, "board": board}
        return render(request, "sandbox/apply.html", {**context, "employer_polls": employer_polls(board)})

    return apply_page


def status_view(*, board: str, statuses: tuple[tuple[str, str], ...], notify: Callable[[SandboxApplication], None]):
    """The form on a fake board's page that changes an application's status (e.g. the candidate withdraws);
    `notify` queues the board's webhook about it, in the same transaction."""

    @require_POST
    def application_status(request: HttpRequest, application_id: str) -> HttpResponse:
        application = get_object_or_404(SandboxApplication, board=board, public_id=application_id)
        status = request.POST.get("status", "")
        if status not in dict(statuses):
            messages.error(request, "Choose one of the statuses listed.")
            return redirect(f"sandbox:{board}")
        with transaction.atomic():
            application.status = status
            application.save(update_fields=["status", "updated_at"])
            notify(application)
        messages.success(request, f"{application.public_id} is now {status}.")
        return redirect(f"sandbox:{board}")

    return application_status
