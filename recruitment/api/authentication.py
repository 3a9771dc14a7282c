"""Bearer-token authentication: a token acts as one user, for one partner client, until it expires."""

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from recruitment.models import ApiToken
from recruitment.services.partners import token_digest

# Tokens with what `_is_live` checks; a template every request filters (a copy), never evaluated itself.
_TOKENS = ApiToken.objects.select_related("client", "api_password", "user").order_by()


class PartnerTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <token>` from `POST /api/v1/auth/token`.

    The token stops working when it expires, when the client is revoked or its key rotated, when the user's API
    password is revoked or replaced, or when the user is deactivated.
    """

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("The Authorization header must be 'Bearer <token>'.")
        try:
            raw = header[1].decode()
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed("The token is not valid.") from exc
        token = next(iter(_TOKENS.filter(digest=token_digest(raw))[:1]), None)
        if token is None or not self._is_live(token):
            raise exceptions.AuthenticationFailed("The token is not valid or has expired.")
        return token.user, token

    @staticmethod
    def _is_live(token: ApiToken) -> bool:
        return (
            token.expires_at > timezone.now()
            and token.client.is_active
            and token.client.key_version == token.client_key_version
            and token.api_password.revoked_at is None
            and token.user.is_active
        )

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'


class PartnerTokenScheme(OpenApiAuthenticationExtension):
    """Documents the bearer token in the OpenAPI schema."""

    target_class = PartnerTokenAuthentication
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A token from POST /api/v1/auth/token."}
