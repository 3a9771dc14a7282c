"""Every write to board accounts and postings: atomic, keyword-only, typed.

Sending is split in three so no database transaction is open during an HTTP call (the SQLite file would stay locked,
and a slow board would hold row locks): `_claim` marks the posting as sending under a row lock and commits, the call
is made, and `_settle_*` records the outcome under the lock again. A second worker that gets the same task finds the
posting already claimed or settled and does nothing; a create retried after a lost answer carries the same
idempotency key, so the board returns the draft it already made instead of a second one.
"""

import datetime
import json
import random
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_q.models import Schedule
from django_q.tasks import async_task

from boards import crypto, selectors
from boards.adapters.nhs_jobs.adapter import NhsJobsAdapter
from boards.adapters.nhs_jobs.spec import CHECK_CONFIGURATION, NOT_ADVERTISED
from boards.base import BoardAdapter, BoardEventKind, NotSupported, PublishResult
from boards.errors import BoardAuthError, PermanentBoardError, TemporaryBoardError
from boards.http import CallRecord
from boards.models import BoardAccount, Operation, Posting, PostingStatus, PublishAttempt
from boards.validation import to_json_values, validate
from recruitment.errors import DomainError
from recruitment.models import Vacancy, VacancyStatus

DELIVER_TASK = "boards.tasks.deliver_posting"


# The demo account's sandbox and the sandbox's fixed credentials (boards/sandbox/nhs_jobs.py accepts exactly these):
# public demo values, valid nowhere else.
def demo_nhs_jobs_url() -> str:
    """The sandbox's NHS Jobs on this site (SITE_URL, which `make run` sets from its HOST and PORT)."""
    return f"{settings.SITE_URL.rstrip('/')}/sandbox/nhs-jobs"


DEMO_NHS_JOBS_API_KEY = "sandbox-nhs-jobs-key"
DEMO_NHS_JOBS_ORG_ID = "SANDBOX-ORG"
DEMO_NHS_JOBS_ACCOUNT_ID = "SANDBOX-ACCOUNT"


# --- Board accounts -------------------------------------------------------------------------------------------------


@transaction.atomic
def board_account_save(
    *,
    board: str,
    name: str,
    base_url: str,
    org_id: str = "",
    account_id: str = "",
    enabled: bool = True,
    credentials: Mapping[str, str] | None = None,
    webhook_secret: str | None = None,
    account: BoardAccount | None = None,
) -> BoardAccount:
    """Create or change a board account. Credentials given (non-empty) replace the stored ones, others are kept.

    Changing the credentials, the Org ID or the Account ID clears "needs attention": the next send tries again.
    """
    account = account or BoardAccount(board=board)
    reconfigured = (
        account.pk is None or bool(credentials) or (org_id, account_id) != (account.org_id, account.account_id)
    )
    account.board, account.name, account.base_url = board, name, base_url.rstrip("/")
    account.org_id, account.account_id, account.enabled = org_id, account_id, enabled
    if credentials:
        stored = account.credentials()
        stored.update({key: value for key, value in credentials.items() if value})
        account.credentials_encrypted = crypto.encrypt(json.dumps(stored))
    if webhook_secret:
        account.webhook_secret_encrypted = crypto.encrypt(webhook_secret)
    if reconfigured:
        account.needs_attention, account.attention_reason, account.attention_since = False, "", None
    account.full_clean()
    account.save()
    return account


@transaction.atomic
def board_account_clear_attention(*, account: BoardAccount) -> BoardAccount:
    """Say the account's problem is fixed, so sending is allowed again."""
    account.needs_attention, account.attention_reason, account.attention_since = False, "", None
    account.save(update_fields=["needs_attention", "attention_reason", "attention_since", "updated_at"])
    return account


@transaction.atomic
def demo_boards_ensure(*, base_url: str | None = None) -> BoardAccount:
    """Everything the demo needs from the boards: the NHS Jobs account on the sandbox and the upkeep schedule.
    Safe to call again. `seed_demo` (and so `make run`) calls this."""
    upkeep_schedule_ensure()
    return nhs_jobs_demo_account_ensure(base_url=base_url or demo_nhs_jobs_url())


UPKEEP_SCHEDULE_NAME = "Job boards upkeep"


@transaction.atomic
def upkeep_schedule_ensure(*, minutes: int = 15) -> Schedule:
    """The repeating schedule of `boards.tasks.board_upkeep` (created once; safe to call again). Production needs
    it as much as the demo: it polls the boards and resumes sends whose task was lost."""
    scheduled, _ = Schedule.objects.update_or_create(
        name=UPKEEP_SCHEDULE_NAME,
        defaults={
            "func": "boards.tasks.board_upkeep",
            "schedule_type": Schedule.MINUTES,
            "minutes": minutes,
            "repeats": -1,
        },
    )
    return scheduled


