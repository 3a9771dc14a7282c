"""Bulk imports: a bulk board's whole feed sent in one import, and the board's results mapped back onto postings.

A **sync** sends every job of the account that should be live (`boards.selectors.feed_postings`), telling the board
to delete the others, so vacancies closed here, or taken out of the feed, come down there. It is asked for
(`feed_sync_request`) by a change to a vacancy in the feed (debounced: the first change makes a waiting import due
BOARD_FEED_SYNC_DELAY_SECONDS later and the changes made meanwhile join it), by a recruiter's "Sync now" (due at
once) and by the nightly schedule. An import is sent (`bulk_import_send`) when it is due and no other import of its
account is in flight; the next one waits for it (both at most one per account: database constraints), and is sent
when the one in flight settles.

Sending is split like a posting's delivery, so no transaction is open during the HTTP call: the claim marks the
import as sending, marks the postings it carries and stores them in order (`items`), then the call is made, then its
outcome is recorded under the row lock. Temporary failures are retried with backoff and Retry-After; every retry
carries the import's idempotency key, so a 202 lost on its way back (the board did the work) makes no second import:
the board answers the retry with the import it already made. A refusal (4xx) fails the import with the board's
message, a refused token marks the account as needing attention.

The board's **results** arrive by its callback (`bulk_import_callback_receive`: stored as an inbound event and
processed by a task, accepted once per import, the import's token being the credential), or, when they have not
been recorded within BOARD_IMPORT_CALLBACK_GRACE_SECONDS (no callback came, or it could not be applied), by polling
the import (`bulk_import_poll`: a one-off check then, and the upkeep task after that).
`bulk_import_complete` records them once, whichever way they came, and maps them onto postings: each refused job, by
its index in the import (checked against its reference, else found by its reference), is failed with the board's
messages against the fields they name; every other job carried is live; and the account's jobs the import did not
carry are closed (the board deleted them).
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext
from django_q.models import Schedule
from django_q.tasks import async_task, schedule

from boards import selectors
from boards.base import BoardEvent, BoardEventKind, Capability, ImportResults, ImportState, ImportStatus, NotSupported
from boards.errors import BoardAuthError, BoardError, PermanentBoardError, TemporaryBoardError
from boards.models import (
    IMPORT_IN_FLIGHT_STATUSES,
    BoardAccount,
    BulkImport,
    BulkImportStatus,
    ImportTrigger,
    InboundSource,
    Posting,
    PostingStatus,
)
from boards.services.accounts import board_account_mark_attention
from boards.services.circuit import circuit_permit
from boards.services.delivery import recorder_for, retry_delay
from boards.services.inbound import inbound_events_receive
from boards.types import BoardStatus
from recruitment.errors import DomainError
from recruitment.models import Vacancy

logger = logging.getLogger(__name__)

SEND_TASK = "boards.tasks.send_bulk_import"
POLL_TASK = "boards.tasks.poll_bulk_import"
NIGHTLY_TASK = "boards.tasks.sync_feeds"
NIGHTLY_SCHEDULE_NAME = "Job boards nightly feed sync"
# Refused jobs are written back in batches of this many (one UPDATE each).
_FAILED_BATCH = 500


class ImportMismatch(ValueError):
    """A callback about another import than the one its address is for, or about one not complete."""


def is_bulk_board(account: BoardAccount) -> bool:
    """Whether the account's board takes its jobs in bulk imports."""
    return Capability.BULK_IMPORT in account.adapter.capabilities


def callback_url(row: BulkImport) -> str:
    """Where the board tells us the import is complete: `/boards/<board>/imports/<token>/callback/` on SITE_URL."""
    path = reverse("boards:bulk-import-callback", args=[row.account.board, row.token])
    return f"{settings.SITE_URL.rstrip('/')}{path}"


# --- Asking for a sync ----------------------------------------------------------------------------------------------


