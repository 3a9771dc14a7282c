"""The fake boards, under /sandbox/ (mounted only when BOARDS_SANDBOX is on): an index page, then each board's own
API and pages under /sandbox/<board-code>/ (see `boards.sandbox.registry`)."""

from django.urls import include, path

from boards.sandbox import pages
from boards.sandbox.registry import sandbox_modules

app_name = "sandbox"

urlpatterns = [
    path("", pages.index, name="index"),
    path("<slug:board>/faults/form/", pages.faults_form, name="faults-form"),
    path("<slug:board>/switches/", pages.switches_form, name="switches-form"),
    *(path(f"{code}/", include(module.urlpatterns)) for code, module in sandbox_modules()),
]
