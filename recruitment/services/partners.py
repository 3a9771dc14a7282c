"""Partner API credentials: issue, rotate and revoke client keys and API passwords; exchange them for tokens."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from recruitment.errors import DomainError
from recruitment.keyhash import key_hash, key_matches
from recruitment.models import ApiPassword, ApiToken, PartnerClient

TOKEN_LIFETIME = timedelta(hours=1)
# The same answer whichever part of the credentials was wrong, so a caller learns nothing from it.
BAD_CREDENTIALS = "The client ID, API key, username or API password is not valid."
# Checked against when there is no stored password hash: Django then hashes anyway, so a miss costs the same time.
UNUSABLE = "!"


class InvalidCredentials(DomainError):
    """Token exchange refused; the message never says which part was wrong."""


def token_digest(raw: str) -> str:
    """The stored form of a bearer token."""
    return hashlib.sha256(raw.encode()).hexdigest()


def _new_key() -> str:
    return f"rk_{secrets.token_urlsafe(32)}"


@transaction.atomic
def partner_client_create(*, name: str) -> tuple[PartnerClient, str]:
    """Register a partner client; returns it and its API key, which is shown once and never again."""
    key = _new_key()
    client = PartnerClient.objects.create(
        name=name.strip(),
        client_id=f"pc_{secrets.token_hex(8)}",
        api_key_hash=key_hash(key),
        api_key_hint=key[:7],
        key_issued_at=timezone.now(),
    )
    return client, key


@transaction.atomic
def partner_client_rotate_key(*, client: PartnerClient) -> str:
    """Issue a new API key (returned, shown once); the old key and every token issued with it stop working."""
    client = PartnerClient.objects.select_for_update().get(pk=client.pk)
    key = _new_key()
    client.api_key_hash = key_hash(key)
    client.api_key_hint = key[:7]
    client.key_version += 1
    client.key_issued_at = timezone.now()
    client.save(update_fields=["api_key_hash", "api_key_hint", "key_version", "key_issued_at"])
    return key


@transaction.atomic
def partner_client_revoke(*, client: PartnerClient) -> PartnerClient:
    """Switch a client off: its key and all its tokens stop working at once."""
    client = PartnerClient.objects.select_for_update().get(pk=client.pk)
    client.is_active = False
    client.revoked_at = timezone.now()
    client.save(update_fields=["is_active", "revoked_at"])
    return client


@transaction.atomic
def api_password_generate(*, user: AbstractBaseUser) -> str:
    """Give the user a new API password (returned, shown once), revoking any previous one and its tokens."""
    # Lock the user's row: two generations at once then run one after the other, never both "active".
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    api_password_revoke(user=user)
    raw = secrets.token_urlsafe(24)
    ApiPassword.objects.create(user=user, password_hash=make_password(raw))
    return raw


@transaction.atomic
def api_password_revoke(*, user: AbstractBaseUser) -> int:
    """Revoke the user's API password, if any; returns how many were revoked (0 or 1)."""
    return ApiPassword.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


@dataclass(frozen=True)
class VerifiedCredentials:
    """What a successful credential check found: the client, the user and their API password."""

    client: PartnerClient
    user: AbstractBaseUser
    api_password: ApiPassword
    # The API key's keyed hash, when the stored one is of an older format (replaced when the token is issued).
    upgraded_key_hash: str | None


def api_credentials_verify(*, client_id: str, api_key: str, username: str, api_password: str) -> VerifiedCredentials:
    """Check a partner's client ID and API key and a user's API password; reads only, no transaction, no lock.

    The API key is checked by its keyed hash (microseconds, `recruitment.keyhash`), the API password by Django's
    password hasher. Every check runs whatever fails first, so the time taken does not reveal which part was wrong.
    Raises InvalidCredentials (one message for every wrong part).
    """
    client = PartnerClient.objects.filter(client_id=client_id, is_active=True).first()
    key_ok, key_outdated = key_matches(api_key, client.api_key_hash if client else None)
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    stored = ApiPassword.objects.filter(user=user, revoked_at__isnull=True).first() if user else None
    password_ok = check_password(api_password, stored.password_hash if stored else UNUSABLE)
    if not (client and key_ok and user and stored and password_ok):
        raise InvalidCredentials(BAD_CREDENTIALS)
    return VerifiedCredentials(client, user, stored, key_hash(api_key) if key_outdated else None)


def api_token_issue(*, client_id: str, api_key: str, username: str, api_password: str) -> tuple[ApiToken, str]:
    """Exchange a partner's credentials and a user's API password for a bearer token valid for an hour.

    The credentials are checked first, with no transaction open (`api_credentials_verify`), so bad requests never
    hold the database's write lock; only then is the token written, in a short transaction of its own. Call it outside
    any transaction. A key rotated or password revoked between the check and the write leaves a token that
    authentication refuses at once (it compares the key version and the password's revocation on every call).
    Returns the token and its raw value (shown once). Raises InvalidCredentials.
    """
    verified = api_credentials_verify(
        client_id=client_id, api_key=api_key, username=username, api_password=api_password
    )
    return _api_token_create(verified)


@transaction.atomic
def _api_token_create(verified: VerifiedCredentials) -> tuple[ApiToken, str]:
    """Write the token for checked credentials, note the client's use and store an upgraded key hash."""
    client = verified.client
    raw = secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        digest=token_digest(raw),
        client=client,
        client_key_version=client.key_version,
        api_password=verified.api_password,
        user=verified.user,
        expires_at=now + TOKEN_LIFETIME,
    )
    PartnerClient.objects.filter(pk=client.pk).update(last_used_at=now)
    if verified.upgraded_key_hash:
        # Only while the key is still the one checked (a rotation in between keeps its own hash).
        PartnerClient.objects.filter(pk=client.pk, api_key_hash=client.api_key_hash).update(
            api_key_hash=verified.upgraded_key_hash
        )
    return token, raw
