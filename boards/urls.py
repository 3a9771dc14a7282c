"""Board pages under /boards/: the posting page of each board (NHS Jobs' is /boards/vacancies/<id>/nhs-jobs/), and
the webhook receiver boards send events to (/boards/<board>/webhook/)."""

from django.urls import path

from boards.views import attention, postings, webhooks

app_name = "boards"

urlpatterns = [
    path("attention/", attention.attention, name="attention"),
    path("attention/events/<int:pk>/process-again/", attention.reprocess, name="inbound-reprocess"),
    path("vacancies/<int:pk>/<slug:board>/", postings.post_to_board, name="post-to-board"),
    path("vacancies/<int:pk>/<slug:board>/validate/", postings.validate_field, name="post-to-board-validate"),
    path("vacancies/<int:pk>/<slug:board>/status/", postings.posting_status, name="post-to-board-status"),
    path("<slug:board>/webhook/", webhooks.webhook, name="webhook"),
]
