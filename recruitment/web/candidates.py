"""The candidate page: details, every application in scope, documents and stage history."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from recruitment.selectors.candidates import candidate_applications
from recruitment.selectors.scope import candidates_visible_to
from recruitment.web.access import staff_view


@staff_view("recruitment.view_candidate")
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A candidate seen through the applications the user may see; without one in scope, 404."""
    candidate = get_object_or_404(candidates_visible_to(request.user), pk=pk)
    context = {
        "candidate": candidate,
        "applications": candidate_applications(user=request.user, candidate=candidate),
        "can_open_documents": request.user.has_perm("recruitment.view_applicationdocument"),
    }
    return render(request, "web/candidates/detail.html", context)
