"""Throttling per partner client (all the client's users share its budget)."""

from rest_framework.throttling import SimpleRateThrottle


class PartnerClientThrottle(SimpleRateThrottle):
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
