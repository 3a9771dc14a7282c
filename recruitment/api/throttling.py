"""Throttling per partner client (all the client's users share its budget) and per scope (the token endpoint).

Both identify an anonymous caller by `recruitment.client_ip.client_ip`, so a forged `X-Forwarded-For` header counts
for nothing unless `TRUSTED_PROXY_COUNT` says our own proxies wrote it.
"""

from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle

from recruitment.client_ip import client_ip


class ClientIpIdentMixin:
    """Identify the caller by the client address rule shared with the sign-in lockout and the logs."""

    def get_ident(self, request) -> str:
        return client_ip(request)


class PartnerClientThrottle(ClientIpIdentMixin, SimpleRateThrottle):
    """Requests per partner client per minute (setting `API_RATE`); anonymous calls are limited by IP address."""

    scope = "partner"

    def get_cache_key(self, request, view):
        token = request.auth
        ident = (
            f"client-{token.client_id}"
            if token is not None and hasattr(token, "client_id")
            else self.get_ident(request)
        )
        return self.cache_format % {"scope": self.scope, "ident": ident}


class ScopedThrottle(ClientIpIdentMixin, ScopedRateThrottle):
    """DRF's per-view scope throttle (the token endpoint's `API_TOKEN_RATE` per address), by the shared address rule."""
