"""Inbound events: stored raw with their processing task, processed once, retried with backoff, failed with a reason.

The receiver (`boards.views.webhooks`), the pollers (`boards.services.polling`) and import callbacks all end in
`inbound_events_receive`: each event is stored once per board and event id, in one transaction with the task that
processes it (`boards.queueing`). The task (`boards.tasks.process_inbound_event`) calls `inbound_event_process`,
which claims the event under a row lock (so two workers never process one event), runs its handler
(`boards.services.events`) with no transaction open during HTTP calls, and settles the outcome: processed,
ignored, retrying (temporary failures and exceptions, with backoff, up to BOARD_INBOUND_MAX_ATTEMPTS) or failed with
a reason people can read. The same event delivered again creates nothing; one that failed or is waiting to retry
is processed again at once.
"""

import datetime
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django_q.tasks import async_task

from boards.base import BoardEvent, BoardEventKind
from boards.errors import BoardAuthError, TemporaryBoardError
from boards.models import BoardAccount, InboundEvent, InboundSource, InboundStatus
from boards.queueing import enqueue_with_transaction
from boards.services.accounts import board_account_mark_attention
from boards.services.circuit import circuit_permit
from boards.services.delivery import recorder_for, retry_delay
from boards.services.events import EventFailed, EventNotReady, handle_event

logger = logging.getLogger(__name__)

PROCESS_TASK = "boards.tasks.process_inbound_event"
# Headers worth keeping with the raw body (the signature stays so the event can be verified again later).
_KEPT_HEADERS = ("content-type", "user-agent")


@dataclass(frozen=True)
class Receipt:
    """What happened to one received event: its row, and whether it was a repeat of one already stored."""

    event: InboundEvent
    duplicate: bool


def _kept_headers(headers: Mapping[str, str], names: Sequence[str]) -> dict[str, str]:
    wanted = {name.lower() for name in (*_KEPT_HEADERS, *names)}
    return {name: value for name, value in headers.items() if name.lower() in wanted}


def inbound_events_receive(
    *,
    account: BoardAccount,
    events: Sequence[BoardEvent],
    source: str = InboundSource.WEBHOOK,
    headers: Mapping[str, str] | None = None,
    body: bytes | str | None = None,
) -> list[Receipt]:
    """Store each event once (unique per board and event id), each in one transaction with its processing task.

    `body` is the raw body the events came in (a webhook's, verified by the caller); without one (a poll), each
    event's own data is stored as its body. An event of a kind we do not handle is stored and marked ignored. A
    repeat of a stored event creates nothing; if the stored one failed or waits to retry, it is queued again now.
    Each event commits on its own (inside a caller's transaction, each is a savepoint of it): an error on one leaves
    those before it stored, and the board's redelivery finds them as repeats.
    """
    adapter = account.adapter
    kept = _kept_headers(headers or {}, adapter.webhook_headers)
    raw = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    receipts = []
    for event in events:
        try:
            receipts.append(_store(account=account, event=event, source=source, headers=kept, raw=raw))
        except IntegrityError:
            receipts.append(_stored_again(account=account, event=event))
    return receipts


@transaction.atomic
def _store(*, account: BoardAccount, event: BoardEvent, source: str, headers: dict, raw: str | None) -> Receipt:
    """Store a new event with its processing task (or settled as ignored); IntegrityError when it is stored already.

    The insert is not wrapped in a savepoint of its own: a repeat rolls this transaction back whole, which costs two
    round trips less per event than catching it inside (`bench/webhooks.py`)."""
    row = InboundEvent.objects.create(
        account=account,
        board=account.board,
        event_id=event.event_id[:200],
        source=source,
        kind=event.kind,
        raw_type=event.raw_type[:100],
        board_job_id=event.board_job_id[:100],
        board_application_id=event.board_application_id[:100],
        reference=event.reference[:100],
        status_word=event.status[:40],
        data=dict(event.data),
        headers=headers,
        body=raw if raw is not None else json.dumps(dict(event.data), default=str),
        occurred_at=event.occurred_at,
    )
    if row.kind == BoardEventKind.UNKNOWN:
        _settle(row, InboundStatus.IGNORED, f"{account.adapter.name} event type {row.raw_type!r} is not one we act on.")
    else:
        enqueue_with_transaction(PROCESS_TASK, row.pk, task_name=f"inbound-{row.pk}")
    return Receipt(event=row, duplicate=False)


