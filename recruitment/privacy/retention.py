"""Retention policies and the run that applies them in batches.

A policy names a category of personal data, the setting that holds its period (with the unit), the reason for it,
which rows are due at a cutoff, and what to do with a batch of them (delete, anonymise, reduce). Apps register
their policies when they are ready, like their registry entries (`recruitment.privacy.catalogue`,
`boards/privacy.py`); the README's "Personal data" section lists them with their defaults and reasons.

`retention_apply` works through every policy in turn, a batch at a time (RETENTION_BATCH_SIZE rows: only that
batch's ids are in memory), each batch in its own transaction (files leave storage after it commits), and adds the
batch's count to the run's audit row for the category (`RemovalAudit`, one per run and category). It can stop after
a time budget and be called again with the same run to carry on, which is how the daily task stays inside the task
worker's timeout. Rows under a legal hold are never due. Running it twice is harmless: what was done is no longer
due.
"""

import datetime
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from recruitment.models import RemovalAudit, RemovalTrigger

UNITS = ("months", "days", "hours")


@dataclass(frozen=True)
class RetentionPolicy:
    """One category's retention: after `period` (the setting `setting`, in `unit`) the due rows are `action`.

    `due(cutoff)` returns the rows due when everything older than `cutoff` must go (legal holds already left out);
    `apply(pks, now)` acts on one batch of them inside a transaction and returns how many it changed.
    """

    category: str
    label: str
    action: str
    setting: str
    unit: str
    reason: str
    due: Callable[[datetime.datetime], QuerySet]
    apply: Callable[[Sequence[int], datetime.datetime], int]

    @property
    def amount(self) -> int:
        return getattr(settings, self.setting)

    def cutoff(self, now: datetime.datetime) -> datetime.datetime:
        """Rows whose clock started before this moment are due (calendar months: 6 months before 31 August is
        28 or 29 February)."""
        return now - relativedelta(**{self.unit: self.amount})

    @property
    def period_text(self) -> str:
        unit = self.unit[:-1] if self.amount == 1 else self.unit
        return f"{self.amount} {unit}"


_POLICIES: dict[str, RetentionPolicy] = {}


def register_policy(policy: RetentionPolicy) -> None:
    """Add a retention policy; policies run in the order they were registered."""
    if policy.category in _POLICIES:
        raise ImproperlyConfigured(f"The retention category {policy.category!r} is already registered.")
    if policy.unit not in UNITS:
        raise ImproperlyConfigured(f"{policy.category}: the unit must be one of {', '.join(UNITS)}.")
    _POLICIES[policy.category] = policy


def policies() -> tuple[RetentionPolicy, ...]:
    return tuple(_POLICIES.values())


@dataclass(frozen=True)
class RetentionResult:
    """What a call of `retention_apply` did: the run (pass it back to carry on), the moment the run counts from,
    how many rows each category lost in this call, and whether every policy is done."""

    run: uuid.UUID
    now: datetime.datetime
    counts: dict[str, int]
    finished: bool


def _audit_row(run: uuid.UUID, policy: RetentionPolicy, started: datetime.datetime) -> RemovalAudit:
    row, _ = RemovalAudit.objects.get_or_create(
        run=run,
        category=policy.category,
        defaults={"trigger": RemovalTrigger.RETENTION, "action": policy.action, "started_at": started},
    )
    return row


@transaction.atomic
def _apply_batch(
    policy: RetentionPolicy, cutoff: datetime.datetime, now: datetime.datetime, pks: list[int], audit: RemovalAudit
) -> int:
    """Lock the batch's rows that are still due (another run may have taken some), act on them, and add the count to
    the run's audit row, all in one transaction."""
    locked = list(
        policy.due(cutoff)
        .filter(pk__in=pks)
        .select_for_update(skip_locked=True, of=("self",))
        .values_list("pk", flat=True)
    )
    done = policy.apply(locked, now) if locked else 0
    if done:
        RemovalAudit.objects.filter(pk=audit.pk).update(removed=F("removed") + done)
    return done


def retention_apply(
    *,
    run: uuid.UUID | None = None,
    now: datetime.datetime | None = None,
    time_budget: float | None = None,
    batch_size: int | None = None,
) -> RetentionResult:
    """Apply every policy to the rows due at `now` (default: the present), a batch at a time.

    With `time_budget` (seconds), returns unfinished once it is spent; call again with the returned run and now to
    carry on (the audit rows of the run keep adding up). Returns the counts of this call per category.
    """
    run = run or uuid.uuid4()
    now = now or timezone.now()
    size = batch_size or settings.RETENTION_BATCH_SIZE
    deadline = None if time_budget is None else time.monotonic() + time_budget
    counts: dict[str, int] = {}
    for policy in policies():
        audit = _audit_row(run, policy, timezone.now())
        if audit.finished_at is not None:
            continue
        cutoff = policy.cutoff(now)
        after = 0
        while True:
            pks = list(policy.due(cutoff).filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)[:size])
            if not pks:
                break
            done = _apply_batch(policy, cutoff, now, pks, audit)
            if done:
                counts[policy.category] = counts.get(policy.category, 0) + done
            after = pks[-1]
            # Checked after a batch, so every call makes progress however small the budget.
            if deadline is not None and time.monotonic() > deadline:
                return RetentionResult(run=run, now=now, counts=counts, finished=False)
        RemovalAudit.objects.filter(pk=audit.pk).update(finished_at=timezone.now())
    return RetentionResult(run=run, now=now, counts=counts, finished=True)
