"""URLs of the recruiter back-office and the public careers site (names are global: the API reverses some)."""

from django.urls import path

from recruitment.web import api_password, auth, candidates, careers, dashboard, dbs, pipeline, vacancies

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("sign-in/", auth.SignInView.as_view(), name="login"),
    path("sign-out/", auth.SignOutView.as_view(), name="logout"),
    path("vacancies/", vacancies.vacancy_list_view, name="vacancy-list"),
    path("vacancies/new/", vacancies.vacancy_create, name="vacancy-create"),
    path("vacancies/<int:pk>/", vacancies.vacancy_detail, name="vacancy-detail"),
    path("vacancies/<int:pk>/edit/", vacancies.vacancy_edit, name="vacancy-edit"),
    path("vacancies/departments/", vacancies.vacancy_departments, name="vacancy-departments"),
    path("vacancies/<int:pk>/actions/<slug:action>/", vacancies.vacancy_action, name="vacancy-action"),
    path("vacancies/<int:pk>/actions/<slug:action>/confirm/", vacancies.vacancy_end, name="vacancy-end"),
    path("vacancies/<int:pk>/pipeline/", pipeline.pipeline, name="pipeline"),
    path("vacancies/<int:pk>/pipeline/move/", pipeline.pipeline_move, name="pipeline-move"),
    path("applications/", dashboard.application_list, name="application-list"),
    path("candidates/<int:pk>/", candidates.candidate_detail, name="candidate-detail"),
    path("dbs-checks/", dbs.dbs_list, name="dbs-list"),
    path("dbs-checks/<int:pk>/", dbs.dbs_detail, name="dbs-detail"),
    path("account/api-password/", api_password.api_password, name="api-password"),
    path("careers/", careers.careers_list, name="careers-list"),
    path("careers/privacy/", careers.careers_privacy, name="careers-privacy"),
    path("careers/jobs/<str:reference>/apply/", careers.careers_apply, name="careers-apply"),
    path("careers/jobs/<str:reference>/applied/", careers.careers_applied, name="careers-applied"),
]
