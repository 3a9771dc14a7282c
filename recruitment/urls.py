"""Top-level URLs."""

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path

from recruitment.web.documents import document_download


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says: the NHS.UK frontend's icon (its static URL is looked up
    per request, as the production manifest only exists after collectstatic)."""
    return redirect(static("nhsuk/assets/images/favicon.ico"), permanent=True)


# Errors: problem details on /api/ paths, pages elsewhere (recruitment.web.errors).
handler400 = "recruitment.web.errors.bad_request"
handler403 = "recruitment.web.errors.permission_denied"
handler404 = "recruitment.web.errors.page_not_found"
handler500 = "recruitment.web.errors.server_error"

admin.site.site_header = "Recruitment back-office"
admin.site.site_title = "Recruitment admin"

urlpatterns = [
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    path("documents/<int:pk>/", document_download, name="document-download"),
    path("api/v1/", include("recruitment.api.urls")),
    path("boards/", include("boards.urls")),
    path("", include("recruitment.web.urls")),
]

# The strict fake job boards (boards/sandbox), for development, demos and tests only.
if settings.BOARDS_SANDBOX:
    urlpatterns.insert(0, path("sandbox/", include("boards.sandbox.urls")))
