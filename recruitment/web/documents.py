"""Serving candidate documents to permitted users only (the back-office route; the API shares the response)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from recruitment.models import ApplicationDocument
from recruitment.selectors.scope import documents_visible_to


def document_attachment(document: ApplicationDocument) -> FileResponse:
    """The stored file as a download under its checked name and type, never sniffed, never cached."""
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing from storage.") from exc
    # Text documents are stored as UTF-8 (recruitment.uploads re-encodes them), so say so.
    content_type = f"{document.content_type}; charset=utf-8" if document.content_type == "text/plain" else None
    response = FileResponse(
        handle, as_attachment=True, filename=document.original_name, content_type=content_type or document.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@login_required
def document_download(request, pk: int) -> FileResponse:
    """Send a CV or cover letter as an attachment, if the user may view documents and the application is in scope.

    Outside the user's data scope the document answers 404, as if it did not exist.
    """
    document = get_object_or_404(documents_visible_to(request.user), pk=pk)
    if not request.user.has_perm("recruitment.view_applicationdocument"):
        raise PermissionDenied
    return document_attachment(document)
