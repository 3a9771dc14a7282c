"""A posting across the vacancy's life: line breaks counted as browsers count them, adverts taken down when the
vacancy ends, no update of a job the board has published, and the board's copy still reachable once closed."""

import pytest
from django.urls import reverse

from boards.adapters.nhs_jobs.spec import SPEC
from boards.models import Operation, Posting, PostingStatus
from boards.services import posting_send
from boards.validation import validate
from recruitment.errors import DomainError
from recruitment.services.vacancies import vacancy_close
from tests.boards_factories import PostingFactory
from tests.factories import SuperUserFactory
from tests.test_boards_spec import VALID

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
    with django_capture_on_commit_callbacks(execute=True):
        vacancy_close(vacancy=posting.vacancy)
    posting.refresh_from_db()
    assert posting.operation == Operation.CLOSE
    assert posting.status == PostingStatus.QUEUED


def test_closing_a_vacancy_never_posted_touches_nothing(django_capture_on_commit_callbacks):
    posting = PostingFactory()
    with django_capture_on_commit_callbacks(execute=True):
        vacancy_close(vacancy=posting.vacancy)
    posting.refresh_from_db()
    assert posting.operation != Operation.CLOSE


def test_a_published_job_is_not_updated_from_here():
    posting = PostingFactory(status=PostingStatus.POSTED, board_id="NJ-2", board_status="published")
    with pytest.raises(DomainError, match="can no longer be updated"):
        posting_send(vacancy=posting.vacancy, account=posting.account, values=posting.values, user=None)


def test_the_boards_copy_can_be_closed_after_the_vacancy_closed(client):
    posting = PostingFactory(status=PostingStatus.POSTED, board_id="NJ-3", board_status="draft")
    vacancy_close(vacancy=posting.vacancy)
    posting.refresh_from_db()
    posting.operation, posting.status = Operation.PUBLISH, PostingStatus.POSTED  # as if the automatic close was lost
    posting.save()
    client.force_login(SuperUserFactory())
    url = reverse("boards:post-to-nhs-jobs", args=[posting.vacancy.pk])
    page = client.get(url)
    assert page.status_code == 409
    assert "Close on NHS Jobs" in page.content.decode()
    assert client.post(url, {"action": "close"}).status_code == 302
    assert Posting.objects.get(pk=posting.pk).operation == Operation.CLOSE
