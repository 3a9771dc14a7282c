"""Read queries for board accounts, postings and inbound events, shared by the vacancy pages, the dashboard, the
posting page and the admin."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet

from boards.base import BoardAdapter
from boards.drift import DriftAction, FieldDrift, drift_action, posting_drift
from boards.models import (
    BoardAccount,
    BulkImport,
    BulkImportStatus,
    InboundEvent,
    InboundStatus,
    Posting,
    PostingStatus,
    PublishAttempt,
)
from boards.types import BOARDS, Operation
from recruitment.models import Vacancy, VacancyStatus
from recruitment.selectors.scope import applications_visible_to, vacancies_visible_to

INBOUND_VIEW_PERMISSION = "boards.view_inboundevent"


@dataclass(frozen=True)
class BoardRow:
    """One board on a vacancy's page: the account, its adapter, the vacancy's posting there (None if none), the
    posting's fields that drifted from the vacancy and what taking the vacancy's values would do
    (`boards.drift`), and why the board takes no update of its job now ("" while it does)."""

    account: BoardAccount
    adapter: BoardAdapter
    posting: Posting | None
    drift: tuple[FieldDrift, ...] = ()
    drift_action: DriftAction | None = None
    update_refusal: str = ""


def _board_row(account: BoardAccount, vacancy: Vacancy, posting: Posting | None) -> BoardRow:
    adapter = account.adapter
    drift = posting_drift(adapter=adapter, vacancy=vacancy, posting=posting)
    if not drift:
        return BoardRow(account, adapter, posting)
    action = drift_action(adapter, posting)
    refusal = adapter.update_refusal(posting) if action == DriftAction.SAVE_HERE_ONLY else ""
    return BoardRow(account, adapter, posting, drift, action, refusal)


def boards_for_vacancy(*, vacancy: Vacancy) -> list[BoardRow]:
    """Every enabled board account, in registry order, with the vacancy's posting on it and its drift from the
    vacancy (two queries, and the adapters' reads of the organisation's settings for postings with saved values)."""
    postings = {posting.account_id: posting for posting in Posting.objects.filter(vacancy=vacancy)}
    accounts = BoardAccount.objects.filter(enabled=True).order_by("pk")
    rows = [_board_row(account, vacancy, postings.get(account.pk)) for account in accounts]
    order = list(BOARDS)
    return sorted(rows, key=lambda row: order.index(row.account.board) if row.account.board in order else len(order))


def inbound_events_failed(*, user) -> QuerySet[InboundEvent]:
    """Failed inbound events the user may see: those about vacancies or applications in their scope, and, for
    holders of `boards.view_inboundevent`, those we could not tie to anything (an unknown job, a refused CV)."""
    events = InboundEvent.objects.filter(status=InboundStatus.FAILED)
    visible = Q(posting__vacancy__in=vacancies_visible_to(user)) | Q(application__in=applications_visible_to(user))
    if user.has_perm(INBOUND_VIEW_PERMISSION):
        visible |= Q(posting__isnull=True, application__isnull=True)
    return events.filter(visible)


def postings_needing_attention(*, user) -> QuerySet[Posting]:
    """Postings that failed, or whose board account needs attention, on vacancies in the user's data scope."""
    return (
        Posting.objects.filter(Q(status=PostingStatus.FAILED) | Q(account__needs_attention=True))
        .filter(vacancy__in=vacancies_visible_to(user))
        .select_related("account", "vacancy")
        .order_by("-updated_at")
    )


def posting_for(*, vacancy: Vacancy, board: str) -> Posting | None:
    """The vacancy's posting on a board, if it has one."""
    return Posting.objects.filter(vacancy=vacancy, account__board=board).select_related("account").first()


def account_for_board(*, board: str) -> BoardAccount | None:
    """The organisation's account on a board, if one is set up."""
    return BoardAccount.objects.filter(board=board).first()


def attempts_for_posting(*, posting: Posting, limit: int = 20) -> QuerySet[PublishAttempt]:
    """The posting's most recent calls to the board, newest first."""
    return posting.attempts.order_by("-created_at", "-pk")[:limit]


def postings_overdue(*, now: datetime.datetime) -> QuerySet[Posting]:
    """Sends that are late: due more than a minute ago and not started, or started longer ago than the lease.
    (Jobs of bulk boards travel in imports, never one by one: see `bulk_imports_overdue`.)"""
    lease = datetime.timedelta(seconds=settings.BOARD_SENDING_LEASE_SECONDS)
    return Posting.objects.filter(
        Q(
            status__in=[PostingStatus.QUEUED, PostingStatus.RETRYING],
            next_attempt_at__lt=now - datetime.timedelta(minutes=1),
        )
        | Q(status=PostingStatus.SENDING, claimed_at__lt=now - lease)
    ).exclude(operation=Operation.IMPORT)


def feed_postings(*, account: BoardAccount) -> QuerySet[Posting]:
    """A bulk board's feed: the account's postings the recruiter included (with values valid by the board's spec)
    whose vacancy is advertised externally, i.e. every job that should be live there."""
    return Posting.objects.filter(account=account, in_feed=True, vacancy__status=VacancyStatus.ADVERTISED_EXTERNAL)


def bulk_imports_for_account(*, account: BoardAccount, limit: int = 5) -> QuerySet[BulkImport]:
    """The account's most recent imports, newest first (the board page's progress panel)."""
    return account.bulk_imports.order_by("-created_at", "-pk")[:limit]


def bulk_imports_overdue(*, now: datetime.datetime) -> QuerySet[BulkImport]:
    """Imports whose sending is late (its task was lost): waiting and due more than a minute ago, due to retry more
    than a minute ago, or claimed longer ago than the lease."""
    minute_ago = now - datetime.timedelta(minutes=1)
    lease = datetime.timedelta(seconds=settings.BOARD_SENDING_LEASE_SECONDS)
    return BulkImport.objects.filter(
        Q(status=BulkImportStatus.QUEUED, due_at__lt=minute_ago)
        | Q(status=BulkImportStatus.SENDING, next_attempt_at__lt=minute_ago)
        | Q(status=BulkImportStatus.SENDING, next_attempt_at__isnull=True, claimed_at__lt=now - lease)
    )


def bulk_imports_awaiting_results(*, now: datetime.datetime) -> QuerySet[BulkImport]:
    """Imports the board accepted whose results have not been recorded within BOARD_IMPORT_CALLBACK_GRACE_SECONDS of
    their sending: the ones to poll (no callback came, or one came but could not be applied)."""
    grace = datetime.timedelta(seconds=settings.BOARD_IMPORT_CALLBACK_GRACE_SECONDS)
    return BulkImport.objects.filter(
        status__in=[BulkImportStatus.PENDING, BulkImportStatus.RUNNING], sent_at__lt=now - grace
    ).exclude(board_import_id="")


def board_attention_count(*, user) -> int:
    """What the dashboard's "Job boards needing attention" counts (two queries): vacancies whose postings need
    attention, plus inbound events that failed, within what the user may see."""
    vacancies = postings_needing_attention(user=user).values("vacancy_id").distinct().count()
    return vacancies + inbound_events_failed(user=user).count()
