"""LocumJobsOnline end to end: a real qcluster worker, the sandbox served by the live server, real HTTP both ways.

A sync of three vacancies, one with a postcode the board refuses, is one import: the worker sends it, the fake board
processes it in its own task and POSTs the callback, our receiver stores it and the worker maps the results back (two
live, one failed with the board's message on its vacancy's page). Closing a vacancy and syncing again takes its job
down (`deleted: 1`). With callbacks switched off the import completes by polling; the same callback twice (at once)
is one result.
"""

import threading

import pytest
import requests
from django.test import Client
from django.urls import reverse
from django_q.tasks import async_task

from boards.models import BulkImport, BulkImportStatus, InboundEvent, Posting, PostingStatus
from boards.registry import get_adapter
from boards.sandbox.models import SandboxBoardSettings, SandboxImport, SandboxJob
from boards.services.feeds import posting_feed_include
from boards.services.imports import feed_sync_now
from boards.types import BoardStatus
from recruitment.services.vacancies import vacancy_close
from tests.boards.factories import BoardAccountFactory, PostableVacancyFactory, sandbox_base_url
from tests.e2e.conftest import wait_until
from tests.factories import SuperUserFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("board_sessions_closed"),
]

BOARD = "locumjobsonline"
TOKEN = {"Authorization": "Bearer sandbox-locumjobsonline-token"}
ZIP_MESSAGE = "Zip is invalid. Value passed was: 0"


@pytest.fixture
def account(worker, live_server):
    return BoardAccountFactory(board=BOARD, base_url=sandbox_base_url(live_server.url, BOARD))


def include(user, **changes) -> Posting:
    vacancy = PostableVacancyFactory()
    values = {**get_adapter(BOARD).initial_values(vacancy), **changes}
    return posting_feed_include(vacancy=vacancy, board=BOARD, values=values, user=user)


def completed(row: BulkImport) -> BulkImport:
    return wait_until(lambda: BulkImport.objects.filter(pk=row.pk, status=BulkImportStatus.COMPLETE).first())


def test_a_sync_of_three_with_a_bad_postcode_then_a_closed_vacancy_comes_down(account, live_server):
    user = SuperUserFactory()
    good, bad, closing = include(user), include(user, postalCode="0"), include(user)
    first = completed(feed_sync_now(account=account, user=user))
    assert (first.added, first.failed, first.processed, first.deleted) == (2, 1, 3, 0)
    assert first.callback_received_at is not None
    assert SandboxImport.objects.count() == 1
    for posting in (good, closing):
        posting.refresh_from_db()
        assert (posting.status, posting.board_status) == (PostingStatus.POSTED, BoardStatus.LIVE)
    bad.refresh_from_db()
    assert (bad.status, bad.board_status, bad.last_error) == (PostingStatus.FAILED, BoardStatus.FAILED, ZIP_MESSAGE)
    client = Client()
    client.force_login(user)
    page = client.get(reverse("boards:post-to-board", args=[bad.vacancy.pk, BOARD]))
    assert page.context["form"].errors["postalCode"] == [ZIP_MESSAGE]
    assert "LocumJobsOnline did not take the job" in page.text

    vacancy_close(vacancy=closing.vacancy)
    second = completed(feed_sync_now(account=account, user=user))
    assert (second.deleted, second.unchanged, second.failed, second.added) == (1, 1, 1, 0)
    assert second.job_count == 2
    closing.refresh_from_db()
    good.refresh_from_db()
    assert (closing.board_status, good.board_status) == (BoardStatus.CLOSED, BoardStatus.LIVE)
    assert SandboxJob.objects.get(reference=closing.vacancy.reference).status == "deleted"
    # Every change (three inclusions, a closing) joined the next sync: two syncs, two imports.
    assert BulkImport.objects.count() == SandboxImport.objects.count() == 2


def test_without_a_callback_the_import_completes_by_polling(account, live_server):
    SandboxBoardSettings.objects.create(board=BOARD, skip_callback=True)
    posting = include(SuperUserFactory())
    row = feed_sync_now(account=account, user=None)
    wait_until(lambda: SandboxImport.objects.filter(status="complete").exists())
    async_task("boards.tasks.board_upkeep")
    row = completed(row)
    assert row.callback_received_at is None
    assert list(row.calls.order_by("pk").values_list("method", flat=True))[-1] == "GET"
    posting.refresh_from_db()
    assert posting.board_status == BoardStatus.LIVE
    assert not InboundEvent.objects.exists()


def test_the_same_callback_twice_at_once_is_one_result(account, live_server):
    SandboxBoardSettings.objects.create(board=BOARD, skip_callback=True)
    include(SuperUserFactory())
    row = feed_sync_now(account=account, user=None)
    board_import = wait_until(lambda: SandboxImport.objects.filter(status="complete").first())
    row = wait_until(lambda: BulkImport.objects.filter(pk=row.pk).exclude(board_import_id="").first())
    body = requests.get(f"{account.base_url}/job-imports/{board_import.public_id}", headers=TOKEN, timeout=10).json()[
        "data"
    ]
    url = f"{live_server.url}/boards/{BOARD}/imports/{row.token}/callback/"
    answers = []
    threads = [
        threading.Thread(target=lambda: answers.append(requests.post(url, json=body, timeout=10).json()["detail"]))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == ["Already received.", "Received."]
    row = completed(row)
    assert InboundEvent.objects.filter(kind="import.completed").count() == 1
    assert (row.added, row.failed) == (1, 0)
    again = requests.post(url, json=body, timeout=10)
    assert (again.status_code, again.json()["detail"]) == (200, "Already received.")
    unknown = requests.post(f"{live_server.url}/boards/{BOARD}/imports/not-a-token/callback/", json=body, timeout=10)
    assert unknown.status_code == 404
    assert InboundEvent.objects.count() == 1
