"""Reads for the data protection pages and commands: the retention dry run, and what is held for a person."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from recruitment.models import LegalHold
from recruitment.privacy.registry import Person, entries
from recruitment.privacy.retention import policies


@dataclass(frozen=True)
class RetentionReportLine:
    """One policy in the dry run: how many rows the next run would act on (and how), and why."""

    category: str
    label: str
    action: str
    period: str
    setting: str
    cutoff: datetime.datetime
    due: int
    reason: str


def retention_report(*, now: datetime.datetime | None = None) -> list[RetentionReportLine]:
    """What a retention run at `now` (default: the present) would remove, per category, without changing anything.

    The candidates line counts those left with no application once the run has anonymised the applications due.
    """
    now = now or timezone.now()
    lines = []
    for policy in policies():
        cutoff = policy.cutoff(now)
        lines.append(
            RetentionReportLine(
                category=policy.category,
                label=policy.label,
                action=policy.action,
                period=policy.period_text,
                setting=policy.setting,
                cutoff=cutoff,
                due=policy.due(cutoff).count(),
                reason=policy.reason,
            )
        )
    return lines


def active_legal_hold_count() -> int:
    """How many legal holds are on (each pauses retention and erasure for a candidate or an application)."""
    return LegalHold.objects.filter(lifted_at__isnull=True).count()


def personal_data_found(person: Person) -> dict[str, list[int]]:
    """The primary keys of the person's rows in every registered category (empty lists where there are none)."""
    return {entry.category: list(entry.find(person).values_list("pk", flat=True)) for entry in entries()}