def nhs_jobs_demo_account_ensure(*, base_url: str) -> BoardAccount:
    """The demo NHS Jobs account, pointing at the sandbox with the sandbox's credentials. Safe to call again:
    an existing account is re-pointed and re-keyed, never duplicated."""
    return board_account_save(
        account=BoardAccount.objects.filter(board=NhsJobsAdapter.code).first(),
        board=NhsJobsAdapter.code,
        name="NHS Jobs (sandbox)",
        base_url=base_url,
        org_id=DEMO_NHS_JOBS_ORG_ID,
        account_id=DEMO_NHS_JOBS_ACCOUNT_ID,
        credentials={"api_key": DEMO_NHS_JOBS_API_KEY},
    )


# --- Postings: what the recruiter does ------------------------------------------------------------------------------


def _locked_posting(*, vacancy: Vacancy, account: BoardAccount) -> Posting:
    Posting.objects.get_or_create(vacancy=vacancy, account=account)
    return Posting.objects.select_for_update().select_related("account").get(vacancy=vacancy, account=account)


def _editable(adapter: BoardAdapter, values: Mapping[str, Any]) -> dict[str, Any]:
    names = {spec.name for spec in adapter.spec.fields if spec.editable}
    return {name: value for name, value in values.items() if name in names}


@transaction.atomic
def posting_save_draft(
    *, vacancy: Vacancy, account: BoardAccount, values: Mapping[str, Any], user: AbstractBaseUser
) -> Posting:
    """Keep the recruiter's values as they are (complete or not); nothing is sent."""
    posting = _locked_posting(vacancy=vacancy, account=account)
    if posting.in_flight:
        raise DomainError(f"This job is being sent to {account.name}; wait until it has finished.")
    posting.values = _editable(account.adapter, values)
    # The board's old complaints were about values the recruiter has now replaced.
    posting.field_errors = {}
    posting.updated_by = user
    posting.save()
    return posting


def ensure_can_post(*, vacancy: Vacancy, account: BoardAccount | None) -> BoardAccount:
    """Refuse, in the guide's words, what may not be posted; returns the account to post with."""
    if vacancy.status != VacancyStatus.ADVERTISED_EXTERNAL:
        raise DomainError(NOT_ADVERTISED)
    if account is None or not account.enabled:
        raise DomainError("This job board is not set up: an administrator adds its board account in the admin.")
    return account


@transaction.atomic
def posting_send(
    *, vacancy: Vacancy, account: BoardAccount | None, values: Mapping[str, Any], user: AbstractBaseUser
) -> Posting:
    """Validate by the board's spec, save, and queue sending: a create the first time, an update once posted.

    Raises ValidationError (keyed by field) when the values break the spec, DomainError when the vacancy may not be
    posted or the job is already on its way.
    """
    account = ensure_can_post(vacancy=vacancy, account=account)
    if account.needs_attention:
        raise DomainError(f"{account.name} needs attention: {CHECK_CONFIGURATION}. Your changes were not sent.")
    adapter = account.adapter
    posting = _locked_posting(vacancy=vacancy, account=account)
    if posting.in_flight:
        raise DomainError(f"This job is already being sent to {account.name}; wait until it has finished.")
    if posting.board_id and posting.board_status in ("published", "closed"):
        raise DomainError(
            f"{account.name} has {posting.board_status} this job, so it can no longer be updated from here."
        )
    result = validate(adapter.spec, {**_editable(adapter, values), **adapter.fixed_values(vacancy)})
    if not result.is_valid:
        raise ValidationError(result.errors)
    _queue(posting, Operation.UPDATE if posting.board_id else Operation.PUBLISH, user, to_json_values(result.values))
    return posting


@transaction.atomic
def posting_request(*, posting: Posting, operation: str, user: AbstractBaseUser | None) -> Posting:
    """Queue a read of the job's status on the board (e.g. to learn that someone published the draft) or its
    closing (taking it down early). Only for a job the board has, and not while something else is being sent."""
    if operation not in (Operation.STATUS, Operation.CLOSE):
        raise ValueError(f"Not a request on an existing job: {operation}")
    posting = Posting.objects.select_for_update().select_related("account").get(pk=posting.pk)
    if not posting.board_id or posting.in_flight:
        raise DomainError("The job is not on the board yet, or something is being sent: try again once it is done.")
    _queue(posting, operation, user, posting.values)
    return posting


def _queue(posting: Posting, operation: str, user: AbstractBaseUser, values: Mapping[str, Any]) -> None:
    posting.values = dict(values)
    posting.operation = operation
    posting.status = PostingStatus.QUEUED
    posting.attempt_count = 0
    posting.next_attempt_at = timezone.now()
    posting.claimed_at = None
    posting.field_errors, posting.last_error = {}, ""
    posting.updated_by = user
    posting.save()
    transaction.on_commit(lambda: async_task(DELIVER_TASK, posting.pk, task_name=f"posting-{posting.pk}-{operation}"))


