"""Framework pieces: error classification, retry timing, credentials at rest, webhooks, registry, admin, demo."""

import hashlib
import hmac
import json
import random

import pytest
import requests
from django.core.management import call_command
from django.urls import reverse
from django_q.models import Schedule

from boards import crypto, services
from boards.adapters.nhs_jobs.adapter import NhsJobsAdapter, advert_text
from boards.adapters.nhs_jobs.client import NhsJobsClient
from boards.base import Capability, NotSupported
from boards.errors import BoardAuthError, PermanentBoardError, TemporaryBoardError
from boards.http import classify_response, parse_retry_after, redact_headers
from boards.models import BoardAccount, PostingStatus
from boards.registry import ADAPTERS, board_choices, get_adapter
from boards.sandbox.models import SandboxJob
from boards.webhooks import WebhookRejected, verify_body_signature, verify_timestamped_signature
from tests.boards_factories import (
    BoardAccountFactory,
    PostingFactory,
    board_sessions_closed,  # noqa: F401 - a fixture
)
from tests.factories import SuperUserFactory


def response(status: int, body: dict | None = None, headers: dict | None = None) -> requests.Response:
    result = requests.Response()
    result.status_code = status
    result._content = json.dumps(body).encode() if body is not None else b""
    result.headers.update(headers or {})
    return result


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (200, None),
        (201, None),
        (400, PermanentBoardError),
        (404, PermanentBoardError),
        (422, PermanentBoardError),
        (401, BoardAuthError),
        (403, BoardAuthError),
        (429, TemporaryBoardError),
        (500, TemporaryBoardError),
        (503, TemporaryBoardError),
    ],
)
def test_responses_are_classified_by_what_we_do_next(status, kind):
    error = classify_response(response(status), {})
    assert (type(error) if error else None) is kind


def test_429_carries_retry_after():
    error = classify_response(response(429, headers={"Retry-After": "7"}), {})
    assert error.retry_after == 7


def test_retry_after_reads_seconds_and_http_dates():
    assert parse_retry_after("12") == 12
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now=1445412500.0) == 10
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_nhs_jobs_400_body_becomes_field_errors():
    client = NhsJobsClient(account_pk=0, base_url="http://x", api_key="k", org_id="o", account_id="a", recorder=print)
    body = {"errors": [{"field": "salary", "message": "The salary you have entered is not valid."}, {"message": "Bad"}]}
    assert client.field_errors_from(body) == {"salary": ["The salary you have entered is not valid."], "": ["Bad"]}
    assert client.field_errors_from("not json") == {}


def test_credentials_are_redacted_from_logged_headers():
    headers = redact_headers({"Authorization": "Bearer secret", "X-Org-Id": "ORG", "X-API-Key": "k"})
    assert headers == {"Authorization": "[redacted]", "X-Org-Id": "ORG", "X-API-Key": "[redacted]"}


def test_retry_delay_grows_with_jitter_up_to_the_cap(settings):
    settings.BOARD_RETRY_BASE_SECONDS, settings.BOARD_RETRY_MAX_SECONDS = 10, 60
    rng = random.Random(4)
    delays = [services.retry_delay(attempt=attempt, retry_after=None, rng=rng) for attempt in range(1, 7)]
    for attempt, delay in enumerate(delays, start=1):
        backoff = min(60, 10 * 2 ** (attempt - 1))
        assert backoff / 2 <= delay <= backoff
    assert services.retry_delay(attempt=1, retry_after=45, rng=rng) == 45


def test_credentials_are_encrypted_at_rest(settings):
    token = crypto.encrypt("s3cret")
    assert "s3cret" not in token
    assert crypto.decrypt(token) == "s3cret"
    settings.BOARD_CREDENTIALS_KEY = "zmcoMbXyhwZEvT0kLWAbZT5Xl4Ov1vS6IuAe3hW4M2Y="
    assert crypto.decrypt(token) == ""  # another key cannot read it


