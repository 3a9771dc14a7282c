"""The posting page's own status checks: while a job waits on its board as a draft (NHS Jobs keeps our job a draft
until someone with an NHS Jobs login publishes it there), the open page learns when it is published without anyone
pressing "Check status".

The page asks our server every BOARD_DRAFT_CHECK_SECONDS / 2 (a row read). The server asks for a read of the job's
status on the board at most once per posting every BOARD_DRAFT_CHECK_SECONDS, however many pages watch it: the
claim is one conditional UPDATE of `Posting.status_checked_at`, so two pages asking at once make one read. The read
is a task (no board call inside a web request), recorded in the posting's history like every call, and it touches
nothing but the board status: the posting is not marked as sending, so the recruiter can save or update meanwhile.
Nobody watching, nothing is read here; the upkeep's polling (every BOARD_UPKEEP_MINUTES) still learns the status.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from boards.base import BoardAdapter, Capability, NotSupported
from boards.errors import BoardAuthError, PermanentBoardError, TemporaryBoardError
from boards.models import Posting, PostingStatus
from boards.queueing import enqueue_with_transaction
from boards.services.accounts import board_account_mark_attention
from boards.services.circuit import circuit_permit
from boards.services.delivery import recorder_for
from boards.types import BoardStatus

CHECK_TASK = "boards.tasks.check_posting_status"


def awaits_publishing(adapter: BoardAdapter, posting: Posting) -> bool:
    """Whether the board has the job as a draft that someone publishes there, and can tell us its status: the
    posting page then checks by itself. (Bulk boards report through their imports instead.)"""
    return (
        Capability.STATUS in adapter.capabilities
        and Capability.BULK_IMPORT not in adapter.capabilities
        and posting.status == PostingStatus.POSTED
        and bool(posting.board_id)
        and posting.board_status == BoardStatus.DRAFT
    )


@transaction.atomic
def posting_status_check_request(*, posting: Posting) -> bool:
    """Queue a read of a waiting draft's status on its board (on commit), unless one was asked for within the last
    BOARD_DRAFT_CHECK_SECONDS or the job is no longer a waiting draft. Returns whether a read was queued."""
    if not awaits_publishing(posting.account.adapter, posting):
        return False
    now = timezone.now()
    due = Q(status_checked_at__isnull=True) | Q(
        status_checked_at__lte=now - datetime.timedelta(seconds=settings.BOARD_DRAFT_CHECK_SECONDS)
    )
    claimed = (
        Posting.objects.filter(due, pk=posting.pk, status=PostingStatus.POSTED, board_status=BoardStatus.DRAFT)
        .exclude(board_id="")
        .update(status_checked_at=now)
    )
    if claimed:
        enqueue_with_transaction(CHECK_TASK, posting.pk, task_name=f"posting-{posting.pk}-status-check")
    return bool(claimed)


def posting_status_check(*, posting_id: int) -> BoardStatus | None:
    """Read a waiting draft's status from its board and record it (the worker's half of a page's check).

    Returns the board status recorded, or None when nothing was read or recorded: the posting is gone or no longer
    a waiting draft, the account is switched off, needs attention or its circuit is open, or the board did not
    answer usefully (the call is in the history; the page's next check tries again). A refusal of our credentials
    marks the account as needing attention, as any call does. The status is recorded only while the posting is
    still posted with the same job (a send started meanwhile settles it itself).
    """
    posting = Posting.objects.select_related("account").filter(pk=posting_id).first()
    if posting is None:
        return None
    account = posting.account
    adapter = account.adapter
    if not awaits_publishing(adapter, posting) or not account.enabled or account.needs_attention:
        return None
    if circuit_permit(account_id=account.pk) is not None:
        return None
    try:
        result = adapter.fetch_status(
            account=account,
            board_id=posting.board_id,
            recorder=recorder_for(account_id=account.pk, posting_id=posting.pk),
        )
    except BoardAuthError as exc:
        board_account_mark_attention(account_id=account.pk, error=exc)
        return None
    except (TemporaryBoardError, PermanentBoardError, NotSupported):
        return None
    if result.status is None or (result.status, result.raw_status) == (posting.board_status, posting.board_status_raw):
        return None
    Posting.objects.filter(pk=posting.pk, status=PostingStatus.POSTED, board_id=posting.board_id).update(
        board_status=result.status, board_status_raw=result.raw_status[:40], updated_at=timezone.now()
    )
    return result.status
