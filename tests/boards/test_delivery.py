"""The delivery machinery every board shares (one board, NHS Jobs, stands for all; the per-board behaviour is in the
adapter contract): claims, leases, the retry limit, scheduled waits and the upkeep that resumes lost sends."""

import datetime

import pytest
from django.utils import timezone
from django_q.models import Schedule

from boards.adapters.nhs_jobs.adapter import NhsJobsAdapter
from boards.models import Posting, PostingStatus, PublishAttempt
from boards.sandbox.models import SandboxFault, SandboxJob
from boards.services.delivery import _claim
from boards.services.postings import posting_send
from boards.tasks import board_upkeep, deliver_posting
from tests.boards.factories import BoardAccountFactory, PostableVacancyFactory, sandbox_base_url
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("board_sessions_closed", "fast_retries"),
]


@pytest.fixture
def account(live_server):
    return BoardAccountFactory(base_url=sandbox_base_url(live_server.url, "nhs-jobs"))


def _queued(account, queued_tasks):
    vacancy = PostableVacancyFactory()
    values = NhsJobsAdapter().initial_values(vacancy)
    posting = posting_send(vacancy=vacancy, board="nhs-jobs", values=values, user=UserFactory())
    queued_tasks.clear()
    return posting


def test_a_claimed_posting_is_left_to_its_worker(account, queued_tasks):
    posting = _queued(account, queued_tasks)
    assert _claim(posting.pk) is not None
    deliver_posting(posting.pk)  # a duplicate delivery while the first worker is sending
    assert PublishAttempt.objects.count() == 0


def test_a_send_whose_worker_died_is_taken_over_after_the_lease(account, queued_tasks, settings):
    """The worker died after the board created the draft: the resend carries the same idempotency key."""
    settings.BOARD_SENDING_LEASE_SECONDS = 0
    posting = _queued(account, queued_tasks)
    _claim(posting.pk)
    posting.refresh_from_db()
    NhsJobsAdapter().publish(
        account=account, values=posting.values, client_reference=str(posting.client_reference), recorder=lambda c: None
    )
    deliver_posting(posting.pk)
    posting.refresh_from_db()
    assert SandboxJob.objects.count() == 1
    assert posting.board_id == str(SandboxJob.objects.get().pk)


def test_retries_stop_at_the_limit(account, queued_tasks, settings):
    settings.BOARD_RETRY_MAX_ATTEMPTS = 2
    SandboxFault.objects.create(board="nhs-jobs", kind="503", remaining=5)
    posting = _queued(account, queued_tasks)
    deliver_posting(posting.pk)
    posting.refresh_from_db()
    assert posting.status == PostingStatus.FAILED
    assert "after 2 tries" in posting.last_error
    assert PublishAttempt.objects.count() == 2


def test_a_long_wait_is_scheduled_not_slept(account, queued_tasks, settings):
    settings.BOARD_RETRY_INLINE_MAX_SECONDS = 0.01
    SandboxFault.objects.create(board="nhs-jobs", kind="429", remaining=1, retry_after=120)
    posting = _queued(account, queued_tasks)
    deliver_posting(posting.pk)
    posting.refresh_from_db()
    assert posting.status == PostingStatus.RETRYING
    scheduled = Schedule.objects.get(func="boards.tasks.deliver_posting")
    assert scheduled.next_run >= posting.next_attempt_at.replace(microsecond=0)
    deliver_posting(posting.pk)  # an early duplicate does nothing
    assert PublishAttempt.objects.count() == 1


def test_lost_sends_are_resumed_by_the_upkeep(account, queued_tasks):
    lost = _queued(account, queued_tasks)
    Posting.objects.filter(pk=lost.pk).update(
        status=PostingStatus.SENDING, claimed_at=timezone.now() - datetime.timedelta(hours=1)
    )
    busy = _queued(account, queued_tasks)
    Posting.objects.filter(pk=busy.pk).update(status=PostingStatus.SENDING, claimed_at=timezone.now())
    board_upkeep()
    assert [args for func, args in queued_tasks if func == "boards.tasks.deliver_posting"] == [(lost.pk,)]
    queued_tasks.run("boards.tasks.deliver_posting")
    lost.refresh_from_db()
    assert lost.status == PostingStatus.POSTED
