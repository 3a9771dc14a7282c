"""NHSJob's OAuth 2.0 access tokens for writes: the client credentials grant, and a cache shared by every process.

The token request and the reading of its answer are oauthlib's (`BackendApplicationClient`, RFC 6749 section 4.4):
`POST /oauth/token` with the form `grant_type=client_credentials&client_id=...&client_secret=...` answers
`{"access_token", "token_type": "Bearer", "expires_in"}`. The call itself goes through our HTTP client, so it has
our timeouts and leaves an attempt row (operation `token`) holding the form's field names only, never the secret.

The token is kept in Django's cache (`settings.CACHES`: the database or Redis, shared by the web server and every
worker) under the account and a fingerprint of its base URL and OAuth client, until shortly before it expires
(`EXPIRY_MARGIN_SECONDS`, or a tenth of its life for short-lived tokens): a worker never asks for a token while
another's is still good, and new credentials never reuse the old client's token. Two workers that both find no token
may each fetch one; both are valid, and the last one stored is the one used from then on.
"""

import hashlib
import json
from collections.abc import Mapping

from django.core.cache import cache
from oauthlib.oauth2 import BackendApplicationClient, OAuth2Error

from boards.adapters.nhsjob.client import TOKEN_PATH
from boards.base import Recorder
from boards.errors import BoardAuthError, PermanentBoardError, TemporaryBoardError
from boards.http import BoardHttpClient
from boards.models import BoardAccount
from boards.types import Operation

EXPIRY_MARGIN_SECONDS = 60
TOKEN_REFUSED = "NHSJob's token endpoint refused the OAuth client: check the client ID and client secret"


def cache_key(account: BoardAccount) -> str:
    """Where the account's token is cached: its id and a fingerprint of the API and the OAuth client (so changing
    the client ID, secret or base URL never reuses a token of the old one). Holds no secret itself."""
    parts = (account.base_url, account.setting("client_id"), account.setting("client_secret"))
    fingerprint = hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]
    return f"boards:nhsjob:token:{account.pk}:{fingerprint}"


def cached_token(account: BoardAccount) -> str | None:
    """The account's cached access token, if one is still good."""
    return cache.get(cache_key(account))


def cache_lifetime(expires_in: int) -> int:
    """Seconds to keep a token that lives `expires_in` seconds: until the margin before it expires (0: not kept)."""
    return max(0, int(expires_in - min(EXPIRY_MARGIN_SECONDS, expires_in / 10)))


def token_base_url(base_url: str) -> str:
    """The host part the token endpoint hangs off: the API base URL without its `/v1` (BOARDS.md)."""
    return base_url.rstrip("/").removesuffix("/v1")


def fetch_token(*, account: BoardAccount, recorder: Recorder) -> str:
    """Ask NHSJob for a new access token, cache it, and return it.

    Raises `BoardAuthError` when the token endpoint refuses the client (any 4xx: a wrong client ID or secret),
    `TemporaryBoardError` when it cannot be reached, fails (5xx, 429) or answers without a usable Bearer token.
    """
    oauth = BackendApplicationClient(client_id=account.setting("client_id"))
    form = oauth.prepare_request_body(include_client_id=True, client_secret=account.setting("client_secret"))
    http = BoardHttpClient(account_pk=account.pk, base_url=token_base_url(account.base_url), recorder=recorder)
    try:
        answer = http.call(operation=Operation.TOKEN, method="POST", path=TOKEN_PATH, form=form)
    except (BoardAuthError, PermanentBoardError) as exc:
        raise BoardAuthError(exc.message, status_code=exc.status_code, detail=TOKEN_REFUSED) from exc
    if not isinstance(answer, Mapping):
        raise TemporaryBoardError("NHSJob's token endpoint answered without a token.")
    try:
        token = oauth.parse_request_body_response(json.dumps(answer))
    except (OAuth2Error, ValueError) as exc:
        raise TemporaryBoardError(f"NHSJob's token endpoint answered without a usable token ({exc}).") from exc
    if str(token.get("token_type") or "Bearer").lower() != "bearer":
        raise TemporaryBoardError(f"NHSJob's token endpoint gave a {token['token_type']} token, not a Bearer token.")
    access_token = str(token["access_token"])
    if (expires_in := token.get("expires_in")) is not None and (keep := cache_lifetime(expires_in)) > 0:
        cache.set(cache_key(account), access_token, keep)
    return access_token
