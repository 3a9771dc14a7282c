"""Data protection records: legal holds, the audit of what retention and erasure removed, and the DBS viewer log.

The code that uses them lives in `recruitment.privacy` (registry, retention, subject access, erasure).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from recruitment.models.applications import Application
from recruitment.models.candidates import Candidate


class LegalHold(models.Model):
    """A legal hold (e.g. a tribunal claim) on a candidate or on one application: while it is on (not lifted),
    retention and erasure leave that person's or that application's data exactly as it is.

    A hold on a candidate covers all of their applications. Set and lifted only through `recruitment.privacy.holds`,
    which record who and when; the reason is free text and so personal data (exported with the person, deleted with
    them once lifted).
    """

    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, null=True, blank=True, related_name="legal_holds"
    )
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, null=True, blank=True, related_name="legal_holds"
    )
    reason = models.TextField(help_text="Why the data must be kept, e.g. 'Employment tribunal claim 1234/2026'.")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-set_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(candidate__isnull=False, application__isnull=True)
                | Q(candidate__isnull=True, application__isnull=False),
                name="legalhold_on_candidate_or_application",
            ),
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True, lifted_by__isnull=True)
                | Q(lifted_at__isnull=False, lifted_by__isnull=False),
                name="legalhold_lifted_by_and_when",
            ),
        ]
        indexes = [models.Index(fields=["lifted_at"])]

    def __str__(self) -> str:
        target = f"candidate #{self.candidate_id}" if self.candidate_id else f"application #{self.application_id}"
        return f"Legal hold on {target}{' (lifted)' if self.lifted_at else ''}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class RemovalTrigger(models.TextChoices):
    """What removed the data: the daily retention run (or its command), or an erasure request."""

    RETENTION = "retention", "Retention policy"
    ERASURE = "erasure", "Erasure on request"


class RemovalAudit(models.Model):
    """One category's count in one retention run or erasure: what category, how many rows, when, by whom.

    Never holds the personal data itself (nor whose it was): a run writes one row per category, and its batches
    add to `removed` as they commit, so a run stopped half-way still says what it did.
    """

    run = models.UUIDField(default=uuid.uuid4, db_index=True, help_text="The run (or erasure) the row belongs to.")
    trigger = models.CharField(max_length=10, choices=RemovalTrigger.choices)
    category = models.CharField(max_length=50)
    action = models.CharField(max_length=20, help_text="What happened to the rows: deleted, anonymised, reduced.")
    removed = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who asked for the erasure (empty for the scheduled retention run).",
    )

    class Meta:
        ordering = ["-started_at", "category"]
        constraints = [models.UniqueConstraint(fields=["run", "category"], name="removalaudit_one_per_run_category")]

    def __str__(self) -> str:
        return f"{self.get_trigger_display()}: {self.category} {self.action} {self.removed}"


class DbsViewChannel(models.TextChoices):
    """Where DBS certificate details were shown."""

    BACKOFFICE = "backoffice", "Back-office page"
    ADMIN = "admin", "Admin"
    API = "api", "Partner API"


class DbsViewLog(models.Model):
    """One display of a DBS check's certificate details: who saw which check, when, and where.

    It names the check by its id only (no foreign key, no contents), so it survives the check's purge and even its
    deletion; the viewer's username is copied so the log stays readable if the account goes.
    """

    dbs_check_id = models.BigIntegerField(db_index=True, help_text="The id of the DBS check that was shown.")
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    viewer_username = models.CharField(max_length=150)
    channel = models.CharField(max_length=10, choices=DbsViewChannel.choices)
    viewed_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "DBS viewer log entry"
        verbose_name_plural = "DBS viewer log entries"
        ordering = ["-viewed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.viewer_username} saw DBS check #{self.dbs_check_id} ({self.get_channel_display()})"
