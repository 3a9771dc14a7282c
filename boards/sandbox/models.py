"""What the fake boards keep: the jobs they received and the faults they are told to produce next."""

from django.db import models


class SandboxJob(models.Model):
    """A job as a fake board holds it (for NHS Jobs: a draft until someone publishes it on the sandbox page).

    `public_id` is the id the board gives out where it is not our row's number (JobSphere's "job_<hex>").
    """

    board = models.CharField(max_length=30, db_index=True)
    public_id = models.CharField(max_length=40, blank=True, db_index=True)
    idempotency_key = models.CharField(max_length=100, blank=True)
    reference = models.CharField(max_length=50, blank=True)
    status = models.CharField(max_length=20, default="draft")
    payload = models.JSONField(default=dict)
    update_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["board", "idempotency_key"], condition=~models.Q(idempotency_key=""), name="sandboxjob_idem"
            )
        ]

    def __str__(self) -> str:
        return f"{self.board} #{self.pk} {self.reference} ({self.status})"


class SandboxApplication(models.Model):
    """An application a candidate made on a fake board (through its page or its API), with the CV they gave.

    `cv` holds an uploaded CV's bytes (empty: the board's sample CV is served instead).
    """

    board = models.CharField(max_length=30, db_index=True)
    public_id = models.CharField(max_length=40, unique=True)
    job = models.ForeignKey(SandboxJob, on_delete=models.CASCADE, related_name="applications")
    candidate = models.JSONField(default=dict)
    cover_letter = models.TextField(blank=True)
    resume_url = models.URLField(max_length=500, blank=True)
    cv = models.BinaryField(blank=True, default=b"")
    cv_name = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=20, default="submitted")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.board} {self.public_id} for {self.job.reference} ({self.status})"


class SandboxDelivery(models.Model):
    """A webhook a fake board sent to our receiver (from a task, as a real board would), and how it went."""

    board = models.CharField(max_length=30, db_index=True)
    event_id = models.CharField(max_length=60)
    event_type = models.CharField(max_length=60)
    url = models.URLField(max_length=500)
    body = models.TextField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "sandbox deliveries"

    def __str__(self) -> str:
        return f"{self.board} {self.event_type} {self.event_id}"


class SandboxBoardSettings(models.Model):
    """A fake board's switches: whether it sends webhooks (off shows the polling fallback), how long its access
    tokens live (seconds), and whether it skips import callbacks (so polling completes them)."""

    board = models.CharField(max_length=30, unique=True)
    webhooks_enabled = models.BooleanField(default=True)
    token_lifetime_seconds = models.PositiveIntegerField(default=3600)
    skip_callback = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "sandbox board settings"

    def __str__(self) -> str:
        return f"{self.board} settings"

    @classmethod
    def for_board(cls, board: str) -> "SandboxBoardSettings":
        """The board's switches (the defaults until someone changes them)."""
        return cls.objects.get_or_create(board=board)[0]


class FaultKind(models.TextChoices):
    """What a fake board does instead of answering normally."""

    UNAVAILABLE = "503", "503 Service Unavailable"
    RATE_LIMITED = "429", "429 Too Many Requests (with Retry-After)"
    SLOW = "slow", "Slow response (then answers normally)"
    DROP = "drop", "Dropped connection"
    REJECT = "400", "400 with a field error"
    LOST_ANSWER = "lost", "Does the work, then answers 503 (the answer is lost)"


class SandboxFault(models.Model):
    """The next `remaining` calls to a board fail this way (the oldest fault is used up first)."""

    board = models.CharField(max_length=30, db_index=True)
    kind = models.CharField(max_length=10, choices=FaultKind.choices)
    remaining = models.PositiveIntegerField(default=1)
    retry_after = models.PositiveIntegerField(default=1, help_text="Seconds, for 429.")
    delay_seconds = models.FloatField(default=3.0, help_text="For slow responses.")
    field = models.CharField(max_length=50, blank=True, help_text="For 400: the board field named.")
    message = models.CharField(max_length=300, blank=True, help_text="For 400: the message.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.board}: {self.get_kind_display()} x{self.remaining}"


class SandboxToken(models.Model):
    """An access token a fake board issued through its OAuth 2.0 client credentials grant (NHSJob), kept as the
    SHA-256 hex digest of the token with its expiry: the board answers 401 to a token it does not know or that has
    expired. Its lifetime is the board's `SandboxBoardSettings.token_lifetime_seconds` when it was issued."""

    board = models.CharField(max_length=30, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    client_id = models.CharField(max_length=100)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.board} token for {self.client_id} (until {self.expires_at:%H:%M:%S})"


class SandboxImport(models.Model):
    """A job import a fake bulk board (LocumJobsOnline) accepted: the request as received (`body`), its progress
    (pending, running, complete), its results, and the callback it sent (`delivery`, none when skipped).

    `idempotency_key` is the request's Idempotency-Key: the same key again answers with this import, never a second.
    """

    board = models.CharField(max_length=30, db_index=True)
    public_id = models.CharField(max_length=40, unique=True)
    idempotency_key = models.CharField(max_length=100, blank=True)
    callback_url = models.URLField(max_length=500, blank=True)
    delete_jobs = models.BooleanField(default=False)
    body = models.TextField(help_text="The request body as received.")
    job_count = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, default="pending")
    requested_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    results = models.JSONField(null=True, blank=True)
    delivery = models.ForeignKey(
        SandboxDelivery, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", help_text="Its callback."
    )

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["board", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="sandboximport_idem",
            )
        ]

    def __str__(self) -> str:
        return f"{self.board} import {self.public_id} ({self.status})"
