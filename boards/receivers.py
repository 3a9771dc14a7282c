"""What the boards do when something happens in the domain."""

import logging

from django.db import transaction

from boards.models import Posting
from boards.services.imports import feed_sync_for_vacancy
from boards.services.postings import posting_request
from boards.types import Operation
from recruitment.errors import DomainError

logger = logging.getLogger(__name__)


def take_adverts_down(sender, *, vacancy, **kwargs) -> None:
    """A vacancy closed or was cancelled: queue the closing of each job a board still has for it (where the
    board's adapter says it can be closed from here).

    A posting busy with another send is left for the recruiter (the page still offers "Close"), and said so in the log.
    """
    for posting in Posting.objects.filter(vacancy=vacancy).exclude(board_id="").select_related("account"):
        if not posting.account.adapter.can_close(posting):
            continue
        try:
            with transaction.atomic():
                posting_request(posting=posting, operation=Operation.CLOSE, user=None)
        except DomainError as exc:
            logger.warning("Posting %s of vacancy %s not closed on the board: %s", posting.pk, vacancy.pk, exc.message)


def sync_feeds(sender, *, vacancy, **kwargs) -> None:
    """A vacancy was advertised, changed, closed or cancelled: the bulk boards whose feed it is in (or whose board
    still has its job) get a sync shortly, debounced with the other changes (`boards.services.imports`)."""
    feed_sync_for_vacancy(vacancy=vacancy)