@transaction.atomic
def _stored_again(*, account: BoardAccount, event: BoardEvent) -> Receipt:
    """A repeat of a stored event: queue it again if it failed or waits to retry. `InboundEvent.DoesNotExist` when
    none is stored (the insert failed for another reason, e.g. an account removed since it was read)."""
    row = InboundEvent.objects.select_for_update().get(board=account.board, event_id=event.event_id[:200])
    if row.status in (InboundStatus.FAILED, InboundStatus.RETRYING):
        _requeue(row)
    return Receipt(event=row, duplicate=True)


def _requeue(row: InboundEvent) -> None:
    """Make a (locked) event due now and queue its processing; its last error stays until the next outcome."""
    row.status, row.next_attempt_at, row.claimed_at = InboundStatus.PENDING, None, None
    row.save(update_fields=["status", "next_attempt_at", "claimed_at"])
    enqueue_with_transaction(PROCESS_TASK, row.pk, task_name=f"inbound-{row.pk}-again")


@transaction.atomic
def inbound_event_reprocess(*, event: InboundEvent) -> InboundEvent:
    """Process an event again (the admin's "process again", e.g. once a vacancy is posted or credentials fixed),
    whatever its status except while it is being processed. Its attempts start again from zero."""
    row = InboundEvent.objects.select_for_update().get(pk=event.pk)
    if row.status == InboundStatus.PROCESSING:
        return row
    row.attempts = 0
    row.save(update_fields=["attempts"])
    _requeue(row)
    return row


def inbound_events_resume_overdue() -> int:
    """Queue again every event whose processing should have happened by now (its task was lost, or its retry is
    due): pending for over a minute, due to retry for over a minute, or claimed longer ago than the lease.
    Returns how many. Processing stays safe to duplicate (the claim)."""
    now = timezone.now()
    minute_ago = now - datetime.timedelta(minutes=1)
    lease = datetime.timedelta(seconds=settings.BOARD_SENDING_LEASE_SECONDS)
    ids = list(
        InboundEvent.objects.filter(
            Q(status=InboundStatus.PENDING, received_at__lt=minute_ago, next_attempt_at__isnull=True)
            | Q(status__in=[InboundStatus.PENDING, InboundStatus.RETRYING], next_attempt_at__lt=minute_ago)
            | Q(status=InboundStatus.PROCESSING, claimed_at__lt=now - lease)
        ).values_list("pk", flat=True)
    )
    for pk in ids:
        async_task(PROCESS_TASK, pk, task_name=f"inbound-{pk}-resume")
    return len(ids)


def inbound_event_process(*, event_id: int) -> float | None:
    """Process one event if it is due and nobody else is processing it.

    Returns the seconds to wait before the next try after a temporary failure, else None (settled, not due, or
    gone). Never raises: every outcome is recorded on the event.
    """
    row = _claim(event_id)
    if row is None or isinstance(row, float):
        return row
    account = row.account
    recorder = recorder_for(account_id=account.pk, inbound_event_id=row.pk)
    try:
        handled = handle_event(event=row, account=account, recorder=recorder)
    except EventFailed as exc:
        _settle_by_pk(row.pk, InboundStatus.FAILED, exc.reason, posting_id=exc.posting.pk if exc.posting else None)
    except BoardAuthError as exc:
        reason = board_account_mark_attention(account_id=account.pk, error=exc)
        _settle_by_pk(row.pk, InboundStatus.FAILED, f"{reason} Process the event again once the account is fixed.")
    except (EventNotReady, TemporaryBoardError) as exc:
        return _retry_later(row.pk, exc.reason if isinstance(exc, EventNotReady) else exc.message, exc)
    except Exception as exc:
        logger.exception("Inbound event %s failed while processing", row.pk)
        return _retry_later(row.pk, f"Processing failed: {type(exc).__name__}: {exc}", exc)
    else:
        _settle_by_pk(
            row.pk,
            handled.status,
            handled.note,
            posting_id=handled.posting.pk if handled.posting else None,
            application_id=handled.application.pk if handled.application else None,
        )
    return None


