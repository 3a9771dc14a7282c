"""Board sends under process failures, with real task clusters over real HTTP to the sandbox served by the live
server: a worker killed (SIGKILL) mid-call and restarted, a task that always outlives its timeout, and two clusters
sharing one queue. Nothing is sent twice and nothing is left undone."""

import signal
import time

import pytest
from django.db import connection

from boards.models import Posting, PostingStatus, PublishAttempt
from boards.sandbox.models import SandboxFault, SandboxJob
from boards.services.postings import posting_send
from recruitment.models import Vacancy
from tests.boards.factories import BoardAccountFactory, PostableVacancyFactory, sandbox_base_url
from tests.e2e.conftest import descendants, is_running, kill_worker, start_worker, stop_worker, wait_until
from tests.factories import SuperUserFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("board_sessions_closed"),
]


@pytest.fixture
def account(live_server):
    return BoardAccountFactory(board="jobsphere", base_url=sandbox_base_url(live_server.url, "jobsphere"))


def queue_send(account, vacancy=None) -> Posting:
    vacancy = vacancy or PostableVacancyFactory()
    values = account.adapter.initial_values(vacancy)
    return posting_send(vacancy=vacancy, board=account.board, values=values, user=SuperUserFactory())


def test_a_worker_killed_mid_call_is_replaced_and_the_job_is_made_once(live_server, account):
    """The board does the work while our worker dies; the restarted cluster resends (same reference), and the board
    answers with the job it already made."""
    SandboxFault.objects.create(board="jobsphere", kind="slow", delay_seconds=4)
    fast = {"Q_TIMEOUT": "6", "Q_RETRY": "8", "BOARD_READ_TIMEOUT_SECONDS": "10"}
    first = start_worker(live_server, **fast)
    posting = queue_send(account)
    wait_until(lambda: Posting.objects.filter(pk=posting.pk, status=PostingStatus.SENDING).exists(), timeout=30)
    time.sleep(1)  # the call is in flight: the sandbox is holding it
    kill_worker(first)
    wait_until(lambda: SandboxJob.objects.filter(board="jobsphere").exists(), timeout=15)  # the work was done
    second = start_worker(live_server, **fast)
    try:
        done = wait_until(
            lambda: Posting.objects.filter(pk=posting.pk, status=PostingStatus.POSTED).first(), timeout=60
        )
    finally:
        stop_worker(second)
    job = SandboxJob.objects.get(board="jobsphere")
    assert done.board_id == job.public_id
    assert list(PublishAttempt.objects.filter(posting=posting).values_list("status_code", flat=True)) == [200]


def test_a_send_that_always_outlives_its_timeout_stops_at_our_ceiling(live_server, account):
    SandboxFault.objects.create(board="jobsphere", kind="slow", delay_seconds=6, remaining=10)
    cluster = start_worker(
        live_server, Q_TIMEOUT="2", Q_RETRY="4", BOARD_READ_TIMEOUT_SECONDS="20", BOARD_RETRY_MAX_ATTEMPTS="2"
    )
    try:
        posting = queue_send(account)
        failed = wait_until(
            lambda: Posting.objects.filter(pk=posting.pk, status=PostingStatus.FAILED).first(), timeout=60
        )
    finally:
        stop_worker(cluster)
    assert failed.attempt_count == 2
    assert "no try finished in 2 tries (each one timed out)" in failed.last_error
    # Our tries were cut off, but the sandbox's threads still hold them: let them answer before the test's data goes
    # (a job made after the flush would land in the next test's database).
    time.sleep(7)
    assert SandboxJob.objects.filter(board="jobsphere").count() == 1  # both tries reached the board: one job


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two clusters on one queue: PostgreSQL (as in CI)")
def test_two_clusters_share_1000_sends_and_each_is_made_once(live_server, account):
    template = PostableVacancyFactory()
    shared = {field.attname: getattr(template, field.attname) for field in Vacancy._meta.concrete_fields}
    shared.pop("id")
    vacancies = Vacancy.objects.bulk_create(
        [Vacancy(**{**shared, "reference": f"VAC-2031-{number:04d}"}) for number in range(1000)]
    )
    values, user = account.adapter.initial_values(template), SuperUserFactory()
    postings = [posting_send(vacancy=vacancy, board="jobsphere", values=values, user=user) for vacancy in vacancies]
    clusters = [start_worker(live_server, Q_WORKERS="2") for _ in range(2)]
    try:
        sent = Posting.objects.filter(pk__in=[posting.pk for posting in postings])
        wait_until(lambda: not sent.exclude(status=PostingStatus.POSTED).exists(), timeout=300, interval=1)
    finally:
        for cluster in clusters:
            stop_worker(cluster)
    references = [vacancy.reference for vacancy in vacancies]
    made = SandboxJob.objects.filter(board="jobsphere", reference__in=references)
    assert sorted(made.values_list("reference", flat=True)) == sorted(references)  # each job made, and once
    publishes = PublishAttempt.objects.filter(posting__in=postings, operation="publish")
    assert publishes.count() == 1000  # each sent exactly once: no job asked for twice
    assert publishes.values("posting").distinct().count() == 1000


def test_sigterm_stops_the_worker_within_its_timeout_and_the_send_resumes(live_server, account):
    """A task stuck in a slow call would keep `qcluster` alive past SIGTERM; `taskworker` gives it the task timeout,
    then stops it; the next worker finishes the send, once."""
    slow = 25
    SandboxFault.objects.create(board="jobsphere", kind="slow", delay_seconds=slow)
    settings = {"Q_TIMEOUT": "2", "Q_RETRY": "6", "BOARD_READ_TIMEOUT_SECONDS": "40"}
    cluster = start_worker(live_server, **settings)
    posting = queue_send(account)
    wait_until(lambda: Posting.objects.filter(pk=posting.pk, status=PostingStatus.SENDING).exists(), timeout=30)
    called = time.monotonic()
    cluster.send_signal(signal.SIGTERM)
    below = descendants(cluster.pid)
    assert cluster.wait(timeout=slow - 5) == 0  # a plain qcluster would wait for the stuck call to end
    assert below  # the cluster and its workers ran below the taskworker ...
    assert not [pid for pid in below if is_running(pid)]  # ... and none of them is left
    second = start_worker(live_server, **settings)
    try:
        done = wait_until(
            lambda: Posting.objects.filter(pk=posting.pk, status=PostingStatus.POSTED).first(), timeout=60
        )
    finally:
        stop_worker(second)
    assert done.board_id == SandboxJob.objects.get(board="jobsphere").public_id
    # The sandbox's thread still holds the first call: let it answer (the same job) before the test's data goes.
    time.sleep(max(0.0, slow + 1 - (time.monotonic() - called)))
    assert SandboxJob.objects.filter(board="jobsphere").count() == 1


def test_an_idle_worker_stops_at_once_on_sigterm(live_server):
    """Nothing running: the cluster stops as soon as it is asked, long before the task timeout's grace."""
    cluster = start_worker(live_server, Q_TIMEOUT="30", Q_RETRY="40")
    wait_until(lambda: len(descendants(cluster.pid)) >= 3, timeout=30)  # the cluster and its processes are up
    below = descendants(cluster.pid)
    cluster.send_signal(signal.SIGTERM)
    assert cluster.wait(timeout=20) == 0  # the grace would be 35 s
    assert not [pid for pid in below if is_running(pid)]
