"""A posting across the vacancy's life: line breaks counted as browsers count them, adverts taken down when the
vacancy ends, no update of a job the board has published, and the board's copy still reachable once closed."""

import pytest
from django.urls import reverse

from boards.adapters.nhs_jobs.spec import SPEC
from boards.models import Posting, PostingStatus
from boards.services.postings import posting_send
from boards.types import Operation
from boards.validation import validate
from recruitment.errors import DomainError
from recruitment.services.vacancies import vacancy_close
from tests.boards.factories import BoardAccountFactory, PostingFactory
from tests.boards.test_spec import VALID
from tests.factories import SuperUserFactory

pytestmark = pytest.mark.django_db


def test_a_line_break_counts_as_one_character_like_the_browser_counter():
    # 1,500 characters as the counter shows them, with the CR LF line breaks a browser sends.
    paragraph = "x" * 99
    text = "\r\n".join([paragraph] * 15)
    assert len(text.replace("\r\n", "\n")) == 1499
    result = validate(SPEC, {**VALID, "job_overview": text})
    assert "job_overview" not in result.errors
    assert "\r" not in result.values["job_overview"]


def test_closing_the_vacancy_queues_closing_its_job_on_the_board(django_capture_on_commit_callbacks):
    posting = PostingFactory(status=PostingStatus.POSTED, board_id="NJ-1", board_status="draft")
    closed = PostingFactory(
        vacancy=posting.vacancy,
        account=BoardAccountFactory(board="jobsphere"),
        status=PostingStatus.POSTED,
        board_id="job_2",
        board_status="closed",
    )
    with django_capture_on_commit_callbacks(execute=True):
        vacancy_close(vacancy=posting.vacancy)
    posting.refresh_from_db()
    assert posting.operation == Operation.CLOSE
    assert posting.status == PostingStatus.QUEUED
    closed.refresh_from_db()
    assert closed.status == PostingStatus.POSTED  # already closed there: nothing to do


def test_closing_a_vacancy_never_posted_touches_nothing(django_capture_on_commit_callbacks):
    posting = PostingFactory()
    with django_capture_on_commit_callbacks(execute=True):
        vacancy_close(vacancy=posting.vacancy)
    posting.refresh_from_db()
    assert posting.operation != Operation.CLOSE


def test_a_published_job_is_not_updated_from_here_and_the_recruiter_is_told_what_to_do():
    posting = PostingFactory(status=PostingStatus.POSTED, board_id="NJ-2", board_status="live")
    with pytest.raises(DomainError, match="edit it on NHS Jobs, or copy the vacancy"):
        posting_send(vacancy=posting.vacancy, board="nhs-jobs", values=posting.values, user=None)


def test_whether_a_live_job_takes_updates_is_the_boards_rule():
    jobsphere = PostingFactory(
        account=BoardAccountFactory(board="jobsphere"),
        status=PostingStatus.POSTED,
        board_id="job_1",
        board_status="live",
    )
    nhs_jobs = PostingFactory(status=PostingStatus.POSTED, board_id="NJ-9", board_status="live")
    assert jobsphere.account.adapter.can_update(jobsphere)
    assert not nhs_jobs.account.adapter.can_update(nhs_jobs)


def test_the_boards_copy_can_be_closed_after_the_vacancy_closed(client):
    posting = PostingFactory(status=PostingStatus.POSTED, board_id="NJ-3", board_status="draft")
    vacancy_close(vacancy=posting.vacancy)
    posting.refresh_from_db()
    posting.operation, posting.status = Operation.PUBLISH, PostingStatus.POSTED  # as if the automatic close was lost
    posting.save()
    client.force_login(SuperUserFactory())
    url = reverse("boards:post-to-board", args=[posting.vacancy.pk, "nhs-jobs"])
    page = client.get(url)
    assert page.status_code == 200
    assert "Close on NHS Jobs" in page.content.decode()
    assert client.post(url, {"action": "close"}).status_code == 302
    assert Posting.objects.get(pk=posting.pk).operation == Operation.CLOSE
