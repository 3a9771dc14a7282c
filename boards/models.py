"""Board accounts, postings of vacancies to boards, bulk imports of a board's feed, and the log of every call made
to a board."""

import json
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from boards import crypto
from boards.base import BoardAdapter, BoardEventKind
from boards.registry import get_adapter
from boards.types import OPERATION_LABELS, BoardStatus, CallOutcome, board_choices


class BoardAccount(models.Model):
    """Our account on one job board: where it lives, who we are there, and its settings as the adapter declares them.

    Non-secret settings (an Org ID, an OAuth client id) are stored as data in `public_settings`; secret ones (API keys,
    client secrets, the webhook signing secret) together as one encrypted JSON object, never shown back: the admin only
    says whether each is set. A 401/403 from the board sets `needs_attention` with the reason; saving new settings
    clears it. `poll_watermark` is where the last poll of the board got to (boards that can be polled).
    `consecutive_failures` and `circuit_open_until` are the account's circuit breaker (`boards.services.circuit`).
    """

    board = models.CharField(max_length=30, choices=board_choices, unique=True)
    name = models.CharField(max_length=100, help_text="A name for people, e.g. 'NHS Jobs (live)'.")
    base_url = models.URLField(help_text="The board's API base URL (the sandbox's in development).")
    public_settings = models.JSONField(default=dict, blank=True, help_text="The board's non-secret settings.")
    secrets_encrypted = models.TextField(blank=True, editable=False)
    enabled = models.BooleanField(default=True)
    needs_attention = models.BooleanField(default=False, db_index=True)
    attention_reason = models.TextField(blank=True)
    attention_since = models.DateTimeField(null=True, blank=True)
    poll_watermark = models.DateTimeField(
        null=True, blank=True, help_text="The board's changes up to this time have been asked for."
    )
    consecutive_failures = models.PositiveIntegerField(
        default=0, help_text="Calls in a row that got no usable answer (timeouts, dropped connections, 5xx, 429)."
    )
    circuit_open_until = models.DateTimeField(
        null=True, blank=True, help_text="No calls to the board before this time (the circuit is open)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["board"]

    def __str__(self) -> str:
        return self.name

    @property
    def adapter(self) -> BoardAdapter:
        return get_adapter(self.board)

    def secrets(self) -> dict[str, str]:
        """The decrypted secret settings (empty when none are stored or the key changed). Decrypted once per
        instance and stored value: the webhook receiver verifies every request with the account it keeps in memory
        (`boards.webhook_accounts`)."""
        decrypted = self.__dict__.get("_decrypted_secrets")
        if decrypted is None or decrypted[0] != self.secrets_encrypted:
            plaintext = crypto.decrypt(self.secrets_encrypted)
            decrypted = (self.secrets_encrypted, json.loads(plaintext) if plaintext else {})
            self.__dict__["_decrypted_secrets"] = decrypted
        return dict(decrypted[1])

    @property
    def circuit_open(self) -> bool:
        """Whether calls to the board are paused (the circuit breaker opened after failures in a row)."""
        return self.circuit_open_until is not None and self.circuit_open_until > timezone.now()

    def setting(self, name: str) -> str:
        """One setting's value, secret or not ("" when it is not set)."""
        if name in self.public_settings:
            return str(self.public_settings[name] or "")
        return self.secrets().get(name, "")


class PostingStatus(models.TextChoices):
    """Where a posting is: saved here, on its way, or settled."""

    DRAFT = "draft", "Saved, not sent"
    QUEUED = "queued", "Queued to send"
    SENDING = "sending", "Sending"
    RETRYING = "retrying", "Waiting to retry"
    POSTED = "posted", "Posted"
    FAILED = "failed", "Failed"


IN_FLIGHT_STATUSES = (PostingStatus.QUEUED, PostingStatus.SENDING, PostingStatus.RETRYING)


BOARD_STATUS_CHOICES = [(status.value, status.label) for status in BoardStatus]
OPERATION_CHOICES = [(str(operation), label) for operation, label in OPERATION_LABELS.items()]
ATTEMPT_OUTCOME_CHOICES = [
    (CallOutcome.SUCCESS.value, "Success"),
    (CallOutcome.TEMPORARY.value, "Temporary failure"),
    (CallOutcome.PERMANENT.value, "Rejected"),
    (CallOutcome.AUTH.value, "Credentials refused"),
]


class Posting(models.Model):
    """A vacancy on one board: the values the recruiter saved, the board's id for it, and how sending went.

    `client_reference` is sent as the idempotency key of the create call, so a create retried after a lost answer
    never makes a second job on the board. `field_errors` holds the board's last errors by our field name ("" for
    errors naming no field).

    On a bulk board (one that takes the account's whole feed in one import), `in_feed` is the recruiter's choice to
    include the vacancy (set only with values valid by the board's spec); the feed is every such posting whose
    vacancy is advertised externally (`boards.selectors.feed_postings`). `bulk_import` is the last import that
    carried the posting, whose results say how it went there.

    `vacancy_values` is what the vacancy said (the adapter's `initial_values`, editable fields) when `values` were
    last saved: a field whose vacancy value has changed since, and differs from the saved one, has drifted
    (`boards.drift`). `status_checked_at` is when the posting page last asked for a read of a draft's status on
    the board (at most one read per BOARD_DRAFT_CHECK_SECONDS, however many pages watch it).
    """

    vacancy = models.ForeignKey("recruitment.Vacancy", on_delete=models.PROTECT, related_name="postings")
    account = models.ForeignKey(BoardAccount, on_delete=models.PROTECT, related_name="postings")
    status = models.CharField(max_length=10, choices=PostingStatus.choices, default=PostingStatus.DRAFT)
    operation = models.CharField(
        max_length=20, choices=OPERATION_CHOICES, blank=True, help_text="The last or pending operation."
    )
    board_id = models.CharField(max_length=100, blank=True, help_text="The board's own id for the job.")
    board_status = models.CharField(
        max_length=10, choices=BOARD_STATUS_CHOICES, blank=True, help_text="Where the job stands on the board."
    )
    board_status_raw = models.CharField(
        max_length=40, blank=True, help_text="The board's own word for the job's status (e.g. published)."
    )
    values = models.JSONField(default=dict, blank=True, help_text="The field values the recruiter saved.")
    vacancy_values = models.JSONField(
        default=dict,
        blank=True,
        help_text="What the vacancy said when the values were saved (drift is measured from it).",
    )
    field_errors = models.JSONField(default=dict, blank=True)
    last_error = models.TextField(blank=True)
    client_reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    attempt_count = models.PositiveSmallIntegerField(default=0, help_text="Calls made for the current operation.")
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True, help_text="When a worker started sending.")
    posted_at = models.DateTimeField(null=True, blank=True)
    status_checked_at = models.DateTimeField(
        null=True, blank=True, help_text="When the posting page last asked the board for a waiting draft's status."
    )
    in_feed = models.BooleanField(
        default=False, help_text="Bulk boards: the recruiter included the vacancy in the account's feed."
    )
    bulk_import = models.ForeignKey(
        "BulkImport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="postings",
        help_text="Bulk boards: the last import that carried this job.",
    )
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

    @property
    def board_status_label(self) -> str:
        """The normalised status for people ("Live"), or the board's own word when we have no mapping for it."""
        if self.board_status == BoardStatus.UNKNOWN and self.board_status_raw:
            return self.board_status_raw
        return BoardStatus(self.board_status).label if self.board_status else ""


