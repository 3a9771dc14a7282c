"""NHSJob both ways, end to end: a real qcluster worker, the sandbox served by the live server, real HTTP.

A candidate applies on the fake NHSJob; it sends a signed webhook carrying only ids, from a task; our receiver stores
it; the worker fetches the application and its CV and applies through the shared service. With webhooks switched
off, one upkeep run finds the application by polling; with both, it is made once. Writes carry an OAuth token that
the worker and this process share through the database cache; an expired token is replaced once; a wrong client
secret stops the account without any retry loop.
"""

import time

import pytest
import requests
from django.utils import timezone

from boards.adapters.nhsjob import tokens
from boards.models import BoardAccount, InboundEvent, InboundStatus, Posting, PostingStatus, PublishAttempt
from boards.sandbox.models import SandboxBoardSettings, SandboxDelivery, SandboxToken
from boards.sandbox.nhsjob import DEMO_SETTINGS
from boards.services.accounts import board_account_save
from boards.services.delivery import recorder_for
from boards.services.postings import posting_send
from boards.tasks import board_upkeep
from boards.types import Operation
from recruitment.errors import DomainError
from recruitment.models import Application
from tests.boards.factories import BoardAccountFactory, PostableVacancyFactory, sandbox_base_url
from tests.e2e.conftest import wait_until
from tests.factories import SuperUserFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("board_sessions_closed"),
]

CLIENT = {
    "grant_type": "client_credentials",
    "client_id": "sandbox-nhsjob-client",
    "client_secret": "sandbox-nhsjob-secret",
}


@pytest.fixture
def account(live_server) -> BoardAccount:
    return BoardAccountFactory(board="nhsjob", base_url=sandbox_base_url(live_server.url, "nhsjob"))


def post(account: BoardAccount, **changes) -> Posting:
    """Post a vacancy to NHSJob; the worker sends it."""
    vacancy = PostableVacancyFactory()
    values = {**account.adapter.initial_values(vacancy), **changes}
    return posting_send(vacancy=vacancy, board="nhsjob", values=values, user=SuperUserFactory())


def settled(posting: Posting) -> Posting:
    return wait_until(
        lambda: Posting.objects.filter(pk=posting.pk, status__in=[PostingStatus.POSTED, PostingStatus.FAILED]).first()
    )


@pytest.fixture
def live_job(worker, account) -> Posting:
    """A vacancy posted to NHSJob by the worker, open there."""
    posting = settled(post(account))
    assert posting.status == PostingStatus.POSTED
    return posting


def apply(live_server, job_id: str, email: str = "amara@example.com") -> dict:
    """A candidate applies on NHSJob through its API (with a token of their own app)."""
    token = requests.post(f"{live_server.url}/sandbox/nhsjob/oauth/token", data=CLIENT, timeout=10).json()
    response = requests.post(
        f"{live_server.url}/sandbox/nhsjob/v1/applications",
        json={
            "job_id": job_id,
            "candidate": {"first_name": "Amara", "last_name": "Okafor", "email": email, "phone": "07700 900123"},
            "cover_letter": "Six years on an acute medical ward.",
        },
        headers={"Authorization": f"Bearer {token['access_token']}"},
        timeout=10,
    )
    assert response.status_code == 201
    return response.json()


def token_requests() -> int:
    return PublishAttempt.objects.filter(operation=Operation.TOKEN).count()


def test_a_candidate_applies_on_nhsjob_and_the_application_arrives_with_its_cv(live_job, live_server):
    applied = apply(live_server, live_job.board_id)
    application = wait_until(lambda: Application.objects.filter(source="nhsjob").first())
    assert (application.vacancy_id, application.source_reference) == (live_job.vacancy_id, applied["id"])
    assert application.cover_letter == "Six years on an acute medical ward."
    assert application.candidate.phone == "07700 900123"
    assert application.documents.get().content_type == "application/pdf"
    event = InboundEvent.objects.get(kind="application.received")
    assert (event.source, event.status, event.application_id) == ("webhook", InboundStatus.PROCESSED, application.pk)
    assert list(event.calls.order_by("pk").values_list("operation", flat=True)) == [
        "fetch_application",
        "fetch_document",
    ]
    assert SandboxDelivery.objects.get(event_type="application.submitted").status_code == 200