@transaction.atomic
def feed_sync_request(
    *,
    account: BoardAccount,
    trigger: str = ImportTrigger.CHANGE,
    user: AbstractBaseUser | None = None,
    at_once: bool = False,
) -> BulkImport:
    """Ask for a sync of the account's feed; returns the waiting import that will carry it.

    The first ask makes a waiting import, due BOARD_FEED_SYNC_DELAY_SECONDS from now (`at_once`: now); asks while
    it waits join it (an `at_once` ask brings it forward). Its sending is queued for when it is due, once the
    transaction commits. Raises DomainError for a board that takes no bulk imports.
    """
    adapter = account.adapter
    if Capability.BULK_IMPORT not in adapter.capabilities:
        raise DomainError(f"{adapter.name} takes jobs one by one: it has no feed to sync.")
    now = timezone.now()
    due = now if at_once else now + datetime.timedelta(seconds=settings.BOARD_FEED_SYNC_DELAY_SECONDS)
    row = BulkImport.objects.select_for_update().filter(account=account, status=BulkImportStatus.QUEUED).first()
    if row is None:
        try:
            with transaction.atomic():
                row = BulkImport.objects.create(account=account, trigger=trigger, requested_by=user, due_at=due)
        except IntegrityError:
            # Another request made the waiting import meanwhile: join it.
            row = BulkImport.objects.select_for_update().get(account=account, status=BulkImportStatus.QUEUED)
        else:
            transaction.on_commit(lambda: _queue_send(row.pk, row.due_at))
            return row
    if due < row.due_at:
        row.due_at, row.trigger, row.requested_by = due, trigger, user or row.requested_by
        row.save(update_fields=["due_at", "trigger", "requested_by"])
        transaction.on_commit(lambda: _queue_send(row.pk, row.due_at))
    return row


def feed_sync_now(*, account: BoardAccount, user: AbstractBaseUser | None) -> BulkImport:
    """A recruiter's "Sync now": a sync due at once; refused (DomainError) while the account cannot send."""
    if not account.enabled or account.needs_attention:
        reason = account.attention_reason or f"{account.name} is switched off."
        raise DomainError(f"{account.name} needs attention: {reason} Nothing was sent.")
    return feed_sync_request(account=account, trigger=ImportTrigger.RECRUITER, user=user, at_once=True)


def feeds_sync_all() -> int:
    """The nightly sync: one import due at once for every enabled bulk board account. Returns how many."""
    count = 0
    for account in BoardAccount.objects.filter(enabled=True):
        if is_bulk_board(account):
            feed_sync_request(account=account, trigger=ImportTrigger.SCHEDULE, at_once=True)
            count += 1
    return count


def feed_sync_for_vacancy(*, vacancy: Vacancy) -> int:
    """A vacancy was advertised, changed or ended: ask for a (debounced) sync of every bulk board feed it is in,
    or whose board still has its job. Returns how many syncs were asked for."""
    postings = Posting.objects.filter(vacancy=vacancy, account__enabled=True).select_related("account")
    accounts = {
        posting.account_id: posting.account
        for posting in postings
        if (posting.in_feed or posting.board_status == BoardStatus.LIVE) and is_bulk_board(posting.account)
    }
    for account in accounts.values():
        feed_sync_request(account=account)
    return len(accounts)


def _queue_send(import_id: int, due_at: datetime.datetime) -> None:
    """Run the sending task now, or schedule it for when the import is due (a one-off django-q schedule)."""
    if due_at <= timezone.now():
        async_task(SEND_TASK, import_id, task_name=f"bulk-import-{import_id}")
    else:
        schedule(SEND_TASK, import_id, schedule_type=Schedule.ONCE, repeats=1, next_run=due_at)


def feed_sync_schedule_ensure() -> Schedule:
    """The nightly schedule of `boards.tasks.sync_feeds` at BOARD_FEED_SYNC_TIME (local time), made once and kept
    in step with the setting; safe to call again (`boards.apps` calls it after every migrate)."""
    hour, minute = (int(part) for part in settings.BOARD_FEED_SYNC_TIME.split(":"))
    now = timezone.localtime()
    next_run = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if next_run <= now:
        next_run += datetime.timedelta(days=1)
    scheduled, _ = Schedule.objects.update_or_create(
        name=NIGHTLY_SCHEDULE_NAME,
        defaults={"func": NIGHTLY_TASK, "schedule_type": Schedule.DAILY, "repeats": -1, "next_run": next_run},
    )
    return scheduled


