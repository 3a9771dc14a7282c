"""Middleware for the partner API's responses."""

from django.utils.cache import patch_cache_control

from recruitment.api.errors import is_api_request

# The schema and its docs page describe the API and hold no personal data: caches may keep them.
_CACHEABLE_PATHS = ("/api/v1/schema/", "/api/v1/docs/")


class ApiNoStoreMiddleware:
    """Every API answer (errors included) carries `Cache-Control: no-store`: answers hold candidates' personal data,
    which no browser, proxy or gateway cache may keep. The schema and the docs are left cacheable."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_api_request(request) and not request.path.startswith(_CACHEABLE_PATHS):
            patch_cache_control(response, no_store=True)
        return response
