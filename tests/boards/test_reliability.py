"""What keeps the boards safe when things go wrong: the circuit breaker of each account, our own ceiling on tries
that never finish (a task cut off by its timeout, a worker killed), and the system checks of the task set-up."""

import datetime

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_q.models import OrmQ

from boards import checks
from boards.models import BoardAccount, InboundEvent, InboundStatus, Posting, PostingStatus
from boards.sandbox.models import SandboxFault, SandboxJob
from boards.services.circuit import circuit_permit
from boards.services.feeds import posting_feed_include
from boards.services.imports import bulk_import_send, feed_sync_now
from boards.services.inbound import inbound_event_process
from boards.services.postings import posting_send
from boards.tasks import deliver_posting
from tests.boards.factories import BoardAccountFactory, PostableVacancyFactory, PostingFactory, sandbox_base_url
from tests.factories import SuperUserFactory, UserFactory

DELIVER = "boards.tasks.deliver_posting"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("board_sessions_closed", "fast_retries")
class TestTheCircuitBreaker:
    @pytest.fixture(autouse=True)
    def _short(self, settings):
        settings.BOARD_RETRY_MAX_ATTEMPTS = 10
        settings.BOARD_RETRY_INLINE_MAX_SECONDS = 1

    @pytest.fixture
    def account(self, live_server):
        return BoardAccountFactory(board="jobsphere", base_url=sandbox_base_url(live_server.url, "jobsphere"))

    def send(self, account, queued_tasks) -> Posting:
        vacancy = PostableVacancyFactory()
        values = account.adapter.initial_values(vacancy)
        posting = posting_send(vacancy=vacancy, board=account.board, values=values, user=UserFactory())
        queued_tasks.run(DELIVER)
        posting.refresh_from_db()
        return posting

    def test_five_failures_in_a_row_open_it_then_one_probe_closes_it(self, account, queued_tasks, client):
        SandboxFault.objects.create(board="jobsphere", kind="503", remaining=5)
        posting = self.send(account, queued_tasks)
        account.refresh_from_db()
        assert posting.attempts.count() == 5  # the sixth try waits for the circuit
        assert (posting.status, account.consecutive_failures, account.circuit_open) == (PostingStatus.RETRYING, 5, True)
        assert posting.next_attempt_at >= account.circuit_open_until - datetime.timedelta(seconds=1)
        other = self.send(account, queued_tasks)
        assert (other.status, other.attempts.count()) == (PostingStatus.RETRYING, 0)
        client.force_login(SuperUserFactory())
        page = client.get(reverse("boards:post-to-board", args=[posting.vacancy_id, "jobsphere"]))
        assert "JobSphere is not answering" in page.text
        # The cool-down ends: one probe goes through; its success closes the circuit.
        BoardAccount.objects.filter(pk=account.pk).update(circuit_open_until=timezone.now())
        Posting.objects.filter(pk__in=[posting.pk, other.pk]).update(next_attempt_at=timezone.now())
        deliver_posting(posting.pk)
        account.refresh_from_db()
        assert (account.consecutive_failures, account.circuit_open_until) == (0, None)
        deliver_posting(other.pk)
        assert SandboxJob.objects.filter(board="jobsphere").count() == 2

    def test_a_failed_probe_opens_it_again(self, account, queued_tasks):
        BoardAccount.objects.filter(pk=account.pk).update(consecutive_failures=5, circuit_open_until=timezone.now())
        SandboxFault.objects.create(board="jobsphere", kind="503", remaining=1)
        posting = self.send(account, queued_tasks)
        account.refresh_from_db()
        assert posting.attempts.count() == 1
        assert (account.consecutive_failures, account.circuit_open) == (6, True)


@pytest.mark.django_db
def test_an_open_circuit_holds_a_bulk_import_back_without_a_call(monkeypatch):
    monkeypatch.setattr("boards.services.imports.async_task", lambda *args, **kwargs: None)
    account = BoardAccountFactory(board="locumjobsonline")
    vacancy = PostableVacancyFactory()
    posting_feed_include(
        vacancy=vacancy, board="locumjobsonline", values=account.adapter.initial_values(vacancy), user=UserFactory()
    )
    row = feed_sync_now(account=account, user=None)
    until = timezone.now() + datetime.timedelta(minutes=5)
    BoardAccount.objects.filter(pk=account.pk).update(consecutive_failures=5, circuit_open_until=until)
    wait = bulk_import_send(import_id=row.pk)
    row.refresh_from_db()
    assert 200 < wait <= 300
    assert (row.attempt_count, row.calls.count()) == (0, 0)
    assert row.next_attempt_at >= until - datetime.timedelta(seconds=1)


