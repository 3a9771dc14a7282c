"""Board accounts, postings of vacancies to boards, and the log of every call made to a board."""

import json
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from boards import crypto
from boards.base import BoardAdapter
from boards.registry import board_choices, get_adapter


class BoardAccount(models.Model):
    """Our account on one job board: where it lives, who we are there and the credentials (encrypted).

    Secret settings (API keys, client secrets) are stored together as one encrypted JSON object and are never shown
    back: the admin only says whether each is set. A 401/403 from the board sets `needs_attention` with the reason;
    saving new credentials clears it.
    """

    board = models.CharField(max_length=30, choices=board_choices, unique=True)
    name = models.CharField(max_length=100, help_text="A name for people, e.g. 'NHS Jobs (live)'.")
    base_url = models.URLField(help_text="The board's API base URL (the sandbox's in development).")
    org_id = models.CharField("Org ID", max_length=100, blank=True)
    account_id = models.CharField("Account ID", max_length=100, blank=True)
    credentials_encrypted = models.TextField(blank=True, editable=False)
    webhook_secret_encrypted = models.TextField(blank=True, editable=False)
    enabled = models.BooleanField(default=True)
    needs_attention = models.BooleanField(default=False, db_index=True)
    attention_reason = models.TextField(blank=True)
    attention_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["board"]

    def __str__(self) -> str:
        return self.name

    @property
    def adapter(self) -> BoardAdapter:
        return get_adapter(self.board)

    def credentials(self) -> dict[str, str]:
        """The decrypted secret settings (empty when none are stored or the key changed)."""
        plaintext = crypto.decrypt(self.credentials_encrypted)
        return json.loads(plaintext) if plaintext else {}

    def credential(self, name: str) -> str:
        return self.credentials().get(name, "")

    def webhook_secret(self) -> str:
        return crypto.decrypt(self.webhook_secret_encrypted)


class PostingStatus(models.TextChoices):
    """Where a posting is: saved here, on its way, or settled."""

    DRAFT = "draft", "Saved, not sent"
    QUEUED = "queued", "Queued to send"
    SENDING = "sending", "Sending"
    RETRYING = "retrying", "Waiting to retry"
    POSTED = "posted", "Posted"
    FAILED = "failed", "Failed"


IN_FLIGHT_STATUSES = (PostingStatus.QUEUED, PostingStatus.SENDING, PostingStatus.RETRYING)


class Operation(models.TextChoices):
    """What we asked a board to do."""

    PUBLISH = "publish", "Create"
    UPDATE = "update", "Update"
    CLOSE = "close", "Close"
    STATUS = "status", "Read status"


class Posting(models.Model):
    """A vacancy on one board: the values the recruiter saved, the board's id for it, and how sending went.

    `client_reference` is sent as the idempotency key of the create call, so a create retried after a lost answer
    never makes a second job on the board. `field_errors` holds the board's last errors by our field name ("" for
    errors naming no field).
    """

    vacancy = models.ForeignKey("recruitment.Vacancy", on_delete=models.PROTECT, related_name="postings")
    account = models.ForeignKey(BoardAccount, on_delete=models.PROTECT, related_name="postings")
    status = models.CharField(max_length=10, choices=PostingStatus.choices, default=PostingStatus.DRAFT)
    operation = models.CharField(
        max_length=10, choices=Operation.choices, blank=True, help_text="The last or pending operation."
    )
    board_id = models.CharField(max_length=100, blank=True, help_text="The board's own id for the job.")
    board_status = models.CharField(max_length=20, blank=True, help_text="What the board last said (e.g. draft).")
    values = models.JSONField(default=dict, blank=True, help_text="The field values the recruiter saved.")
    field_errors = models.JSONField(default=dict, blank=True)
    last_error = models.TextField(blank=True)
    client_reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    attempt_count = models.PositiveSmallIntegerField(default=0, help_text="Calls made for the current operation.")
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True, help_text="When a worker started sending.")
    posted_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "account"], name="posting_one_per_vacancy_account"),
            models.UniqueConstraint(
                fields=["account", "board_id"], condition=~Q(board_id=""), name="posting_board_id_unique"
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.vacancy_id} on {self.account}"

    @property
    def in_flight(self) -> bool:
        return self.status in IN_FLIGHT_STATUSES


class AttemptOutcome(models.TextChoices):
    """How one call ended."""

    SUCCESS = "success", "Success"
    TEMPORARY = "temporary", "Temporary failure"
    PERMANENT = "permanent", "Rejected"
    AUTH = "auth", "Credentials refused"


class PublishAttempt(models.Model):
    """One HTTP call to a board: when, what, how it ended and how long it took. Credentials are redacted."""

    account = models.ForeignKey(BoardAccount, on_delete=models.CASCADE, related_name="attempts")
    posting = models.ForeignKey(Posting, on_delete=models.CASCADE, null=True, blank=True, related_name="attempts")
    operation = models.CharField(max_length=10, choices=Operation.choices)
    method = models.CharField(max_length=10)
    url = models.URLField(max_length=500)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=AttemptOutcome.choices)
    duration_ms = models.PositiveIntegerField()
    error = models.TextField(blank=True)
    request_summary = models.JSONField(default=dict, blank=True)
    response_summary = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_operation_display()} {self.status_code or '-'} ({self.get_outcome_display()})"
