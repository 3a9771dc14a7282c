"""What the worker does with a posting: one call per attempt, claimed under a lock, settled with the outcome.

Sending is split in three so no database transaction is open during an HTTP call (the SQLite file would stay locked,
and a slow board would hold row locks): `_claim` marks the posting as sending under a row lock and commits, the call
is made, and `_settle_*` records the outcome under the lock again. A second worker that gets the same task finds the
posting already claimed or settled and does nothing; a create retried after a lost answer carries the same
idempotency key (and our vacancy reference, which boards dedupe on), so the board returns the job it already made.
"""

import datetime
import random

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_q.tasks import async_task

from boards import selectors
from boards.base import BoardAdapter, NotSupported, PublishResult, Recorder
from boards.errors import BoardAuthError, PermanentBoardError, TemporaryBoardError
from boards.models import BoardAccount, Posting, PostingStatus, PublishAttempt
from boards.services.accounts import board_account_mark_attention
from boards.services.circuit import circuit_permit, circuit_record
from boards.services.postings import DELIVER_TASK
from boards.types import CallRecord, Operation


def retry_delay(*, attempt: int, retry_after: float | None, rng: random.Random | None = None) -> float:
    """Seconds before the next try: exponential backoff from the base, capped, with "equal jitter" (half fixed,
    half random, so retries of many postings spread out), and never sooner than the board's Retry-After."""
    base, cap = settings.BOARD_RETRY_BASE_SECONDS, settings.BOARD_RETRY_MAX_SECONDS
    backoff = min(cap, base * 2 ** max(0, attempt - 1))
    jittered = backoff / 2 + (rng or random).uniform(0, backoff / 2)
    return max(jittered, retry_after or 0.0)


def recorder_for(
    *,
    account_id: int,
    posting_id: int | None = None,
    inbound_event_id: int | None = None,
    bulk_import_id: int | None = None,
) -> Recorder:
    """Store each call as a PublishAttempt at once (autocommit: the row survives whatever happens next), and count
    its outcome for the account's circuit breaker."""

    def record(call: CallRecord) -> None:
        circuit_record(account_id=account_id, outcome=call.outcome)
        PublishAttempt.objects.create(
            account_id=account_id,
            posting_id=posting_id,
            inbound_event_id=inbound_event_id,
            bulk_import_id=bulk_import_id,
            operation=call.operation,
            method=call.method,
            url=call.url[:500],
            status_code=call.status_code,
            outcome=call.outcome,
            duration_ms=call.duration_ms,
            error=call.error,
            request_summary=call.request_summary,
            response_summary=call.response_summary,
        )

    return record


def postings_resume_overdue() -> int:
    """Queue again every send that should have happened by now but did not (its task was lost: a worker killed
    mid-call, a cluster stopped during a wait). Returns how many. The sends stay safe to duplicate."""
    ids = list(selectors.postings_overdue(now=timezone.now()).values_list("pk", flat=True))
    for posting_id in ids:
        async_task(DELIVER_TASK, posting_id, task_name=f"posting-{posting_id}-resume")
    return len(ids)


def posting_attempt(*, posting_id: int) -> float | None:
    """Make one call for the posting's pending operation, if it is due and nobody else is making it.

    Returns the seconds to wait before the next try after a temporary failure, else None (done, failed for good,
    not due, or gone). Never raises for a board's answer: every outcome is recorded on the posting.
    """
    posting = _claim(posting_id)
    if posting is None or isinstance(posting, float):
        return posting
    adapter = posting.account.adapter
    try:
        result = _perform(adapter, posting, recorder_for(account_id=posting.account_id, posting_id=posting.pk))
    except TemporaryBoardError as exc:
        return _settle_temporary(posting_id, exc)
    except BoardAuthError as exc:
        _settle_auth(posting_id, exc)
    except PermanentBoardError as exc:
        _settle_permanent(posting_id, adapter, exc)
    except NotSupported as exc:
        _settle_permanent(posting_id, adapter, PermanentBoardError(str(exc)))
    else:
        _settle_success(posting_id, result)
    return None


