"""django-q2 tasks: thin entry points that take primary keys and call the services.

Retries are ours, and their timing lives in the database (`Posting.next_attempt_at`). A short wait (at most
BOARD_RETRY_INLINE_MAX_SECONDS, and only while the task stays well inside the cluster's timeout) is slept inside the
running task, which keeps tests and brief 503 blips quick and exact. A longer wait becomes a one-off django-q
Schedule at `next_attempt_at`: durable across restarts, visible in the admin, and at most one scheduler tick (about
30 s) late, which is nothing next to real backoff delays. Either way the next run goes through `posting_attempt`,
which only acts when the posting is due and unclaimed, so a duplicate delivery or a stray schedule is harmless.
"""

import datetime
import time

from django.conf import settings
from django.utils import timezone
from django_q.models import Schedule
from django_q.tasks import schedule

from boards.base import Capability
from boards.models import BoardAccount
from boards.services import DELIVER_TASK, board_poll, posting_attempt, postings_resume_overdue


def _inline_budget(started: float) -> float:
    """Seconds this run may still sleep and make one more call without nearing the cluster's timeout."""
    call_time = settings.BOARD_CONNECT_TIMEOUT_SECONDS + settings.BOARD_READ_TIMEOUT_SECONDS
    return settings.Q_CLUSTER["timeout"] / 2 - (time.monotonic() - started) - call_time


def deliver_posting(posting_id: int) -> None:
    """Send a posting's pending operation, retrying temporary failures until it settles or a retry is scheduled."""
    started = time.monotonic()
    while (delay := posting_attempt(posting_id=posting_id)) is not None:
        if delay <= settings.BOARD_RETRY_INLINE_MAX_SECONDS and delay <= _inline_budget(started):
            time.sleep(delay)
            continue
        schedule(
            DELIVER_TASK,
            posting_id,
            schedule_type=Schedule.ONCE,
            repeats=1,
            next_run=timezone.now() + datetime.timedelta(seconds=delay),
        )
        return


def board_upkeep() -> None:
    """Every quarter of an hour (`services.upkeep_schedule_ensure`): resume lost sends, then poll the boards that
    can be polled for status changes (a draft published on NHS Jobs, say)."""
    postings_resume_overdue()
    for account in BoardAccount.objects.filter(enabled=True, needs_attention=False):
        if Capability.POLLING in account.adapter.capabilities:
            board_poll(account=account)
