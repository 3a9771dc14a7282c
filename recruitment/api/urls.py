"""Partner API routes under /api/v1/."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from recruitment.api import views
from recruitment.api.errors import api_not_found
from recruitment.api.serializers import reference as ref
from recruitment.models import (
    Department,
    Division,
    EmploymentType,
    JobCategory,
    JobLevel,
    Location,
    Region,
    SalaryBand,
    SchoolLocation,
)

app_name = "api"

# Reference lists: (URL segment, model, serializer).
REFERENCE_LISTS = (
    ("divisions", Division, ref.DivisionSerializer),
    ("departments", Department, ref.DepartmentSerializer),
    ("locations", Location, ref.LocationSerializer),
    ("regions", Region, ref.RegionSerializer),
    ("job-categories", JobCategory, ref.JobCategorySerializer),
    ("salary-bands", SalaryBand, ref.SalaryBandSerializer),
    ("employment-types", EmploymentType, ref.EmploymentTypeSerializer),
    ("job-levels", JobLevel, ref.JobLevelSerializer),
    ("school-locations", SchoolLocation, ref.SchoolLocationSerializer),
)

_RELATED = {Department: ("division",), Location: ("region",), SchoolLocation: ("location",)}


def _reference_queryset(model):
    queryset = model.objects.order_by("name", "pk")
    return queryset.select_related(*_RELATED[model]) if model in _RELATED else queryset


urlpatterns = [
    path("auth/token", views.TokenView.as_view(), name="token"),
    path("jobs/", views.JobListView.as_view(), name="job-list"),
    path("jobs/<str:reference>/", views.JobDetailView.as_view(), name="job-detail"),
    path("jobs/<str:reference>/applications/", views.JobApplicationsView.as_view(), name="job-applications"),
    path("applications/", views.ApplicationListCreateView.as_view(), name="application-list"),
    path("applications/<int:pk>/", views.ApplicationDetailView.as_view(), name="application-detail"),
    path("applications/<int:pk>/stage/", views.ApplicationStageView.as_view(), name="application-stage"),
    path(
        "applications/<int:pk>/documents/<str:kind>/",
        views.ApplicationDocumentView.as_view(),
        name="application-document",
    ),
    path("exports/changes/", views.ChangesExportView.as_view(), name="export-changes"),
    path("exports/changes.ndjson", views.ChangesNdjsonView.as_view(), name="export-changes-ndjson"),
    path("exports/changes.csv", views.ChangesCsvView.as_view(), name="export-changes-csv"),
    path("dbs-checks/", views.DbsCheckListView.as_view(), name="dbs-check-list"),
    path("dbs-checks/<int:pk>/", views.DbsCheckDetailView.as_view(), name="dbs-check-detail"),
    *(
        path(
            f"{segment}/",
            views.ReferenceListView.as_view(
                queryset=_reference_queryset(model),
                serializer_class=serializer,
            ),
            name=f"{segment}-list",
        )
        for segment, model, serializer in REFERENCE_LISTS
    ),
    path("schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^(?P<path>.*)$", api_not_found, name="not-found"),
]
