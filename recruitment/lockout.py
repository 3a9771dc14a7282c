"""The sign-in lockout, one for every way to sign in: the back-office, the admin and the API token endpoint.

django-axes counts the failures. The policy (settings `SIGN_IN_FAILURE_LIMIT`, default 5, and
`SIGN_IN_LOCKOUT_MINUTES`, default 15): after that many failed attempts for one username from one client address,
each within the lockout time of the one before, that username is locked *at that address* for the lockout time after
the last failure. Attempts made while locked are refused without checking the password and do not extend the lock.
Locking the pair, not the address alone, keeps everyone else behind an organisation's one outgoing address signing
in; locking the pair, not the username alone, stops a stranger from locking a colleague out. A successful sign-in
forgets the pair's earlier failures. An administrator unlocks a pair at once from Admin > Access attempts.

The client address is `recruitment.client_ip.client_ip` (`AXES_CLIENT_IP_CALLABLE`).
"""

import math

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from recruitment.api.errors import PROBLEM_CONTENT_TYPE, problem_body
from recruitment.client_ip import client_ip
from recruitment.services.signin import signin_unlock


def locked_message() -> str:
    """What a locked-out person reads, on every sign-in path: what happened and what to do."""
    return (
        "Too many failed sign-in attempts for this username from your network. "
        f"Wait {settings.SIGN_IN_LOCKOUT_MINUTES} minutes and try again, "
        "or ask an administrator to unlock your sign-in sooner."
    )


def is_locked(request: HttpRequest, username: str) -> bool:
    """Whether the username is locked at this request's client address (reads only)."""
    return not AxesProxyHandler.is_allowed(request, {"username": username})


def record_failure(request: HttpRequest, username: str, *, sender: str) -> bool:
    """Count a failed attempt for the username at this address (as `authenticate()` does for the sign-in forms);
    returns whether this failure locked it. A short write of its own, made after the credentials were checked."""
    user_login_failed.send(sender=sender, credentials={"username": username}, request=request)
    return was_locked_out(request)


def record_success(request: HttpRequest, username: str) -> None:
    """Forget the username's failures at this address after it signed in (the sign-in forms do this through
    `user_logged_in`; the token endpoint, which opens no session, calls this)."""
    signin_unlock(username=username, ip_address=client_ip(request) or None)


def was_locked_out(request: HttpRequest) -> bool:
    """Whether axes refused, or locked, this request's sign-in."""
    return bool(getattr(request, "axes_locked_out", False))


def seconds_until_unlocked(request: HttpRequest, username: str | None) -> int:
    """Seconds until the username's lock at this address ends (at most the lockout time; at least 1)."""
    lockout = settings.AXES_COOLOFF_TIME
    last = AccessAttempt.objects.filter(username=username, ip_address=client_ip(request) or None).aggregate(
        last=Max("attempt_time")
    )["last"]
    if last is None:
        return int(lockout.total_seconds())
    return max(1, math.ceil((last + lockout - timezone.now()).total_seconds()))


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """The answer to a locked-out sign-in (`AXES_LOCKOUT_CALLABLE`, called by axes' middleware).

    The API answers an RFC 9457 problem, 429 with `Retry-After`, like its other errors. The sign-in pages have
    already put `locked_message()` on their form (`LockoutMessageMixin`), so their page is kept, as a 429.
    """
    username = (credentials or {}).get("username")
    match = getattr(request, "resolver_match", None)
    if match is not None and "api" in match.namespaces:
        return JsonResponse(
            problem_body(429, locked_message()),
            status=429,
            content_type=PROBLEM_CONTENT_TYPE,
            headers={"Retry-After": str(seconds_until_unlocked(request, username))},
        )
    if original_response is None:
        return HttpResponse(locked_message(), status=429, content_type="text/plain; charset=utf-8")
    original_response.status_code = 429
    return original_response


class LockoutMessageMixin:
    """For Django's sign-in forms (back-office and admin): when axes refused or locked this attempt, say so and what
    to do, instead of "wrong username or password"."""

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            if was_locked_out(self.request):
                raise ValidationError(locked_message(), code="locked") from None
            raise