# --- Sending ----------------------------------------------------------------------------------------------------------


def bulk_import_send(*, import_id: int) -> float | None:
    """Send the import if it is due and nobody else is sending it (see the module).

    Returns the seconds to wait before the next try after a temporary failure, else None (sent, failed for good,
    not due, waiting for another import or for the account to be fixed, or gone). Never raises for a board's answer.
    """
    claimed = _claim_send(import_id)
    if claimed is None or isinstance(claimed, float):
        return claimed
    row, rows = claimed
    account = row.account
    adapter = account.adapter
    jobs = [adapter.feed_job(values) for _, _, values in rows]
    try:
        state = adapter.send_import(
            account=account,
            jobs=jobs,
            delete_missing=row.delete_missing,
            callback_url=callback_url(row),
            idempotency_key=str(row.idempotency_key),
            recorder=recorder_for(account_id=account.pk, bulk_import_id=row.pk),
        )
    except TemporaryBoardError as exc:
        return _settle_temporary(row.pk, exc)
    except BoardAuthError as exc:
        _settle_auth(row.pk, exc)
    except PermanentBoardError as exc:
        _fail_by_pk(row.pk, _refusal(account, exc))
    except NotSupported as exc:
        _fail_by_pk(row.pk, str(exc))
    else:
        _settle_sent(row.pk, state)
    return None


def _carried(row: BulkImport) -> list[tuple[int, str, dict]]:
    """(posting id, vacancy reference, saved values) of every posting the import carries, in its order."""
    return list(
        Posting.objects.filter(bulk_import=row).order_by("pk").values_list("pk", "vacancy__reference", "values")
    )


@transaction.atomic
def _claim_send(import_id: int) -> tuple[BulkImport, list[tuple[int, str, dict]]] | float | None:
    """Mark a due import as sending, with the postings it carries; None when it is not to be sent now; the seconds
    to wait when the account's circuit is open (no attempt is counted)."""
    row = BulkImport.objects.select_for_update().select_related("account").filter(pk=import_id).first()
    if row is None:
        return None
    now = timezone.now()
    account = row.account
    if row.status == BulkImportStatus.QUEUED:
        if row.due_at > now or not account.enabled or account.needs_attention:
            return None
        if BulkImport.objects.filter(account=account, status__in=IMPORT_IN_FLIGHT_STATUSES).exists():
            return None
        selectors.feed_postings(account=account).update(bulk_import=row)
        rows = _carried(row)
        row.status = BulkImportStatus.SENDING
        row.items = [[pk, reference] for pk, reference, _ in rows]
        row.job_count = len(rows)
    elif row.status == BulkImportStatus.SENDING:
        lease = datetime.timedelta(seconds=settings.BOARD_SENDING_LEASE_SECONDS)
        due = row.next_attempt_at is not None and row.next_attempt_at <= now
        abandoned = row.next_attempt_at is None and (row.claimed_at is None or row.claimed_at < now - lease)
        if not (due or abandoned):
            return None
        rows = _carried(row)
    else:
        return None
    if (wait := circuit_permit(account_id=account.pk)) is not None:
        row.next_attempt_at = now + datetime.timedelta(seconds=wait)
        row.save(update_fields=["status", "items", "job_count", "next_attempt_at"])
        return wait
    row.claimed_at, row.next_attempt_at = now, None
    row.attempt_count += 1
    row.save(update_fields=["status", "items", "job_count", "claimed_at", "next_attempt_at", "attempt_count"])
    return row, rows


def _locked(import_id: int) -> BulkImport:
    return BulkImport.objects.select_for_update().select_related("account").get(pk=import_id)