@transaction.atomic
def _claim(posting_id: int) -> Posting | float | None:
    """Mark the posting as sending if its operation is due; None when it is not (or the posting is gone, or has
    failed for good here); the seconds to wait when the account's circuit is open (no attempt is counted)."""
    posting = Posting.objects.select_for_update().filter(pk=posting_id).first()
    if posting is None:
        return None
    now = timezone.now()
    due = posting.status in (PostingStatus.QUEUED, PostingStatus.RETRYING) and (
        posting.next_attempt_at is None or posting.next_attempt_at <= now
    )
    lease = datetime.timedelta(seconds=settings.BOARD_SENDING_LEASE_SECONDS)
    abandoned = posting.status == PostingStatus.SENDING and (
        posting.claimed_at is None or posting.claimed_at < now - lease
    )
    if not (due or abandoned):
        return None
    account = BoardAccount.objects.get(pk=posting.account_id)
    if not account.enabled or account.needs_attention:
        reason = account.attention_reason or f"{account.name} is switched off."
        check = account.adapter.check_credentials
        _fail(posting, f"Not sent: {reason}", {"": [f"{account.name} needs attention: {check}."]})
        return None
    if abandoned and posting.attempt_count >= settings.BOARD_RETRY_MAX_ATTEMPTS:
        # Each try was cut off (the worker's timeout, or the worker killed): our own ceiling, not the queue's.
        _fail(posting, f"{account.name}: no try finished in {posting.attempt_count} tries (each one timed out).", {})
        return None
    if (wait := circuit_permit(account_id=account.pk)) is not None:
        posting.status, posting.claimed_at = PostingStatus.RETRYING, None
        posting.next_attempt_at = now + datetime.timedelta(seconds=wait)
        posting.last_error = f"{account.name} is not answering: calls are paused, then one try is made."
        posting.save(update_fields=["status", "claimed_at", "next_attempt_at", "last_error", "updated_at"])
        return wait
    posting.status, posting.claimed_at = PostingStatus.SENDING, now
    posting.attempt_count += 1
    posting.save(update_fields=["status", "claimed_at", "attempt_count", "updated_at"])
    posting.account = account
    return posting


def _perform(adapter: BoardAdapter, posting: Posting, recorder: Recorder) -> PublishResult:
    account = posting.account
    if posting.operation == Operation.PUBLISH:
        return adapter.publish(
            account=account, values=posting.values, client_reference=str(posting.client_reference), recorder=recorder
        )
    if posting.operation == Operation.UPDATE:
        return adapter.update(account=account, board_id=posting.board_id, values=posting.values, recorder=recorder)
    if posting.operation == Operation.CLOSE:
        return adapter.close(account=account, board_id=posting.board_id, recorder=recorder)
    return adapter.fetch_status(account=account, board_id=posting.board_id, recorder=recorder)


def _locked(posting_id: int) -> Posting:
    return Posting.objects.select_for_update().select_related("account").get(pk=posting_id)


def _fail(posting: Posting, message: str, field_errors: dict[str, list[str]]) -> None:
    posting.status, posting.last_error, posting.field_errors = PostingStatus.FAILED, message, field_errors
    posting.next_attempt_at = posting.claimed_at = None
    posting.save()


@transaction.atomic
def _settle_success(posting_id: int, result: PublishResult) -> None:
    posting = _locked(posting_id)
    if posting.operation == Operation.PUBLISH and not posting.board_id:
        posting.board_id = result.board_id
    if posting.operation in (Operation.PUBLISH, Operation.UPDATE):
        posting.posted_at = timezone.now()
    if result.status is not None:
        posting.board_status, posting.board_status_raw = result.status, result.raw_status
    posting.status = PostingStatus.POSTED
    posting.field_errors, posting.last_error = {}, ""
    posting.next_attempt_at = posting.claimed_at = None
    posting.save()


@transaction.atomic
def _settle_temporary(posting_id: int, error: TemporaryBoardError) -> float | None:
    posting = _locked(posting_id)
    name = posting.account.name
    if posting.attempt_count >= settings.BOARD_RETRY_MAX_ATTEMPTS:
        _fail(posting, f"{name} could not be reached after {posting.attempt_count} tries: {error.message}", {})
        return None
    delay = retry_delay(attempt=posting.attempt_count, retry_after=error.retry_after)
    posting.status = PostingStatus.RETRYING
    posting.last_error = f"{error.message} Trying again shortly."
    posting.next_attempt_at = timezone.now() + datetime.timedelta(seconds=delay)
    posting.claimed_at = None
    posting.save()
    return delay


@transaction.atomic
def _settle_auth(posting_id: int, error: BoardAuthError) -> None:
    posting = _locked(posting_id)
    reason = board_account_mark_attention(account_id=posting.account_id, error=error)
    check = posting.account.adapter.check_credentials
    code = f"{error.status_code} Error: " if error.status_code else ""
    _fail(posting, reason, {"": [f"{code}{check}."]})


@transaction.atomic
def _settle_permanent(posting_id: int, adapter: BoardAdapter, error: PermanentBoardError) -> None:
    posting = _locked(posting_id)
    field_errors = adapter.form_errors(error.field_errors)
    if not field_errors:
        field_errors[""] = [error.message]
    code = f"{error.status_code} Error: " if error.status_code else ""
    _fail(posting, f"{code}{posting.account.name} rejected some of the data.", field_errors)
