"""The demo's boards: an account on every fake board of the sandbox, a few vacancies posted to the boards that
take applications, so `make run` shows live jobs a person can apply to in the sandbox and see arrive in the pipeline,
and a few in the feed of each bulk board, which its first sync sends.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from boards.base import Capability
from boards.models import BoardAccount, Posting
from boards.registry import get_adapter
from boards.sandbox.registry import sandbox_modules
from boards.services.accounts import board_account_save
from boards.services.feeds import posting_feed_include
from boards.services.postings import posting_send
from boards.validation import validate
from recruitment.models import Vacancy, VacancyStatus


def sandbox_base_url(code: str, *, site_url: str | None = None) -> str:
    """A fake board's API base URL on this site (SITE_URL, which `make run` sets from its HOST and PORT)."""
    module = dict(sandbox_modules())[code]
    return f"{(site_url or settings.SITE_URL).rstrip('/')}/sandbox/{code}{module.API_PATH}"


@transaction.atomic
def demo_accounts_ensure(*, site_url: str | None = None, repoint: bool = False) -> list[BoardAccount]:
    """An account on every fake board, with the sandbox's demo credentials (BOARDS.md). An existing account is left
    as it is, unless `repoint` (then it is pointed at this site's sandbox and re-keyed, never duplicated)."""
    accounts = []
    for code, module in sandbox_modules():
        account = BoardAccount.objects.filter(board=code).first()
        if account is None or repoint:
            account = board_account_save(
                account=account,
                board=code,
                name=f"{module.NAME} (sandbox)",
                base_url=sandbox_base_url(code, site_url=site_url),
                settings=module.DEMO_SETTINGS,
            )
        accounts.append(account)
    return accounts


@transaction.atomic
def demo_postings_ensure(*, user: AbstractBaseUser, per_board: int = 3) -> int:
    """Post a few externally advertised vacancies to each demo board that takes applications back (webhooks), and
    include a few in the feed of each bulk board, the first time only (a board with postings already is left
    alone). Returns how many were queued or included; the worker sends them once it runs."""
    queued = 0
    for account in BoardAccount.objects.filter(enabled=True):
        adapter = get_adapter(account.board)
        bulk = Capability.BULK_IMPORT in adapter.capabilities
        if not (bulk or Capability.WEBHOOKS in adapter.capabilities):
            continue
        if Posting.objects.filter(account=account).exists():
            continue
        vacancies = Vacancy.objects.filter(status=VacancyStatus.ADVERTISED_EXTERNAL).order_by("reference")
        for vacancy in vacancies:
            values = adapter.initial_values(vacancy)
            if not validate(adapter.spec, values).is_valid:
                continue
            publish = posting_feed_include if bulk else posting_send
            publish(vacancy=vacancy, board=account.board, values=values, user=user)
            queued += 1
            if queued % per_board == 0:
                break
    return queued
