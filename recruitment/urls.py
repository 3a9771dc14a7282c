"""Top-level URLs."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from recruitment.web.documents import document_download

# Errors: problem details on /api/ paths, pages elsewhere (recruitment.web.errors).
handler400 = "recruitment.web.errors.bad_request"
handler403 = "recruitment.web.errors.permission_denied"
handler404 = "recruitment.web.errors.page_not_found"
handler500 = "recruitment.web.errors.server_error"

admin.site.site_header = "Recruitment back-office"
admin.site.site_title = "Recruitment admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("documents/<int:pk>/", document_download, name="document-download"),
    path("api/v1/", include("recruitment.api.urls")),
    path("boards/", include("boards.urls")),
    path("", include("recruitment.web.urls")),
]

# The strict fake job boards (boards/sandbox), for development, demos and tests only.
if settings.BOARDS_SANDBOX:
    urlpatterns.insert(0, path("sandbox/", include("boards.sandbox.urls")))