@pytest.mark.django_db
def test_only_one_caller_gets_the_probe():
    account = BoardAccountFactory(
        consecutive_failures=5, circuit_open_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert circuit_permit(account_id=account.pk) is None  # the probe
    assert circuit_permit(account_id=account.pk) > 0  # everyone else waits for its outcome
    assert circuit_permit(account_id=BoardAccountFactory(board="jobsphere").pk) is None  # another board: closed


@pytest.mark.django_db
def test_a_send_whose_every_try_timed_out_fails_at_our_ceiling_and_is_counted(settings, client):
    settings.BOARD_RETRY_MAX_ATTEMPTS = 3
    posting = PostingFactory(
        status=PostingStatus.SENDING,
        operation="publish",
        attempt_count=3,
        claimed_at=timezone.now() - datetime.timedelta(hours=1),
        vacancy=PostableVacancyFactory(),
    )
    deliver_posting(posting.pk)
    posting.refresh_from_db()
    assert posting.status == PostingStatus.FAILED
    assert posting.last_error == "NHS Jobs (sandbox): no try finished in 3 tries (each one timed out)."
    assert not posting.attempts.exists()
    client.force_login(SuperUserFactory())
    cards = {label: count for label, count, _ in client.get(reverse("dashboard")).context["cards"]}
    assert cards["Job boards needing attention"] == 1


@pytest.mark.django_db
def test_an_event_whose_every_try_timed_out_fails_at_our_ceiling(settings):
    settings.BOARD_INBOUND_MAX_ATTEMPTS = 4
    account = BoardAccountFactory(board="jobsphere")
    event = InboundEvent.objects.create(
        account=account,
        board="jobsphere",
        event_id="evt_slow",
        kind="application.received",
        status=InboundStatus.PROCESSING,
        attempts=4,
        claimed_at=timezone.now() - datetime.timedelta(hours=1),
    )
    assert inbound_event_process(event_id=event.pk) is None
    event.refresh_from_db()
    assert (event.status, event.last_error) == (
        InboundStatus.FAILED,
        "Gave up after 4 tries: processing never finished (timed out).",
    )


@pytest.mark.parametrize(
    ("timeout", "retry", "lease", "ids"),
    [
        (60, 90, 75, []),
        (90, 90, 95, ["boards.E001", "boards.E002"]),
        (60, 90, 95, ["boards.E002"]),
        (60, 90, 50, ["boards.E002"]),
    ],
)
def test_the_task_timeouts_are_checked(settings, timeout, retry, lease, ids):
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "timeout": timeout, "retry": retry}
    settings.BOARD_SENDING_LEASE_SECONDS = lease
    assert [error.id for error in checks.task_timeouts(None)] == ids


@pytest.mark.django_db
def test_redis_without_the_upkeep_schedule_is_warned_about(settings):
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "redis": "redis://127.0.0.1:6379/0"}
    assert checks.redis_needs_the_upkeep(None, databases=["default"]) == []  # migrate made the schedule
    from django_q.models import Schedule

    Schedule.objects.filter(func="boards.tasks.board_upkeep").delete()
    assert [warning.id for warning in checks.redis_needs_the_upkeep(None, databases=["default"])] == ["boards.W001"]
    settings.Q_CLUSTER = {key: value for key, value in settings.Q_CLUSTER.items() if key != "redis"}
    assert checks.redis_needs_the_upkeep(None, databases=["default"]) == []


@pytest.mark.django_db
class TestTasksBelongToTheirTransaction:
    """Q1: with the ORM broker the queue row is written in the service's transaction, so a failure after the enqueue
    leaves no task behind (and no posting marked as queued), and a commit leaves exactly one."""

    @pytest.fixture
    def account(self):
        return BoardAccountFactory(board="jobsphere", base_url="http://127.0.0.1:9/sandbox/jobsphere/v2")

    def test_a_send_that_fails_after_queueing_leaves_no_task(self, account):
        vacancy = PostableVacancyFactory()
        values = account.adapter.initial_values(vacancy)
        queued_inside = []

        def send_then_fail():
            with transaction.atomic():
                posting_send(vacancy=vacancy, board=account.board, values=values, user=UserFactory())
                queued_inside.append(OrmQ.objects.count())
                raise RuntimeError("the request failed after queueing")

        with pytest.raises(RuntimeError):
            send_then_fail()
        assert queued_inside == [1]
        assert OrmQ.objects.count() == 0
        assert not Posting.objects.filter(status=PostingStatus.QUEUED).exists()

        posting = posting_send(vacancy=vacancy, board=account.board, values=values, user=UserFactory())
        assert OrmQ.objects.count() == 1
        assert OrmQ.objects.get().task["args"] == (posting.pk,)