def _refusal(account: BoardAccount, error: BoardError) -> str:
    code = f"{error.status_code} Error: " if error.status_code else ""
    details = [message for messages in getattr(error, "field_errors", {}).values() for message in messages]
    return f"{code}{account.name} refused the import: {' '.join(details) or error.message}"


@transaction.atomic
def _settle_sent(import_id: int, state: ImportState) -> None:
    """The board accepted the import (202). A callback that beat this answer may have completed it already."""
    row = _locked(import_id)
    sending = row.status == BulkImportStatus.SENDING
    row.board_import_id = row.board_import_id or state.board_import_id
    row.sent_at = row.sent_at or timezone.now()
    row.requested_at = row.requested_at or state.requested_at
    row.claimed_at = None
    if sending:
        row.status, row.last_error = BulkImportStatus(state.status.value), ""
    row.save(update_fields=["board_import_id", "sent_at", "requested_at", "claimed_at", "last_error", "status"])
    if not sending:
        return
    if state.status == ImportStatus.COMPLETE and state.results is not None:
        _complete(row, state)
        return
    grace = datetime.timedelta(seconds=settings.BOARD_IMPORT_CALLBACK_GRACE_SECONDS)
    pk = row.pk
    transaction.on_commit(
        lambda: schedule(POLL_TASK, pk, schedule_type=Schedule.ONCE, repeats=1, next_run=timezone.now() + grace)
    )


@transaction.atomic
def _settle_temporary(import_id: int, error: TemporaryBoardError) -> float | None:
    row = _locked(import_id)
    if row.status != BulkImportStatus.SENDING:
        return None
    if row.attempt_count >= settings.BOARD_RETRY_MAX_ATTEMPTS:
        _fail(row, f"{row.account.name} could not be reached after {row.attempt_count} tries: {error.message}")
        return None
    delay = retry_delay(attempt=row.attempt_count, retry_after=error.retry_after)
    row.next_attempt_at = timezone.now() + datetime.timedelta(seconds=delay)
    row.claimed_at = None
    row.last_error = f"{error.message} Trying again shortly."
    row.save(update_fields=["next_attempt_at", "claimed_at", "last_error"])
    return delay


@transaction.atomic
def _settle_auth(import_id: int, error: BoardAuthError) -> None:
    row = _locked(import_id)
    _fail(row, board_account_mark_attention(account_id=row.account_id, error=error))


@transaction.atomic
def _fail_by_pk(import_id: int, message: str) -> None:
    _fail(_locked(import_id), message)


def _fail(row: BulkImport, message: str) -> None:
    """End a (locked) import on our side with the reason; the account's next import may go."""
    row.status, row.last_error = BulkImportStatus.FAILED, message
    row.claimed_at = row.next_attempt_at = None
    row.save(update_fields=["status", "last_error", "claimed_at", "next_attempt_at"])
    account_id = row.account_id
    transaction.on_commit(lambda: _send_next(account_id))


def _send_next(account_id: int) -> None:
    """Queue the sending of the account's waiting import, if it is due (else its own schedule sends it)."""
    waiting = BulkImport.objects.filter(account_id=account_id, status=BulkImportStatus.QUEUED).first()
    if waiting is not None and waiting.due_at <= timezone.now():
        async_task(SEND_TASK, waiting.pk, task_name=f"bulk-import-{waiting.pk}-next")


# --- Results ------------------------------------------------------------------------------------------------------


@transaction.atomic
def bulk_import_complete(*, import_id: int, state: ImportState) -> BulkImport:
    """Record a complete import's results once, and map them onto the postings it carried (see the module).

    A repeat (the callback after a poll, a second callback) changes nothing. Raises ImportMismatch when the state
    is not complete, or is about another import of the board than the one we recorded.
    """
    row = _locked(import_id)
    if row.status == BulkImportStatus.COMPLETE:
        return row
    if state.status != ImportStatus.COMPLETE or state.results is None:
        raise ImportMismatch("The import is not complete.")
    if row.board_import_id and state.board_import_id != row.board_import_id:
        raise ImportMismatch(f"This is import {row.board_import_id}, not {state.board_import_id}.")
    _complete(row, state)
    return row


