"""Read queries for board postings, shared by the vacancy pages, the dashboard and the posting page."""

import datetime

from django.conf import settings
from django.db.models import Q, QuerySet

from boards.models import BoardAccount, Posting, PostingStatus, PublishAttempt
from recruitment.models import Vacancy
from recruitment.selectors.scope import vacancies_visible_to


def postings_for_vacancy(*, vacancy: Vacancy) -> QuerySet[Posting]:
    """The vacancy's postings, one per board, with their accounts."""
    return Posting.objects.filter(vacancy=vacancy).select_related("account").order_by("account__board")


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
    """Sends that are late: due more than a minute ago and not started, or started longer ago than the lease."""
    lease = datetime.timedelta(seconds=settings.BOARD_SENDING_LEASE_SECONDS)
    return Posting.objects.filter(
        Q(
            status__in=[PostingStatus.QUEUED, PostingStatus.RETRYING],
            next_attempt_at__lt=now - datetime.timedelta(minutes=1),
        )
        | Q(status=PostingStatus.SENDING, claimed_at__lt=now - lease)
    )