def test_timestamped_webhook_signatures():
    body, secret, now = b'{"id": "evt_1"}', "whsec", 1_700_000_000
    good = hmac.new(secret.encode(), f"{now}.".encode() + body, hashlib.sha256).hexdigest()
    verify_timestamped_signature(secret=secret, body=body, header=f"t={now},v1={good}", now=now + 10)
    with pytest.raises(WebhookRejected):
        verify_timestamped_signature(secret=secret, body=body + b" ", header=f"t={now},v1={good}", now=now)
    with pytest.raises(WebhookRejected):
        verify_timestamped_signature(secret=secret, body=body, header=f"t={now},v1={good}", now=now + 301)
    with pytest.raises(WebhookRejected):
        verify_timestamped_signature(secret=secret, body=body, header="garbage", now=now)


def test_body_webhook_signatures():
    body, secret = b'{"application_id": "a1"}', "whsec"
    good = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    verify_body_signature(secret=secret, body=body, signature=good)
    with pytest.raises(WebhookRejected):
        verify_body_signature(secret=secret, body=body, signature=good[:-1] + "0")
    with pytest.raises(WebhookRejected):
        verify_body_signature(secret="", body=body, signature=good)


def test_the_registry_is_closed_and_declares_settings():
    assert board_choices() == [("nhs-jobs", "NHS Jobs")]
    adapter = get_adapter("nhs-jobs")
    assert [s.name for s in adapter.settings if s.secret] == ["api_key"]
    assert Capability.WEBHOOKS not in adapter.capabilities
    with pytest.raises(NotSupported):
        adapter.parse_webhook(headers={}, body=b"")
    with pytest.raises(KeyError):
        get_adapter("monster")
    assert set(ADAPTERS) == {"nhs-jobs"}


def test_advert_html_becomes_text_lines():
    assert advert_text("<p>One &amp; two</p><ul><li>Three</li></ul>") == "One & two\nThree"


@pytest.mark.django_db
def test_demo_account_command_is_idempotent():
    call_command("boards_demo_account")
    call_command("boards_demo_account", "--base-url", "http://127.0.0.1:9000/sandbox/nhs-jobs/")
    account = BoardAccount.objects.get()
    assert account.base_url == "http://127.0.0.1:9000/sandbox/nhs-jobs"
    assert account.credential("api_key") == services.DEMO_NHS_JOBS_API_KEY
    assert Schedule.objects.filter(func="boards.tasks.board_upkeep").count() == 1


@pytest.mark.django_db
def test_admin_never_shows_secrets(client):
    account = BoardAccountFactory()
    client.force_login(SuperUserFactory())
    page = client.get(reverse("admin:boards_boardaccount_change", args=[account.pk]))
    assert page.status_code == 200
    assert services.DEMO_NHS_JOBS_API_KEY not in page.text
    assert account.credentials_encrypted not in page.text
    assert "set: api_key" in page.text
    listing = client.get(reverse("admin:boards_boardaccount_changelist"))
    assert services.DEMO_NHS_JOBS_API_KEY not in listing.text


@pytest.mark.django_db
def test_admin_saving_new_credentials_clears_attention(client):
    account = BoardAccountFactory(needs_attention=True, attention_reason="401")
    client.force_login(SuperUserFactory())
    data = {
        "board": "nhs-jobs",
        "name": account.name,
        "base_url": account.base_url,
        "org_id": "ORG2",
        "account_id": account.account_id,
        "enabled": "on",
        "secret_api_key": "new-key",
        "webhook_secret": "",
    }
    response = client.post(reverse("admin:boards_boardaccount_change", args=[account.pk]), data)
    assert response.status_code == 302
    account.refresh_from_db()
    assert (account.needs_attention, account.org_id, account.credential("api_key")) == (False, "ORG2", "new-key")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("board_sessions_closed")
def test_polling_records_a_draft_published_on_the_board(live_server):
    account = BoardAccountFactory(base_url=f"{live_server.url}/sandbox/nhs-jobs")
    job = SandboxJob.objects.create(board="nhs-jobs", reference="VAC-1", status="published")
    posting = PostingFactory(account=account, status=PostingStatus.POSTED, board_id=str(job.pk), board_status="draft")
    assert services.board_poll(account=account) == 1
    posting.refresh_from_db()
    assert posting.board_status == "published"
    assert posting.attempts.count() == 0
    assert account.attempts.get().status_code == 200


def test_adapter_payload_is_pure():
    payload = NhsJobsAdapter().build_payload({"title": "T", "working_pattern": ["full_time"]})
    assert payload["title"] == "T"
    assert payload["working_pattern"] == ["full_time"]
