"""What the fake boards that take applications share (JobSphere, NHSJob): the candidate's apply form, the address of
the CV a board serves for an application, the views that serve those CVs, and the lists their pages show."""

from collections.abc import Callable

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.text import get_valid_filename

from boards.sandbox.files import sample_cv_pdf
from boards.sandbox.models import SandboxApplication, SandboxDelivery, SandboxJob
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
        self.fields["cv"].label = f"CV (optional: without one, {board_name}'s sample CV is sent)"

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