def test_with_webhooks_off_one_upkeep_run_brings_the_application(live_job, live_server):
    SandboxBoardSettings.objects.update_or_create(board="nhsjob", defaults={"webhooks_enabled": False})
    applied = apply(live_server, live_job.board_id)
    board_upkeep()
    application = wait_until(lambda: Application.objects.filter(source="nhsjob").first())
    assert (application.source_reference, application.documents.count()) == (applied["id"], 1)
    event = InboundEvent.objects.get(kind="application.received")
    assert (event.source, event.status) == ("poll", InboundStatus.PROCESSED)
    assert not SandboxDelivery.objects.filter(event_type="application.submitted").exists()


def test_with_webhooks_and_polling_both_the_application_is_made_once(live_job, live_server):
    applied = apply(live_server, live_job.board_id)
    board_upkeep()  # polling runs while the webhook is on its way
    both = wait_until(
        lambda: InboundEvent.objects.filter(kind="application.received", status=InboundStatus.PROCESSED).count() == 2
    )
    assert both
    assert set(InboundEvent.objects.filter(kind="application.received").values_list("source", flat=True)) == {
        "webhook",
        "poll",
    }
    time.sleep(2)  # any duplicate task would have run by now
    assert Application.objects.filter(source="nhsjob", source_reference=applied["id"]).count() == 1
    notes = set(InboundEvent.objects.filter(kind="application.received").values_list("note", flat=True))
    assert notes == {"Application received.", "Already received."}


def test_this_process_and_the_worker_share_one_token(worker, account):
    """A token cached here (the database cache) is the worker's too: no second token while it is good."""
    tokens.fetch_token(account=account, recorder=recorder_for(account_id=account.pk))
    posting = settled(post(account))
    assert posting.status == PostingStatus.POSTED
    assert (token_requests(), SandboxToken.objects.count()) == (1, 1)
    assert list(posting.attempts.values_list("operation", flat=True)) == ["publish"]


def test_an_expired_token_is_replaced_by_one_new_token_and_the_write_succeeds(worker, account):
    SandboxBoardSettings.objects.update_or_create(board="nhsjob", defaults={"token_lifetime_seconds": 2})
    posting = settled(post(account))
    assert token_requests() == 1
    time.sleep(2.5)  # the token has expired
    values = {**posting.values, "title": "Senior Staff Nurse"}
    posting_send(vacancy=posting.vacancy, board="nhsjob", values=values, user=None)
    posting = wait_until(lambda: Posting.objects.filter(pk=posting.pk, status=PostingStatus.POSTED).first())
    assert posting.values["title"] == "Senior Staff Nurse"
    update_calls = list(posting.attempts.order_by("pk").values_list("operation", "status_code"))[2:]
    assert update_calls == [("token", 200), ("update", 200)]
    assert token_requests() == 2


def test_a_token_nhsjob_expired_early_is_refreshed_once_on_its_401(live_job):
    SandboxToken.objects.update(expires_at=timezone.now())  # NHSJob stops taking it before it said it would
    values = {**live_job.values, "title": "Senior Staff Nurse"}
    posting_send(vacancy=live_job.vacancy, board="nhsjob", values=values, user=None)
    posting = wait_until(lambda: Posting.objects.filter(pk=live_job.pk, status=PostingStatus.POSTED).first())
    assert posting.values["title"] == "Senior Staff Nurse"
    update_calls = list(posting.attempts.order_by("pk").values_list("operation", "status_code"))[2:]
    assert update_calls == [("update", 401), ("token", 200), ("update", 200)]
    assert token_requests() == 2


def test_a_wrong_client_secret_marks_the_account_and_nothing_is_retried(worker, account):
    settings = {**DEMO_SETTINGS, "client_secret": "not-the-secret"}
    board_account_save(account=account, board="nhsjob", name=account.name, base_url=account.base_url, settings=settings)
    posting = settled(post(account))
    account.refresh_from_db()
    assert posting.status == PostingStatus.FAILED
    assert account.needs_attention
    assert "check the NHSJob API key and the OAuth client ID and secret" in account.attention_reason
    board_upkeep()  # neither polls the account nor resumes the send
    time.sleep(2)  # any retry would have been made by now
    assert list(PublishAttempt.objects.values_list("operation", "status_code")) == [("token", 401)]
    with pytest.raises(DomainError, match="needs attention"):
        post(account)
    assert "not-the-secret" not in str(PublishAttempt.objects.get().request_summary)