def _complete(row: BulkImport, state: ImportState) -> None:
    """Record the results on a (locked) import and, unless a later import has been sent since (whose results
    are the ones that hold), map them onto postings."""
    results = state.results or ImportResults()
    row.status = BulkImportStatus.COMPLETE
    row.board_import_id = row.board_import_id or state.board_import_id
    row.requested_at = row.requested_at or state.requested_at
    row.completed_at = state.completed_at or timezone.now()
    for name in ("added", "updated", "unchanged", "deleted", "failed", "processed"):
        setattr(row, name, getattr(results, name))
    row.results = state.raw.get("results")
    row.claimed_at = row.next_attempt_at = None
    superseded = (
        BulkImport.objects.filter(account_id=row.account_id, pk__gt=row.pk)
        .exclude(status=BulkImportStatus.QUEUED)
        .exists()
    )
    if superseded:
        row.last_error = "A later import was sent first: its results are the ones that hold."
    else:
        unmatched = _map_results(row, results)
        row.last_error = (
            f"{unmatched} refused {ngettext('job', 'jobs', unmatched)} matched no job this import carried."
            if unmatched
            else ""
        )
    row.save(
        update_fields=[
            "status",
            "board_import_id",
            "requested_at",
            "completed_at",
            "added",
            "updated",
            "unchanged",
            "deleted",
            "failed",
            "processed",
            "results",
            "claimed_at",
            "next_attempt_at",
            "last_error",
        ]
    )
    account_id = row.account_id
    transaction.on_commit(lambda: _send_next(account_id))


def _map_results(row: BulkImport, results: ImportResults) -> int:
    """Postings carried: live, except the refused ones (failed, with the board's messages by field); the account's
    other live jobs: closed, when the import deleted what it did not carry. Returns the refused jobs matched to no
    posting. A fixed number of queries, plus one per 500 refused jobs."""
    adapter = row.account.adapter
    items = row.items
    by_reference: dict[str, int] | None = None
    refused: dict[int, list[str]] = {}
    unmatched = 0
    for error in results.errors:
        pk = None
        index_ok = error.index is not None and 0 <= error.index < len(items)
        if index_ok and (not error.reference or items[error.index][1] == error.reference):
            pk = items[error.index][0]
        elif error.reference:
            by_reference = by_reference or {reference: posting for posting, reference in items}
            pk = by_reference.get(error.reference)
        if pk is None:
            unmatched += 1
        else:
            refused.setdefault(pk, []).extend(error.messages)
    now = timezone.now()
    reference = Vacancy.objects.filter(pk=OuterRef("vacancy_id")).values("reference")[:1]
    Posting.objects.filter(bulk_import=row).update(
        status=PostingStatus.POSTED,
        board_status=BoardStatus.LIVE,
        board_status_raw="",
        board_id=Subquery(reference),
        field_errors={},
        last_error="",
        posted_at=now,
        updated_at=now,
    )
    failed = [
        Posting(
            pk=pk,
            status=PostingStatus.FAILED,
            board_status=BoardStatus.FAILED,
            board_status_raw="failed",
            field_errors=adapter.import_error_fields(messages),
            last_error=" ".join(messages),
            updated_at=now,
        )
        for pk, messages in refused.items()
    ]
    Posting.objects.bulk_update(
        failed,
        ["status", "board_status", "board_status_raw", "field_errors", "last_error", "updated_at"],
        batch_size=_FAILED_BATCH,
    )
    if row.delete_missing:
        Posting.objects.filter(
            account_id=row.account_id, board_status__in=[BoardStatus.LIVE, BoardStatus.UNKNOWN]
        ).exclude(bulk_import=row).update(board_status=BoardStatus.CLOSED, board_status_raw="deleted", updated_at=now)
    return unmatched


# --- The callback and polling -------------------------------------------------------------------------------------


