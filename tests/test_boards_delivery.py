"""Sending postings over real HTTP to the sandbox (served by the live server), with the task run in this process."""

import datetime

import pytest
from django.utils import timezone
from django_q.models import Schedule

from boards import services
from boards.adapters.nhs_jobs.adapter import NhsJobsAdapter
from boards.models import AttemptOutcome, Posting, PostingStatus, PublishAttempt
from boards.sandbox.models import SandboxFault, SandboxJob
from boards.tasks import board_upkeep, deliver_posting
from tests.boards_factories import (
    BoardAccountFactory,
    PostableVacancyFactory,
    board_sessions_closed,  # noqa: F401 - a fixture
)
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("board_sessions_closed")]


@pytest.fixture
def account(live_server):
    return BoardAccountFactory(base_url=f"{live_server.url}/sandbox/nhs-jobs")


@pytest.fixture(autouse=True)
def _fast_retries(settings, monkeypatch):
    settings.BOARD_RETRY_BASE_SECONDS = 0.05
    settings.BOARD_READ_TIMEOUT_SECONDS = 2
    # Queueing runs nothing here: each test calls the task itself, as the worker would.
    monkeypatch.setattr(services, "async_task", lambda *args, **kwargs: None)


def _queued(account):
    vacancy = PostableVacancyFactory()
    values = NhsJobsAdapter().initial_values(vacancy)
    return services.posting_send(vacancy=vacancy, account=account, values=values, user=UserFactory())


def test_publish_creates_one_draft_and_records_the_call(account):
    posting = _queued(account)
    deliver_posting(posting.pk)
    posting.refresh_from_db()
    job = SandboxJob.objects.get()
    assert (posting.status, posting.board_id, posting.board_status) == (PostingStatus.POSTED, str(job.pk), "draft")
    attempt = PublishAttempt.objects.get()
    assert (attempt.status_code, attempt.outcome) == (201, AttemptOutcome.SUCCESS)
    assert attempt.request_summary["headers"]["Authorization"] == "[redacted]"
    assert "sandbox-nhs-jobs-key" not in str(attempt.request_summary)


def test_the_task_run_twice_sends_once(account):
    posting = _queued(account)
    deliver_posting(posting.pk)
    deliver_posting(posting.pk)
    assert SandboxJob.objects.count() == 1
    assert PublishAttempt.objects.count() == 1


def test_a_claimed_posting_is_left_to_its_worker(account):
    posting = _queued(account)
    assert services._claim(posting.pk) is not None
    deliver_posting(posting.pk)  # a duplicate delivery while the first worker is sending
    assert PublishAttempt.objects.count() == 0


def test_a_lost_answer_resent_returns_the_same_draft(account, settings):
    """The worker died after the board created the draft: the resend carries the same idempotency key."""
    settings.BOARD_SENDING_LEASE_SECONDS = 0
    posting = _queued(account)
    services._claim(posting.pk)
    adapter = NhsJobsAdapter()
    posting.refresh_from_db()
    adapter.publish(
        account=account, values=posting.values, client_reference=str(posting.client_reference), recorder=lambda c: None
    )
    deliver_posting(posting.pk)  # the lease has run out: the send is taken over
    posting.refresh_from_db()
    assert SandboxJob.objects.count() == 1
    assert posting.board_id == str(SandboxJob.objects.get().pk)


def test_temporary_failures_are_retried_then_succeed(account):
    SandboxFault.objects.create(board="nhs-jobs", kind="503", remaining=2)
    SandboxFault.objects.create(board="nhs-jobs", kind="drop", remaining=1)
    posting = _queued(account)
    deliver_posting(posting.pk)
    posting.refresh_from_db()
    assert posting.status == PostingStatus.POSTED
    assert SandboxJob.objects.count() == 1
    outcomes = list(PublishAttempt.objects.order_by("pk").values_list("status_code", "outcome"))
    assert outcomes == [(503, "temporary"), (503, "temporary"), (None, "temporary"), (201, "success")]


