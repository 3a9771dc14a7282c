"""The client's address: one rule for the API throttles, the sign-in lockout and the logs.

`REMOTE_ADDR` is the address of whatever opened the connection to us. `X-Forwarded-For` is a list any client can
write; only the entries that our own proxies appended can be believed. With `TRUSTED_PROXY_COUNT = N` (setting, from
the environment; 0 by default), N proxies stand in front of the app, each appending the address it received the
request from, so the client is the N-th entry from the right. With 0, the header is ignored.

A request that did not come through every proxy (the header is missing or shorter than N entries), or whose entry is
not an IP address, falls back to `REMOTE_ADDR`, which nobody can forge.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's IP address as text (e.g. "203.0.113.7"), by the rule above; "" when the server gave none."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    hops = settings.TRUSTED_PROXY_COUNT
    if hops <= 0:
        return remote
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [entry for entry in forwarded if entry]
    if len(forwarded) < hops:
        return remote
    candidate = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


class ClientIpLogFilter:
    """A logging filter giving every record a `client_ip` attribute: the client of the request it is about (Django
    passes `request` with its request and security records), else "-". The log format prints it."""

    def filter(self, record) -> bool:
        request = getattr(record, "request", None)
        record.client_ip = (client_ip(request) or "-") if isinstance(request, HttpRequest) else "-"
        return True
