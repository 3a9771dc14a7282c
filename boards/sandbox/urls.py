"""The fake boards, under /sandbox/<board-code>/ (mounted only when BOARDS_SANDBOX is on)."""

from django.urls import path

from boards.sandbox import nhs_jobs

app_name = "sandbox"

urlpatterns = [
    path("nhs-jobs/", nhs_jobs.home, name="nhs-jobs"),
    path("nhs-jobs/vacancies", nhs_jobs.vacancies, name="nhs-jobs-vacancies"),
    path("nhs-jobs/vacancies/<int:job_id>", nhs_jobs.vacancy, name="nhs-jobs-vacancy"),
    path("nhs-jobs/vacancies/<int:job_id>/close", nhs_jobs.vacancy_close, name="nhs-jobs-close"),
    path("nhs-jobs/drafts/<int:job_id>/publish/", nhs_jobs.publish, name="nhs-jobs-publish"),
    path("nhs-jobs/faults/", nhs_jobs.faults, name="nhs-jobs-faults"),
]
