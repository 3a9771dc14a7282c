"""What the recruiter does with a posting: save a draft, send it (create or update), ask for a status read or a close.

Nothing here talks to a board: sending queues a task (`boards.tasks.deliver_posting`) in the posting's own
transaction (`boards.queueing`: with the ORM broker the queue row commits or rolls back with the posting), and the
worker makes the call (`boards.services.delivery`). Every rule is put in the board's own words by its adapter.
"""

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from boards.base import BoardAdapter, Capability
from boards.drift import vacancy_baseline
from boards.models import BoardAccount, Posting, PostingStatus
from boards.queueing import enqueue_with_transaction
from boards.registry import get_adapter
from boards.types import Operation
from boards.validation import to_json_values, validate
from recruitment.errors import DomainError
from recruitment.models import Vacancy, VacancyStatus

DELIVER_TASK = "boards.tasks.deliver_posting"


def _locked_posting(*, vacancy: Vacancy, account: BoardAccount) -> Posting:
    Posting.objects.get_or_create(vacancy=vacancy, account=account)
    return Posting.objects.select_for_update().select_related("account").get(vacancy=vacancy, account=account)


def _editable(adapter: BoardAdapter, values: Mapping[str, Any]) -> dict[str, Any]:
    names = {spec.name for spec in adapter.spec.fields if spec.editable}
    return {name: value for name, value in values.items() if name in names}


@transaction.atomic
def posting_save_draft(*, vacancy: Vacancy, board: str, values: Mapping[str, Any], user: AbstractBaseUser) -> Posting:
    """Keep the recruiter's values as they are (complete or not); nothing is sent. Refused like a send when the
    vacancy may not be posted to the board (`ensure_can_post`). What the vacancy says now is kept beside them, the
    baseline its later changes are measured from (`boards.drift`)."""
    account = ensure_can_post(vacancy=vacancy, board=board)
    posting = _locked_posting(vacancy=vacancy, account=account)
    if posting.in_flight:
        raise DomainError(f"This job is being sent to {account.name}; wait until it has finished.")
    if posting.in_feed:
        # The feed carries the saved values as they are, so they change only through a validated update.
        raise DomainError(
            f'This job is in the {account.adapter.name} feed: save changes with "Update the feed", '
            "or remove it from the feed first."
        )
    posting.values = _editable(account.adapter, values)
    posting.vacancy_values = vacancy_baseline(account.adapter, vacancy)
    # The board's old complaints were about values the recruiter has now replaced.
    posting.field_errors = {}
    posting.updated_by = user
    posting.save()
    return posting


def ensure_can_post(*, vacancy: Vacancy, board: str) -> BoardAccount:
    """Refuse, in the board's words, what may not be posted; returns the account to post with.

    Boards carry external adverts only, so the vacancy must be advertised externally (the NHS Jobs guide's rule,
    seed 001, applied to every board); a closed or cancelled vacancy is said to be so, not to need advertising. The
    organisation must have an enabled account on the board.
    """
    adapter = get_adapter(board)
    account = BoardAccount.objects.filter(board=board).first()
    if vacancy.status in (VacancyStatus.CLOSED, VacancyStatus.CANCELLED):
        raise DomainError(adapter.vacancy_ended_message(cancelled=vacancy.status == VacancyStatus.CANCELLED))
    if vacancy.status != VacancyStatus.ADVERTISED_EXTERNAL:
        raise DomainError(adapter.not_advertised_message)
    if account is None or not account.enabled:
        raise DomainError(
            f"{adapter.name} is not set up: an administrator adds its board account (or switches it on) in the admin."
        )
    return account


@transaction.atomic
def posting_send(*, vacancy: Vacancy, board: str, values: Mapping[str, Any], user: AbstractBaseUser) -> Posting:
    """Validate by the board's spec, save, and queue sending: a create the first time, an update once the board
    has the job.

    Raises ValidationError (keyed by field) when the values break the spec, DomainError when the vacancy may not be
    posted, the account needs attention, the job is already on its way, or the board no longer takes updates of it.
    """
    account = ensure_can_post(vacancy=vacancy, board=board)
    adapter = account.adapter
    if account.needs_attention:
        raise DomainError(f"{account.name} needs attention: {adapter.check_credentials}. Your changes were not sent.")
    posting = _locked_posting(vacancy=vacancy, account=account)
    if posting.in_flight:
        raise DomainError(f"This job is already being sent to {account.name}; wait until it has finished.")
    if posting.board_id and not adapter.can_update(posting):
        raise DomainError(adapter.update_refusal(posting))
    result = validate(adapter.spec, {**_editable(adapter, values), **adapter.fixed_values(vacancy)})
    if not result.is_valid:
        raise ValidationError(result.errors)
    operation = Operation.UPDATE if posting.board_id else Operation.PUBLISH
    posting.vacancy_values = vacancy_baseline(adapter, vacancy)
    posting_queue(posting=posting, operation=operation, user=user, values=to_json_values(result.values))
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
    adapter = posting.account.adapter
    if operation == Operation.STATUS and Capability.STATUS not in adapter.capabilities:
        raise DomainError(f"{adapter.name} does not report a job's status on its own.")
    if operation == Operation.CLOSE and not adapter.can_close(posting):
        raise DomainError(f"{adapter.name} has this job as {posting.board_status_label.lower()}: nothing to close.")
    posting_queue(posting=posting, operation=operation, user=user, values=posting.values)
    return posting


def posting_queue(
    *, posting: Posting, operation: str, user: AbstractBaseUser | None, values: Mapping[str, Any]
) -> None:
    """Mark the (locked) posting as queued for an operation and enqueue its delivery with it (`boards.queueing`)."""
    posting.values = dict(values)
    posting.operation = operation
    posting.status = PostingStatus.QUEUED
    posting.attempt_count = 0
    posting.next_attempt_at = timezone.now()
    posting.claimed_at = None
    posting.field_errors, posting.last_error = {}, ""
    posting.updated_by = user
    posting.save()
    enqueue_with_transaction(DELIVER_TASK, posting.pk, task_name=f"posting-{posting.pk}-{operation}")