def board_poll(*, account: BoardAccount) -> int:
    """Ask the board about every posted job (the fallback for boards that send nothing back) and record the
    status changes it reports. Returns how many changed. A temporary failure waits for the next poll; a refusal of
    our credentials marks the account as needing attention."""
    postings = list(
        Posting.objects.filter(account=account, status=PostingStatus.POSTED)
        .exclude(board_id="")
        .exclude(board_status="closed")
    )
    if not postings:
        return 0
    try:
        events = account.adapter.poll(
            account=account,
            postings=postings,
            since=None,
            recorder=_recorder_for(account_id=account.pk, posting_id=None),
        )
    except TemporaryBoardError:
        return 0
    except BoardAuthError as exc:
        _mark_attention(account.pk, exc)
        return 0
    changed = 0
    for event in events:
        if event.kind == BoardEventKind.JOB_STATUS_CHANGED:
            changed += Posting.objects.filter(account=account, board_id=event.board_job_id).update(
                board_status=event.status, updated_at=timezone.now()
            )
    return changed


def postings_resume_overdue() -> int:
    """Queue again every send that should have happened by now but did not (its task was lost: a worker killed
    mid-call, a cluster stopped during a wait). Returns how many. The sends stay safe to duplicate."""
    ids = list(selectors.postings_overdue(now=timezone.now()).values_list("pk", flat=True))
    for posting_id in ids:
        async_task(DELIVER_TASK, posting_id, task_name=f"posting-{posting_id}-resume")
    return len(ids)


# --- Postings: what the worker does ---------------------------------------------------------------------------------


def retry_delay(*, attempt: int, retry_after: float | None, rng: random.Random | None = None) -> float:
    """Seconds before the next try: exponential backoff from the base, capped, with "equal jitter" (half fixed,
    half random, so retries of many postings spread out), and never sooner than the board's Retry-After."""
    base, cap = settings.BOARD_RETRY_BASE_SECONDS, settings.BOARD_RETRY_MAX_SECONDS
    backoff = min(cap, base * 2 ** max(0, attempt - 1))
    jittered = backoff / 2 + (rng or random).uniform(0, backoff / 2)
    return max(jittered, retry_after or 0.0)


def posting_attempt(*, posting_id: int) -> float | None:
    """Make one call for the posting's pending operation, if it is due and nobody else is making it.

    Returns the seconds to wait before the next try after a temporary failure, else None (done, failed for good,
    not due, or gone). Never raises for a board's answer: every outcome is recorded on the posting.
    """
    posting = _claim(posting_id)
    if posting is None:
        return None
    account = posting.account
    adapter = account.adapter
    try:
        result = _perform(adapter, posting, _recorder(posting))
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
def _claim(posting_id: int) -> Posting | None:
    """Mark the posting as sending if its operation is due; None when it is not (or the posting is gone)."""
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
        _fail(posting, f"Not sent: {reason}", {"": [f"{account.name} needs attention: {CHECK_CONFIGURATION}."]})
        return None
    posting.status, posting.claimed_at = PostingStatus.SENDING, now
    posting.attempt_count += 1
    posting.save(update_fields=["status", "claimed_at", "attempt_count", "updated_at"])
    posting.account = account
    return posting


def _perform(adapter: BoardAdapter, posting: Posting, recorder) -> PublishResult:
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


def _recorder(posting: Posting):
    return _recorder_for(account_id=posting.account_id, posting_id=posting.pk)


def _recorder_for(*, account_id: int, posting_id: int | None):
    """Store each call as a PublishAttempt at once (autocommit: the row survives whatever happens next)."""

    def record(call: CallRecord) -> None:
        PublishAttempt.objects.create(
            account_id=account_id,
            posting_id=posting_id,
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
    posting.board_status = result.status or posting.board_status
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
def _mark_attention(account_id: int, error: BoardAuthError) -> str:
    account = BoardAccount.objects.select_for_update().get(pk=account_id)
    reason = f"{account.name} answered {error.status_code}: {CHECK_CONFIGURATION}."
    account.needs_attention, account.attention_reason, account.attention_since = True, reason, timezone.now()
    account.save(update_fields=["needs_attention", "attention_reason", "attention_since", "updated_at"])
    return reason


@transaction.atomic
def _settle_auth(posting_id: int, error: BoardAuthError) -> None:
    posting = _locked(posting_id)
    reason = _mark_attention(posting.account_id, error)
    _fail(posting, reason, {"": [f"{error.status_code} Error: {CHECK_CONFIGURATION}."]})


@transaction.atomic
def _settle_permanent(posting_id: int, adapter: BoardAdapter, error: PermanentBoardError) -> None:
    posting = _locked(posting_id)
    field_errors: dict[str, list[str]] = {}
    for board_field, messages in error.field_errors.items():
        field_errors.setdefault(adapter.form_field_for(board_field) or "", []).extend(messages)
    if not field_errors:
        field_errors[""] = [error.message]
    code = f"{error.status_code} Error: " if error.status_code else ""
    _fail(posting, f"{code}{posting.account.name} rejected some of the data.", field_errors)
