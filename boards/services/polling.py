"""Asking boards for what they did not send us: status changes (NHS Jobs sends nothing back) and, for boards with
webhooks, the applications whose webhook never arrived. What a poll finds goes through the same inbound path as a
webhook (`inbound_events_receive`), so an event found twice, or found and also delivered, is processed once.
"""

from django.utils import timezone

from boards.errors import BoardAuthError, TemporaryBoardError
from boards.models import BoardAccount, InboundSource, Posting, PostingStatus
from boards.services.accounts import board_account_mark_attention
from boards.services.circuit import circuit_permit
from boards.services.delivery import recorder_for
from boards.services.inbound import inbound_events_receive
from boards.types import BoardStatus


def board_poll(*, account: BoardAccount) -> int:
    """Poll one account from its watermark; store what the board reports; move the watermark to when this poll
    started (the adapter overlaps its request by a safety margin, so nothing changed meanwhile is missed).

    Returns how many new events were stored. A temporary failure leaves the watermark for the next poll; a refusal
    of our credentials marks the account as needing attention; an open circuit skips the poll.
    """
    if circuit_permit(account_id=account.pk) is not None:
        return 0
    started = timezone.now()
    postings = list(
        Posting.objects.filter(account=account, status=PostingStatus.POSTED)
        .exclude(board_id="")
        .exclude(board_status=BoardStatus.CLOSED)
        .select_related("vacancy")
    )
    try:
        events = account.adapter.poll(
            account=account,
            postings=postings,
            since=account.poll_watermark,
            recorder=recorder_for(account_id=account.pk),
        )
    except TemporaryBoardError:
        return 0
    except BoardAuthError as exc:
        board_account_mark_attention(account_id=account.pk, error=exc)
        return 0
    receipts = inbound_events_receive(account=account, events=events, source=InboundSource.POLL)
    BoardAccount.objects.filter(pk=account.pk).update(poll_watermark=started)
    return sum(1 for receipt in receipts if not receipt.duplicate)
