"""Board pages under /boards/: the posting page of each board (NHS Jobs' is /boards/vacancies/<id>/nhs-jobs/), the
webhook receiver boards send events to (/boards/<board>/webhook/) and the callback bulk boards call when an import is
complete (/boards/<board>/imports/<token>/callback/)."""

from django.urls import path

from boards.views import attention, imports, postings, webhooks

app_name = "boards"

urlpatterns = [
    path("attention/", attention.attention, name="attention"),
    path("attention/events/<int:pk>/process-again/", attention.reprocess, name="inbound-reprocess"),
    path("vacancies/<int:pk>/<slug:board>/", postings.post_to_board, name="post-to-board"),
    path("vacancies/<int:pk>/<slug:board>/validate/", postings.validate_field, name="post-to-board-validate"),
    path("vacancies/<int:pk>/<slug:board>/status/", postings.posting_status, name="post-to-board-status"),
    path("vacancies/<int:pk>/<slug:board>/imports/", imports.panel, name="bulk-imports-panel"),
    path("<slug:board>/webhook/", webhooks.webhook, name="webhook"),
    path("<slug:board>/imports/<str:token>/callback/", imports.callback, name="bulk-import-callback"),
]
