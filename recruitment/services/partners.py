"""Partner API credentials: issue, rotate and revoke client keys and API passwords; exchange them for tokens."""

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from recruitment.errors import DomainError
from recruitment.models import ApiPassword, ApiToken, PartnerClient

TOKEN_LIFETIME = timedelta(hours=1)
# The same answer whichever part of the credentials was wrong, so a caller learns nothing from it.
BAD_CREDENTIALS = "The client ID, API key, username or API password is not valid."
# Checked against when there is no stored hash: Django then hashes anyway, so a miss costs the same time.
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
        api_key_hash=make_password(key),
        api_key_hint=key[:7],
        key_issued_at=timezone.now(),
    )
    return client, key


@transaction.atomic
def partner_client_rotate_key(*, client: PartnerClient) -> str:
    """Issue a new API key (returned, shown once); the old key and every token issued with it stop working."""
    client = PartnerClient.objects.select_for_update().get(pk=client.pk)
    key = _new_key()
    client.api_key_hash = make_password(key)
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


@transaction.atomic
def api_token_issue(*, client_id: str, api_key: str, username: str, api_password: str) -> tuple[ApiToken, str]:
    """Exchange a partner's credentials and a user's API password for a bearer token valid for an hour.

    Every check runs whatever fails first, so the time taken does not reveal which part was wrong.
    """
    client = PartnerClient.objects.filter(client_id=client_id, is_active=True).first()
    key_ok = check_password(api_key, client.api_key_hash if client else UNUSABLE)
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    stored = ApiPassword.objects.filter(user=user, revoked_at__isnull=True).first() if user else None
    password_ok = check_password(api_password, stored.password_hash if stored else UNUSABLE)
    if not (client and key_ok and user and stored and password_ok):
        raise InvalidCredentials(BAD_CREDENTIALS)
    raw = secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        digest=token_digest(raw),
        client=client,
        client_key_version=client.key_version,
        api_password=stored,
        user=user,
        expires_at=now + TOKEN_LIFETIME,
    )
    PartnerClient.objects.filter(pk=client.pk).update(last_used_at=now)
    return token, raw
