"""The recruiter's check that a board lists a job where candidates search for it (boards offering
`Capability.LISTING_CHECK`, e.g. NHSJob's `GET /v1/jobs` filters).

Unlike sends, this read is made while the recruiter waits (they asked for the answer, and it is one search with the
usual timeouts), with no transaction open, and recorded against the posting like every call.
"""

from boards.base import Capability, ListingCheck
from boards.errors import BoardAuthError, BoardError
from boards.models import Posting
from boards.services.accounts import board_account_mark_attention
from boards.services.delivery import recorder_for
from recruitment.errors import DomainError


def posting_check_listing(*, posting: Posting) -> ListingCheck:
    """Whether the board lists the posting's job, in words for the recruiter.

    Raises DomainError when the board has no listing to check or the job is not on it yet, when the account needs
    attention, when the board refuses our credentials (the account is then marked as needing attention) or cannot
    be asked (the reason is in the message).
    """
    account = posting.account
    adapter = account.adapter
    if Capability.LISTING_CHECK not in adapter.capabilities or not posting.board_id:
        raise DomainError(f"There is no {adapter.name} listing to check for this job.")
    if account.needs_attention:
        raise DomainError(f"{account.name} needs attention: {adapter.check_credentials}.")
    recorder = recorder_for(account_id=account.pk, posting_id=posting.pk)
    try:
        return adapter.check_listing(account=account, posting=posting, recorder=recorder)
    except BoardAuthError as exc:
        raise DomainError(board_account_mark_attention(account_id=account.pk, error=exc)) from exc
    except BoardError as exc:
        raise DomainError(f"{adapter.name} could not be asked: {exc.message}") from exc
