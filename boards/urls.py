"""Recruiter pages for job boards, under /boards/."""

from django.urls import path

from boards import views

app_name = "boards"

urlpatterns = [
    path("vacancies/<int:pk>/nhs-jobs/", views.post_to_board, {"board": "nhs-jobs"}, name="post-to-nhs-jobs"),
    path("vacancies/<int:pk>/<slug:board>/", views.post_to_board, name="post-to-board"),
    path("vacancies/<int:pk>/<slug:board>/validate/", views.validate_field, name="post-to-board-validate"),
    path("vacancies/<int:pk>/<slug:board>/status/", views.posting_status, name="post-to-board-status"),
]
