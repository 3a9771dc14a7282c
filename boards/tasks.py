"""django-q2 tasks: thin entry points that take primary keys and call the services.

Retries are ours, and their timing lives in the database (`Posting.next_attempt_at`, `InboundEvent.next_attempt_at`).
A short wait (at most BOARD_RETRY_INLINE_MAX_SECONDS, and only while the task stays well inside the cluster's timeout)
is slept inside the running task, which keeps tests and brief 503 blips quick and exact. A longer wait becomes a
one-off django-q Schedule at the due time: durable across restarts, visible in the admin, and at most one scheduler
tick (about 30 s) late, which is nothing next to real backoff delays. Either way the next run goes through the
service's claim, which only acts when the row is due and unclaimed, so a duplicate delivery or a stray schedule is
harmless; and the upkeep task finds whatever a lost task left behind.
"""

import datetime
import time
from collections.abc import Callable

from django.conf import settings
from django.utils import timezone
from django_q.models import Schedule
from django_q.tasks import schedule

from boards.base import Capability
from boards.models import BoardAccount
from boards.services.delivery import posting_attempt, postings_resume_overdue
from boards.services.imports import SEND_TASK, bulk_import_poll, bulk_import_send, bulk_imports_upkeep, feeds_sync_all
from boards.services.inbound import PROCESS_TASK, inbound_event_process, inbound_events_resume_overdue
from boards.services.polling import board_poll
from boards.services.postings import DELIVER_TASK
from boards.services.status_checks import posting_status_check


def _inline_budget(started: float) -> float:
    """Seconds this run may still sleep and make one more call without nearing the cluster's timeout."""
    call_time = settings.BOARD_CONNECT_TIMEOUT_SECONDS + settings.BOARD_READ_TIMEOUT_SECONDS
    return settings.Q_CLUSTER["timeout"] / 2 - (time.monotonic() - started) - call_time


def _until_settled(attempt: Callable[[], float | None], task: str, pk: int) -> None:
    """Run attempts until one settles; sleep short waits, schedule long ones (see the module)."""
    started = time.monotonic()
    while (delay := attempt()) is not None:
        if delay <= settings.BOARD_RETRY_INLINE_MAX_SECONDS and delay <= _inline_budget(started):
            time.sleep(delay)
            continue
        schedule(
            task,
            pk,
            schedule_type=Schedule.ONCE,
            repeats=1,
            next_run=timezone.now() + datetime.timedelta(seconds=delay),
        )
        return


def deliver_posting(posting_id: int) -> None:
    """Send a posting's pending operation, retrying temporary failures until it settles or a retry is scheduled."""
    _until_settled(lambda: posting_attempt(posting_id=posting_id), DELIVER_TASK, posting_id)


def process_inbound_event(event_id: int) -> None:
    """Process a stored inbound event, retrying temporary failures until it settles or a retry is scheduled."""
    _until_settled(lambda: inbound_event_process(event_id=event_id), PROCESS_TASK, event_id)


def check_posting_status(posting_id: int) -> None:
    """Read a waiting draft's status from its board, as its open posting page asked (no retries: the page asks
    again)."""
    posting_status_check(posting_id=posting_id)


def send_bulk_import(import_id: int) -> None:
    """Send a bulk import that is due, retrying temporary failures until it settles or a retry is scheduled."""
    _until_settled(lambda: bulk_import_send(import_id=import_id), SEND_TASK, import_id)


def poll_bulk_import(import_id: int) -> None:
    """Read an accepted import from its board, when its callback has not come (a one-off check after sending)."""
    bulk_import_poll(import_id=import_id)


def sync_feeds() -> None:
    """Nightly: a sync of every bulk board's feed."""
    feeds_sync_all()


def board_upkeep() -> None:
    """Every BOARD_UPKEEP_MINUTES (`boards.services.upkeep`): resume lost sends and event processing, resume and poll
    bulk imports, then poll the boards that can be polled (status changes, applications whose webhook never came)."""
    postings_resume_overdue()
    inbound_events_resume_overdue()
    bulk_imports_upkeep()
    for account in BoardAccount.objects.filter(enabled=True, needs_attention=False):
        if Capability.POLLING in account.adapter.capabilities:
            board_poll(account=account)