def test_retries_stop_at_the_limit(account, settings):
    settings.BOARD_RETRY_MAX_ATTEMPTS = 2
    SandboxFault.objects.create(board="nhs-jobs", kind="503", remaining=5)
    posting = _queued(account)
    deliver_posting(posting.pk)
    posting.refresh_from_db()
    assert posting.status == PostingStatus.FAILED
    assert "after 2 tries" in posting.last_error
    assert PublishAttempt.objects.count() == 2


def test_a_long_wait_is_scheduled_not_slept(account, settings):
    settings.BOARD_RETRY_INLINE_MAX_SECONDS = 0.01
    SandboxFault.objects.create(board="nhs-jobs", kind="429", remaining=1, retry_after=120)
    posting = _queued(account)
    deliver_posting(posting.pk)
    posting.refresh_from_db()
    assert posting.status == PostingStatus.RETRYING
    scheduled = Schedule.objects.get(func="boards.tasks.deliver_posting")
    assert scheduled.next_run >= posting.next_attempt_at.replace(microsecond=0)
    deliver_posting(posting.pk)  # an early duplicate does nothing
    assert PublishAttempt.objects.count() == 1


def test_a_400_maps_the_board_field_to_the_form_field(account):
    SandboxFault.objects.create(
        board="nhs-jobs", kind="400", field="salary", message="The salary you have entered is not valid."
    )
    posting = _queued(account)
    deliver_posting(posting.pk)
    posting.refresh_from_db()
    assert posting.status == PostingStatus.FAILED
    assert posting.field_errors == {"salary_type": ["The salary you have entered is not valid."]}
    assert PublishAttempt.objects.count() == 1


@pytest.mark.parametrize(("field", "value", "status"), [("api_key", "wrong", 401), ("org_id", "OTHER-ORG", 403)])
def test_auth_failures_mark_the_account(account, field, value, status):
    if field == "api_key":
        services.board_account_save(
            account=account,
            board="nhs-jobs",
            name=account.name,
            base_url=account.base_url,
            org_id=account.org_id,
            account_id=account.account_id,
            credentials={"api_key": value},
        )
    posting = _queued(account)
    account.refresh_from_db()
    if field == "org_id":
        type(account).objects.filter(pk=account.pk).update(org_id=value)
    deliver_posting(posting.pk)
    posting.refresh_from_db()
    account.refresh_from_db()
    assert account.needs_attention
    assert "check the board's Org ID / Account ID and credentials" in account.attention_reason
    assert str(status) in account.attention_reason
    assert posting.status == PostingStatus.FAILED


def test_update_changes_the_draft(account):
    posting = _queued(account)
    deliver_posting(posting.pk)
    values = {**posting.values, "title": "Senior Staff Nurse"}
    services.posting_send(vacancy=posting.vacancy, account=account, values=values, user=UserFactory())
    deliver_posting(posting.pk)
    job = SandboxJob.objects.get()
    assert (job.payload["title"], job.update_count) == ("Senior Staff Nurse", 1)


def test_lost_sends_are_resumed_by_the_upkeep(account, monkeypatch):
    queued = []
    monkeypatch.setattr(services, "async_task", lambda func, posting_id, **kwargs: queued.append(posting_id))
    lost = _queued(account)
    Posting.objects.filter(pk=lost.pk).update(
        status=PostingStatus.SENDING, claimed_at=timezone.now() - datetime.timedelta(hours=1)
    )
    busy = _queued(account)
    Posting.objects.filter(pk=busy.pk).update(status=PostingStatus.SENDING, claimed_at=timezone.now())
    queued.clear()
    board_upkeep()
    assert queued == [lost.pk]
    deliver_posting(lost.pk)
    lost.refresh_from_db()
    assert lost.status == PostingStatus.POSTED