class InboundSource(models.TextChoices):
    """How an inbound event reached us."""

    WEBHOOK = "webhook", "Webhook"
    POLL = "poll", "Polling"
    CALLBACK = "callback", "Import callback"


class InboundStatus(models.TextChoices):
    """Where an inbound event is in its processing."""

    PENDING = "pending", "Waiting to be processed"
    PROCESSING = "processing", "Processing"
    RETRYING = "retrying", "Waiting to retry"
    PROCESSED = "processed", "Processed"
    IGNORED = "ignored", "Ignored"
    FAILED = "failed", "Failed"


INBOUND_OPEN_STATUSES = (InboundStatus.PENDING, InboundStatus.PROCESSING, InboundStatus.RETRYING)


class InboundEvent(models.Model):
    """An event a board sent us (webhook), or that we found by polling, stored raw before it is processed.

    Unique per board and event id: the same delivery twice is one row, so nothing is made twice. `body` is the raw
    request body as received (after its signature was verified) and `headers` the parts of the headers that matter
    (event id, signature timestamp, content type); the normalised fields (`kind`, the board's ids, `data`) are what
    processing reads. Processing is retried with backoff while `attempts` is under the limit and ends as processed,
    ignored (a kind we do not handle, or nothing to do: see `note`) or failed with a reason people can read
    (`last_error`).
    Holds personal data (applicants' details in `body` and `data`): kept for a short period only.
    """

    account = models.ForeignKey(BoardAccount, on_delete=models.CASCADE, related_name="inbound_events")
    board = models.CharField(max_length=30, choices=board_choices)
    event_id = models.CharField(max_length=200)
    source = models.CharField(max_length=10, choices=InboundSource.choices, default=InboundSource.WEBHOOK)
    kind = models.CharField(max_length=40, choices=[(kind.value, kind.value) for kind in BoardEventKind])
    raw_type = models.CharField("board's event type", max_length=100, blank=True)
    board_job_id = models.CharField(max_length=100, blank=True)
    board_application_id = models.CharField(max_length=100, blank=True)
    reference = models.CharField(max_length=100, blank=True, help_text="Our vacancy reference, when the event has it.")
    status_word = models.CharField(
        max_length=40, blank=True, help_text="The status the event reports, as the board says it."
    )
    data = models.JSONField(default=dict, blank=True, help_text="The event's other content, normalised.")
    headers = models.JSONField(default=dict, blank=True)
    body = models.TextField(blank=True)
    occurred_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    status = models.CharField(max_length=10, choices=InboundStatus.choices, default=InboundStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, help_text="Why processing failed, or why it is waiting to retry.")
    note = models.TextField(blank=True, help_text="What processing did (or why there was nothing to do).")
    posting = models.ForeignKey(
        Posting, on_delete=models.SET_NULL, null=True, blank=True, related_name="inbound_events"
    )
    application = models.ForeignKey(
        "recruitment.Application", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["board", "event_id"], name="inboundevent_unique_per_board")]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.board} {self.raw_type or self.kind} {self.event_id}"


