"""The posting page's own status checks, over real HTTP against the NHS Jobs sandbox: while the job waits there as
a draft, the page's poll queues a read of its status at most once per BOARD_DRAFT_CHECK_SECONDS, answers 204 until
the status changes, and the read records the board's answer without marking the posting as sending."""

import datetime

import pytest
from django.db.models import F
from django.test import Client
from django.urls import reverse

from boards.models import Posting, PostingStatus
from boards.registry import get_adapter
from boards.sandbox.models import SandboxFault, SandboxJob
from boards.services.postings import posting_save_draft, posting_send
from boards.services.status_checks import CHECK_TASK
from boards.types import BoardStatus, Operation
from tests.boards.factories import BoardAccountFactory, PostableVacancyFactory, sandbox_base_url
from tests.factories import SuperUserFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("board_sessions_closed")]

DELIVER = "boards.tasks.deliver_posting"


@pytest.fixture
def posted(live_server, queued_tasks) -> Posting:
    """A job NHS Jobs (the sandbox) has as a draft, waiting to be published."""
    BoardAccountFactory(base_url=sandbox_base_url(live_server.url, "nhs-jobs"))
    vacancy = PostableVacancyFactory()
    values = get_adapter("nhs-jobs").initial_values(vacancy)
    posting = posting_send(vacancy=vacancy, board="nhs-jobs", values=values, user=UserFactory())
    queued_tasks.run(DELIVER)
    posting.refresh_from_db()
    assert (posting.status, posting.board_status) == (PostingStatus.POSTED, BoardStatus.DRAFT)
    return posting


@pytest.fixture
def watch(posted):
    client = Client()
    client.force_login(SuperUserFactory())
    url = reverse("boards:post-to-board-status", args=[posted.vacancy_id, "nhs-jobs"]) + "?watch=draft"
    return lambda: client.get(url, headers={"HX-Request": "true"})


def _checks(posting: Posting) -> list[str]:
    return list(posting.attempts.filter(operation=Operation.STATUS).values_list("outcome", flat=True))


def _interval_passes(posting: Posting, settings) -> None:
    interval = datetime.timedelta(seconds=settings.BOARD_DRAFT_CHECK_SECONDS + 1)
    Posting.objects.filter(pk=posting.pk).update(status_checked_at=F("status_checked_at") - interval)


def test_the_page_learns_that_the_draft_was_published_without_a_click(posted, watch, queued_tasks, settings):
    answer = watch()
    assert (answer.status_code, answer.content) == (204, b"")
    assert queued_tasks.funcs() == [CHECK_TASK]
    assert watch().status_code == 204
    assert queued_tasks.funcs() == [CHECK_TASK]  # one read per interval, however often pages ask

    queued_tasks.run(CHECK_TASK)
    posted.refresh_from_db()
    assert (posted.board_status, _checks(posted)) == (BoardStatus.DRAFT, ["success"])

    SandboxJob.objects.filter(board="nhs-jobs").update(status="published")
    _interval_passes(posted, settings)
    assert watch().status_code == 204
    queued_tasks.run(CHECK_TASK)
    posted.refresh_from_db()
    assert (posted.status, posted.board_status, posted.board_status_raw) == ("posted", BoardStatus.LIVE, "published")
    assert _checks(posted) == ["success", "success"]

    answer = watch()
    assert answer.status_code == 200
    assert "It is published on NHS Jobs." in answer.text
    assert 'id="posting-history"' in answer.text
    assert "HX-Refresh" not in answer.headers  # what the recruiter is typing stays
    assert queued_tasks == []


def test_a_read_the_board_does_not_answer_changes_nothing_and_the_next_check_tries_again(
    posted, watch, queued_tasks, settings, fast_retries
):
    SandboxFault.objects.create(board="nhs-jobs", kind="503")
    watch()
    queued_tasks.run(CHECK_TASK)
    posted.refresh_from_db()
    assert (posted.status, posted.board_status, _checks(posted)) == ("posted", BoardStatus.DRAFT, ["temporary"])
    _interval_passes(posted, settings)
    watch()
    assert queued_tasks.funcs() == [CHECK_TASK]


def test_a_check_never_blocks_the_recruiter(posted, watch, queued_tasks):
    watch()
    posting_save_draft(vacancy=posted.vacancy, board="nhs-jobs", values=posted.values, user=UserFactory())
    queued_tasks.run(CHECK_TASK)
    posted.refresh_from_db()
    assert posted.status == PostingStatus.POSTED  # never "sending" for a read


def test_a_posting_no_longer_waiting_is_not_read(posted, watch, queued_tasks):
    Posting.objects.filter(pk=posted.pk).update(board_status=BoardStatus.LIVE)
    answer = watch()
    assert answer.status_code == 200
    assert queued_tasks == []
