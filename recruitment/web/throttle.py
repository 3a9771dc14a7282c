"""The sign-in throttle: too many failed attempts for one username or from one address are refused for a while.

Counts live in Django's cache (a fixed window per key), so they work across processes with a shared cache
(Redis, the database cache) and within one process with the default local-memory cache.
"""

import hashlib

from django.core.cache import cache
from django.http import HttpRequest

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60
THROTTLED_MESSAGE = (
    "Too many failed sign-in attempts. Wait 15 minutes and try again, or ask an administrator to reset your password."
)


def _keys(request: HttpRequest, username: str) -> list[str]:
    """Cache keys of the username (case-insensitive, hashed) and of the client address."""
    digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()
    address = request.META.get("REMOTE_ADDR", "unknown")
    return [f"login-failures:user:{digest}", f"login-failures:ip:{address}"]


def is_throttled(request: HttpRequest, username: str) -> bool:
    """Whether the username or the address has had MAX_FAILURES failed attempts within the window."""
    counts = cache.get_many(_keys(request, username))
    return any(count >= MAX_FAILURES for count in counts.values())


def record_failure(request: HttpRequest, username: str) -> None:
    """Count one failed attempt against the username and the address; the window starts at the first failure."""
    for key in _keys(request, username):
        if not cache.add(key, 1, WINDOW_SECONDS):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, WINDOW_SECONDS)


def clear_failures(request: HttpRequest, username: str) -> None:
    """Forget the username's failures after a successful sign-in (the address keeps its count)."""
    cache.delete(_keys(request, username)[0])