class PublishAttempt(models.Model):
    """One HTTP call to a board: when, what, how it ended and how long it took. Credentials are redacted.

    Tied to the posting it was made for, or to the inbound event it was made while processing (fetching an
    application or its CV), or to the bulk import it sent or read, or to none (a poll, a token request).
    """

    account = models.ForeignKey(BoardAccount, on_delete=models.CASCADE, related_name="attempts")
    posting = models.ForeignKey(Posting, on_delete=models.CASCADE, null=True, blank=True, related_name="attempts")
    inbound_event = models.ForeignKey(
        InboundEvent, on_delete=models.CASCADE, null=True, blank=True, related_name="calls"
    )
    bulk_import = models.ForeignKey("BulkImport", on_delete=models.CASCADE, null=True, blank=True, related_name="calls")
    operation = models.CharField(max_length=20, choices=OPERATION_CHOICES)
    method = models.CharField(max_length=10)
    url = models.URLField(max_length=500)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=ATTEMPT_OUTCOME_CHOICES)
    duration_ms = models.PositiveIntegerField()
    error = models.TextField(blank=True)
    request_summary = models.JSONField(default=dict, blank=True)
    response_summary = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_operation_display()} {self.status_code or '-'} ({self.get_outcome_display()})"


class BulkImportStatus(models.TextChoices):
    """Where a bulk import is: waiting here (the debounce window, or another import of the account in flight), being
    sent, then the board's own words (pending, running, complete), or failed on our side (refused, never answered)."""

    QUEUED = "queued", "Waiting to send"
    SENDING = "sending", "Sending"
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    COMPLETE = "complete", "Complete"
    FAILED = "failed", "Failed"