@transaction.atomic
def _claim(event_id: int) -> InboundEvent | float | None:
    """Mark the event as processing if it is due; None when it is not (or it is gone, or failed for good here); the
    seconds to wait when the account's circuit is open (no attempt is counted)."""
    row = InboundEvent.objects.select_for_update().select_related("account").filter(pk=event_id).first()
    if row is None:
        return None
    now = timezone.now()
    due = row.status in (InboundStatus.PENDING, InboundStatus.RETRYING) and (
        row.next_attempt_at is None or row.next_attempt_at <= now
    )
    lease = datetime.timedelta(seconds=settings.BOARD_SENDING_LEASE_SECONDS)
    abandoned = row.status == InboundStatus.PROCESSING and (row.claimed_at is None or row.claimed_at < now - lease)
    if not (due or abandoned):
        return None
    if abandoned and row.attempts >= settings.BOARD_INBOUND_MAX_ATTEMPTS:
        _settle(
            row, InboundStatus.FAILED, f"Gave up after {row.attempts} tries: processing never finished (timed out)."
        )
        return None
    if (wait := circuit_permit(account_id=row.account_id)) is not None:
        row.status, row.claimed_at = InboundStatus.RETRYING, None
        row.next_attempt_at = now + datetime.timedelta(seconds=wait)
        row.last_error = f"{row.account.name} is not answering: calls are paused, then one try is made."
        row.save(update_fields=["status", "claimed_at", "next_attempt_at", "last_error"])
        return wait
    row.status, row.claimed_at, row.attempts = InboundStatus.PROCESSING, now, row.attempts + 1
    row.save(update_fields=["status", "claimed_at", "attempts"])
    return row


def _settle(row: InboundEvent, status: str, note: str, **links) -> None:
    """Record how a (locked) event ended: the reason of a failure in `last_error`, anything else in `note`."""
    row.status = status
    if status == InboundStatus.FAILED:
        row.last_error = note
    else:
        row.note, row.last_error = note, ""
    row.processed_at = timezone.now()
    row.next_attempt_at = row.claimed_at = None
    for name, value in links.items():
        if value is not None:
            setattr(row, name, value)
    row.save()


@transaction.atomic
def _settle_by_pk(event_id: int, status: str, note: str, **links) -> None:
    row = InboundEvent.objects.select_for_update().get(pk=event_id)
    _settle(row, status, note, **links)


@transaction.atomic
def _retry_later(event_id: int, reason: str, error: Exception) -> float | None:
    row = InboundEvent.objects.select_for_update().get(pk=event_id)
    if row.attempts >= settings.BOARD_INBOUND_MAX_ATTEMPTS:
        _settle(row, InboundStatus.FAILED, f"Gave up after {row.attempts} tries: {reason}")
        return None
    retry_after = error.retry_after if isinstance(error, TemporaryBoardError) else None
    delay = retry_delay(attempt=row.attempts, retry_after=retry_after)
    row.status, row.last_error, row.claimed_at = InboundStatus.RETRYING, reason, None
    row.next_attempt_at = timezone.now() + datetime.timedelta(seconds=delay)
    row.save(update_fields=["status", "last_error", "claimed_at", "next_attempt_at"])
    return delay
