"""The board account a webhook is verified against, kept in memory between requests.

A webhook request needs the account for two things only: its signing secret (to verify the body) and its id (the
stored event's account). Reading it from the database on every request cost a round trip and ORM work, about an
eighth of the receiver's time (`bench/webhooks.py`), so each process keeps the account it read for
`ACCOUNT_TTL_SECONDS`, as Django's sites framework keeps the current `Site` (`SITE_CACHE`). It is forgotten at once
in the process that saves or deletes an account (the signals below); another process sees the change within the
time to live, and sooner where it matters: a body that does not verify against the kept secret is checked again
against the account read afresh (`webhook_account(..., fresh=True)`), so a secret rotated in the admin is accepted at
once everywhere. Nothing else reads accounts from here: posting, polling and processing read the database.
"""

import time

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from boards.models import BoardAccount

ACCOUNT_TTL_SECONDS = 30.0

# board code -> (the account or None when the board has none, monotonic time it was read)
_accounts: dict[str, tuple[BoardAccount | None, float]] = {}


def webhook_account(board: str, *, fresh: bool = False) -> BoardAccount | None:
    """The account on `board` (None when there is none), read at most `ACCOUNT_TTL_SECONDS` ago unless `fresh`."""
    now = time.monotonic()
    kept = _accounts.get(board)
    if kept is not None and not fresh and now - kept[1] < ACCOUNT_TTL_SECONDS:
        return kept[0]
    account = BoardAccount.objects.filter(board=board).first()
    _accounts[board] = (account, now)
    return account


def webhook_accounts_forget() -> None:
    """Forget every kept account (an account was saved or deleted here; tests between cases)."""
    _accounts.clear()


@receiver(post_save, sender=BoardAccount, dispatch_uid="boards-webhook-accounts-saved")
@receiver(post_delete, sender=BoardAccount, dispatch_uid="boards-webhook-accounts-deleted")
def _account_changed(sender, **kwargs) -> None:
    webhook_accounts_forget()