@transaction.atomic
def bulk_import_callback_receive(*, bulk_import: BulkImport, state: ImportState, body: bytes) -> bool:
    """Accept the board's callback for an import once: stored as an inbound event (source callback, kind
    import.completed) with the task that applies it. Returns False for a repeat, which changes nothing.

    Raises ImportMismatch (and stores nothing) when the body is not a complete import, or is about another import
    than the one we recorded for this address.
    """
    row = _locked(bulk_import.pk)
    if row.callback_received_at is not None:
        return False
    if state.status != ImportStatus.COMPLETE or state.results is None:
        raise ImportMismatch("The import is not complete.")
    if row.board_import_id and state.board_import_id != row.board_import_id:
        raise ImportMismatch(f"This address is for import {row.board_import_id}, not {state.board_import_id}.")
    row.callback_received_at = timezone.now()
    row.save(update_fields=["callback_received_at"])
    event = BoardEvent(
        event_id=f"bulk-import-{row.pk}",
        kind=BoardEventKind.IMPORT_COMPLETED,
        raw_type="job-import.complete",
        status=state.status.value,
        data={"bulk_import": row.pk, "import": dict(state.raw)},
    )
    inbound_events_receive(account=row.account, events=[event], source=InboundSource.CALLBACK, body=body)
    return True


def bulk_import_poll(*, import_id: int) -> BulkImport | None:
    """Read an accepted import from the board (the fallback when its callback has not come, or could not be
    applied): record its progress, or its results once complete (once, whichever way they come). A temporary failure
    waits for the next poll; a refused token marks the account; a board that no longer knows the import (4xx) fails
    it. None when there is nothing to poll."""
    row = (
        BulkImport.objects.select_related("account")
        .filter(pk=import_id, status__in=[BulkImportStatus.PENDING, BulkImportStatus.RUNNING])
        .exclude(board_import_id="")
        .first()
    )
    if row is None:
        return None
    account = row.account
    try:
        state = account.adapter.fetch_import(
            account=account,
            import_id=row.board_import_id,
            recorder=recorder_for(account_id=account.pk, bulk_import_id=row.pk),
        )
    except TemporaryBoardError:
        return row
    except BoardAuthError as exc:
        board_account_mark_attention(account_id=account.pk, error=exc)
        return row
    except PermanentBoardError as exc:
        _fail_by_pk(row.pk, _refusal(account, exc))
        return row
    if state.status == ImportStatus.COMPLETE and state.results is not None:
        return bulk_import_complete(import_id=row.pk, state=state)
    with transaction.atomic():
        row = _locked(row.pk)
        if row.status in (BulkImportStatus.PENDING, BulkImportStatus.RUNNING):
            row.status = BulkImportStatus(state.status.value)
        row.last_polled_at = timezone.now()
        row.save(update_fields=["status", "last_polled_at"])
    return row


def bulk_imports_upkeep() -> None:
    """The upkeep task's share: resume sends whose task was lost (accounts that can send only), poll imports whose
    results have not come, and fail those the board has not finished within BOARD_IMPORT_GIVE_UP_HOURS (so the
    account's next sync can go)."""
    now = timezone.now()
    overdue = selectors.bulk_imports_overdue(now=now).filter(account__enabled=True, account__needs_attention=False)
    for pk in overdue.values_list("pk", flat=True):
        async_task(SEND_TASK, pk, task_name=f"bulk-import-{pk}-resume")
    give_up = now - datetime.timedelta(hours=settings.BOARD_IMPORT_GIVE_UP_HOURS)
    for pk in selectors.bulk_imports_awaiting_results(now=now).values_list("pk", flat=True):
        row = bulk_import_poll(import_id=pk)
        if row is not None and row.in_flight and row.sent_at and row.sent_at < give_up:
            with transaction.atomic():
                locked = _locked(pk)
                if locked.in_flight:
                    hours = settings.BOARD_IMPORT_GIVE_UP_HOURS
                    _fail(locked, f"{locked.account.name} had not finished the import after {hours:g} hours.")