IMPORT_IN_FLIGHT_STATUSES = (BulkImportStatus.SENDING, BulkImportStatus.PENDING, BulkImportStatus.RUNNING)
IMPORT_ACTIVE_STATUSES = (BulkImportStatus.QUEUED, *IMPORT_IN_FLIGHT_STATUSES)


class ImportTrigger(models.TextChoices):
    """What asked for a sync."""

    SCHEDULE = "schedule", "Nightly schedule"
    RECRUITER = "recruiter", "Sync now"
    CHANGE = "change", "A vacancy in the feed changed"


def new_import_token() -> str:
    """An unguessable token for one import's callback URL (256 random bits, URL-safe)."""
    return secrets.token_urlsafe(32)


class BulkImport(models.Model):
    """One sync of a bulk board's feed: every job of the account that should be live, sent in one import (with the
    board told to delete the others), and what the board said about it. The source of truth about the import.

    A sync is asked for (`queued`, due at `due_at`: changes within a short window join it), sent when due and no
    other import of the account is in flight (`sending`, retried with backoff, `idempotency_key` the same on every
    try so a lost answer never makes a second import), then follows the board (`pending`, `running`, `complete`),
    or ends `failed` on our side with `last_error`. At most one import per account waits and one is in flight
    (database constraints). `token` is the credential of the callback URL we give the board
    (`/boards/<board>/imports/<token>/callback/`): unguessable, unique, good for this import only; the callback is
    accepted once (`callback_received_at`). `items` are the jobs it carried in order, `[posting id, reference]`,
    for mapping the board's results (by index and reference) back to postings; the counts and the raw results are
    the board's.
    """

    account = models.ForeignKey(BoardAccount, on_delete=models.CASCADE, related_name="bulk_imports")
    status = models.CharField(max_length=10, choices=BulkImportStatus.choices, default=BulkImportStatus.QUEUED)
    trigger = models.CharField(max_length=10, choices=ImportTrigger.choices, default=ImportTrigger.CHANGE)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, default=new_import_token, editable=False)
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    board_import_id = models.CharField("board's import id", max_length=100, blank=True)
    delete_missing = models.BooleanField(
        default=True, help_text="The board was told to delete the account's jobs this import does not carry."
    )
    due_at = models.DateTimeField(help_text="When a waiting import is sent.")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True, help_text="When the board accepted it.")
    requested_at = models.DateTimeField(null=True, blank=True, help_text="The board's requestedAt.")
    completed_at = models.DateTimeField(null=True, blank=True)
    callback_received_at = models.DateTimeField(null=True, blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    attempt_count = models.PositiveSmallIntegerField(default=0, help_text="Calls made to send it.")
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True, help_text="When a worker started sending.")
    job_count = models.PositiveIntegerField(default=0, help_text="Jobs it carried.")
    added = models.PositiveIntegerField(null=True, blank=True)
    updated = models.PositiveIntegerField(null=True, blank=True)
    unchanged = models.PositiveIntegerField(null=True, blank=True)
    deleted = models.PositiveIntegerField(null=True, blank=True)
    failed = models.PositiveIntegerField(null=True, blank=True)
    processed = models.PositiveIntegerField(null=True, blank=True)
    results = models.JSONField(null=True, blank=True, help_text="The board's results, as it sent them.")
    items = models.JSONField(default=list, blank=True, help_text="[posting id, reference] of each job, in order.")
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(status=BulkImportStatus.QUEUED),
                name="bulkimport_one_waiting_per_account",
            ),
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(status__in=IMPORT_IN_FLIGHT_STATUSES),
                name="bulkimport_one_in_flight_per_account",
            ),
            models.UniqueConstraint(
                fields=["account", "board_import_id"],
                condition=~Q(board_import_id=""),
                name="bulkimport_board_id_unique",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_at"])]

    def __str__(self) -> str:
        return f"Import {self.pk} to {self.account} ({self.get_status_display().lower()})"

    @property
    def in_flight(self) -> bool:
        return self.status in IMPORT_IN_FLIGHT_STATUSES

    @property
    def active(self) -> bool:
        """Waiting, being sent or being processed by the board: its progress is still changing."""
        return self.status in IMPORT_ACTIVE_STATUSES
