"""The project's error handlers (`handler400`, `handler403`, `handler404`, `handler500` in `recruitment.urls`).

Partner API paths answer RFC 9457 problem details whatever went wrong (`recruitment.api.errors`); the web pages answer
a page that says what happened. A request Django refused while reading it (too many fields or query parameters, a
body over the limit) is explained rather than called "Bad Request".
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import defaults

from recruitment.api.errors import django_problem, is_api_request, suspicious_request_problem


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400 (or 413 for a body over the limit) for a request Django could not accept as sent."""
    status, detail = suspicious_request_problem(exception)
    if is_api_request(request):
        return django_problem(status, detail)
    return render(request, "400.html", {"detail": detail}, status=status)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api_request(request):
        return django_problem(403, "You do not have permission to perform this action.")
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api_request(request):
        return django_problem(404, "Not found.")
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api_request(request):
        return django_problem(500, "Something went wrong on our side. Try again later; the error has been logged.")
    return defaults.server_error(request)
