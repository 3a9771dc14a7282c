"""What the recruiter does on a bulk board (one that takes the account's whole feed in one import): include a
vacancy in the feed, change its values, take it out. Nothing here talks to the board: each change asks for a
(debounced) sync of the feed, which the worker sends (`boards.services.imports`).
"""

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from boards.base import Capability
from boards.drift import vacancy_baseline
from boards.models import Posting, PostingStatus
from boards.services.imports import feed_sync_request
from boards.services.postings import _editable, _locked_posting, ensure_can_post
from boards.types import BoardStatus, Operation
from boards.validation import to_json_values, validate
from recruitment.errors import DomainError
from recruitment.models import Vacancy


@transaction.atomic
def posting_feed_include(*, vacancy: Vacancy, board: str, values: Mapping[str, Any], user: AbstractBaseUser) -> Posting:
    """Include the vacancy in the board's feed with these values (or keep it there with new ones), and ask for a
    sync. The values must pass the board's spec (ValidationError by field, nothing saved); refused (DomainError)
    like a send when the vacancy may not be posted, the board takes jobs one by one, or the account needs attention.
    A posting the board refused starts again from "saved": the next sync's results say how it went.
    """
    account = ensure_can_post(vacancy=vacancy, board=board)
    adapter = account.adapter
    if Capability.BULK_IMPORT not in adapter.capabilities:
        raise DomainError(f"{adapter.name} takes jobs one by one: post the job instead.")
    if account.needs_attention:
        raise DomainError(f"{account.name} needs attention: {adapter.check_credentials}. Your changes were not saved.")
    result = validate(adapter.spec, {**_editable(adapter, values), **adapter.fixed_values(vacancy)})
    if not result.is_valid:
        raise ValidationError(result.errors)
    posting = _locked_posting(vacancy=vacancy, account=account)
    posting.values = to_json_values(result.values)
    posting.vacancy_values = vacancy_baseline(adapter, vacancy)
    posting.in_feed = True
    posting.operation = Operation.IMPORT
    if posting.status == PostingStatus.FAILED or posting.board_status == BoardStatus.FAILED:
        posting.status, posting.board_status, posting.board_status_raw = PostingStatus.DRAFT, "", ""
    posting.field_errors, posting.last_error = {}, ""
    posting.updated_by = user
    posting.save()
    feed_sync_request(account=account, user=user)
    return posting


@transaction.atomic
def posting_feed_remove(*, posting: Posting, user: AbstractBaseUser) -> Posting:
    """Take the vacancy out of the feed (its values are kept) and ask for a sync, which takes its job down."""
    posting = Posting.objects.select_for_update().select_related("account").get(pk=posting.pk)
    if not posting.in_feed:
        raise DomainError(f"This job is not in the {posting.account.adapter.name} feed.")
    posting.in_feed = False
    posting.updated_by = user
    posting.save(update_fields=["in_feed", "updated_by", "updated_at"])
    feed_sync_request(account=posting.account, user=user)
    return posting
