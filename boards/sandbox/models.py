"""What the fake boards keep: the jobs they received and the faults they are told to produce next."""

from django.db import models


class SandboxJob(models.Model):
    """A job as a fake board holds it (for NHS Jobs: a draft until someone publishes it on the sandbox page)."""

    board = models.CharField(max_length=30, db_index=True)
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
