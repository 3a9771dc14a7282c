"""Partner API credentials: partner clients, users' API passwords, bearer tokens and idempotency records.

No secret is stored in the clear: API keys (long random values we generate) as keyed HMAC-SHA256 hashes
(`recruitment.keyhash`), API passwords as Django password hashes, bearer tokens as SHA-256 digests (long random
values, looked up by digest on every call).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from recruitment.models.base import PlainTextModel


class PartnerClient(PlainTextModel):
    """A partner system (HR, payroll, a DBS umbrella body, a careers site) registered by an admin.

    It has a public client id and an API key shown once when issued; only the key's hash is kept. Revoking the
    client (or rotating its key) ends every token issued with the old key.
    """

    name = models.CharField(max_length=200, unique=True)
    client_id = models.CharField(max_length=40, unique=True, editable=False)
    api_key_hash = models.CharField(max_length=200, editable=False)
    api_key_hint = models.CharField(
        max_length=12, editable=False, help_text="The key's first characters, to tell keys apart."
    )
    key_version = models.PositiveIntegerField(default=1, editable=False)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    key_issued_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ApiPassword(models.Model):
    """A user's API password (shown once, stored hashed); a partner acts as this user with it.

    Generating a new one revokes the old one, and every token issued with it.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_passwords")
    password_hash = models.CharField(max_length=200, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API password"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="apipassword_one_active_per_user"
            ),
        ]

    def __str__(self) -> str:
        state = "revoked" if self.revoked_at else "active"
        return f"API password of {self.user} ({state})"


class ApiToken(models.Model):
    """A bearer token for one partner client acting as one user, valid for an hour."""

    digest = models.CharField(max_length=64, unique=True, editable=False)
    client = models.ForeignKey(PartnerClient, on_delete=models.CASCADE, related_name="tokens")
    client_key_version = models.PositiveIntegerField()
    api_password = models.ForeignKey(ApiPassword, on_delete=models.CASCADE, related_name="tokens")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "API token"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Token for {self.client} as {self.user}"


class IdempotencyRecord(models.Model):
    """The first answer to a POST with a given Idempotency-Key, per partner client, replayed for repeats."""

    client = models.ForeignKey(PartnerClient, on_delete=models.CASCADE, related_name="idempotency_records")
    key = models.CharField(max_length=255)
    request_fingerprint = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "key"], name="idempotency_unique_client_key"),
        ]

    def __str__(self) -> str:
        return f"{self.client}: {self.key}"
