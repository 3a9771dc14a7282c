"""What the boards do when something happens in the domain."""

import logging

from django.db import transaction

from boards.models import Operation, Posting
from boards.services import posting_request
from recruitment.errors import DomainError

logger = logging.getLogger(__name__)


def take_adverts_down(sender, *, vacancy, **kwargs) -> None:
    """A vacancy closed or was cancelled: queue the closing of each job a board still has for it.

    A posting busy with another send is left for the recruiter (the page still offers "Close"), and said so in the log.
    """
    postings = Posting.objects.filter(vacancy=vacancy).exclude(board_id="").exclude(board_status="closed")
    for posting in postings:
        try:
            with transaction.atomic():
                posting_request(posting=posting, operation=Operation.CLOSE, user=None)
        except DomainError as exc:
            logger.warning("Posting %s of vacancy %s not closed on the board: %s", posting.pk, vacancy.pk, exc.message)
