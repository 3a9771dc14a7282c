"""Posting to NHS Jobs end to end: the page queues, a real qcluster worker sends over real HTTP to the sandbox
served by the live server, and the outcome comes back to the page."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from boards.models import BoardAccount, Posting, PostingStatus, PublishAttempt
from boards.sandbox.models import SandboxFault, SandboxJob
from boards.sandbox.nhs_jobs import DEMO_SETTINGS
from boards.services.accounts import board_account_save
from tests.boards.factories import BoardAccountFactory, PostableVacancyFactory, sandbox_base_url
from tests.e2e.conftest import wait_until
from tests.factories import SuperUserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def recruiter():
    client = Client()
    client.force_login(SuperUserFactory())
    return client


@pytest.fixture
def account(live_server):
    return BoardAccountFactory(base_url=sandbox_base_url(live_server.url, "nhs-jobs"))


def post_the_job(client: Client) -> tuple[str, Posting]:
    """Open the page (values auto-filled), press Post the Job, and wait for the worker to settle the posting."""
    vacancy = PostableVacancyFactory()
    url = reverse("boards:post-to-board", args=[vacancy.pk, "nhs-jobs"])
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.data.items() if name in form.fields}
    response = client.post(url, {**data, "action": "post"})
    assert response.status_code == 302, response.content
    posting = wait_until(
        lambda: Posting.objects.filter(vacancy=vacancy).exclude(status__in=["queued", "sending", "retrying"]).first()
    )
    return url, posting


def test_a_400_field_error_is_shown_against_its_field(worker, account, recruiter):
    SandboxFault.objects.create(
        board="nhs-jobs", kind="400", field="address.postcode", message="The postcode is not a delivery address."
    )
    url, posting = post_the_job(recruiter)
    assert posting.status == PostingStatus.FAILED
    page = recruiter.get(url)
    assert page.context["form"].errors["postcode"] == ["The postcode is not a delivery address."]
    assert "400 Error" in page.text
    assert PublishAttempt.objects.get().status_code == 400


def test_503_three_times_then_success_makes_exactly_one_draft(worker, account, recruiter):
    SandboxFault.objects.create(board="nhs-jobs", kind="503", remaining=3)
    url, posting = post_the_job(recruiter)
    assert posting.status == PostingStatus.POSTED
    assert SandboxJob.objects.count() == 1
    assert posting.board_id == str(SandboxJob.objects.get().pk)
    codes = list(PublishAttempt.objects.order_by("pk").values_list("status_code", flat=True))
    assert codes == [503, 503, 503, 201]
    page = recruiter.get(url)
    assert "Job Successfully Posted" in page.text


def test_a_lost_answer_then_503s_then_success_makes_exactly_one_draft(worker, account, recruiter):
    """The board creates the draft but its answer is lost; our retries must not make a second one."""
    SandboxFault.objects.create(board="nhs-jobs", kind="lost", remaining=1)
    SandboxFault.objects.create(board="nhs-jobs", kind="503", remaining=2)
    _url, posting = post_the_job(recruiter)
    assert posting.status == PostingStatus.POSTED
    codes = list(PublishAttempt.objects.order_by("pk").values_list("status_code", flat=True))
    assert codes == [503, 503, 503, 201]
    assert SandboxJob.objects.count() == 1
    assert posting.board_id == str(SandboxJob.objects.get().pk)


def test_429_retry_after_is_honoured(worker, account, recruiter):
    SandboxFault.objects.create(board="nhs-jobs", kind="429", remaining=1, retry_after=2)
    _, posting = post_the_job(recruiter)
    assert posting.status == PostingStatus.POSTED
    first, second = PublishAttempt.objects.order_by("pk")
    assert (first.status_code, first.response_summary["retry_after"], second.status_code) == (429, 2, 201)
    # The retry was made no sooner than the board asked (the recorded times, not a measure of speed).
    assert second.created_at - first.created_at >= datetime.timedelta(seconds=2)


def test_401_marks_the_account_as_needing_attention(worker, account, recruiter):
    board_account_save(
        account=account,
        board=account.board,
        name=account.name,
        base_url=account.base_url,
        settings={**DEMO_SETTINGS, "api_key": "revoked-key"},
    )
    url, posting = post_the_job(recruiter)
    account = BoardAccount.objects.get()
    assert posting.status == PostingStatus.FAILED
    assert account.needs_attention
    assert "check the board's Org ID / Account ID and credentials" in account.attention_reason
    form = recruiter.get(url).context["form"]
    assert form.non_field_errors() == ["401 Error: check the board's Org ID / Account ID and credentials."]
    assert SandboxJob.objects.count() == 0
