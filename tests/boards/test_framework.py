"""Framework pieces: error classification, retry timing, settings at rest, webhook signatures, the registry and the
layering, adverts, the upkeep schedule, the admin, the demo accounts and polling."""

import ast
import hashlib
import hmac
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape
from django_q.models import Schedule

from boards import crypto
from boards import types as types_module
from boards.adapters.nhs_jobs.client import NhsJobsClient
from boards.adverts import advert_as_html, advert_as_text, text_as_html
from boards.errors import BoardAuthError, PermanentBoardError, TemporaryBoardError
from boards.http import classify_response, parse_retry_after, redact_headers
from boards.models import BoardAccount, InboundEvent, PostingStatus
from boards.registry import adapter_class, board_choices, get_adapter
from boards.sandbox.models import SandboxJob
from boards.services.delivery import retry_delay
from boards.services.polling import board_poll
from boards.types import BOARDS, BoardStatus
from boards.webhooks import WebhookRejected, sign_timestamped, verify_body_signature, verify_timestamped_signature
from recruitment.sources import source_choices
from tests.boards.factories import BoardAccountFactory, PostingFactory, sandbox_base_url
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
    body = {"errors": [{"field": "salary", "message": "The salary you have entered is not valid."}, {"message": "Bad"}]}
    assert NhsJobsClient.field_errors_from(body) == {
        "salary": ["The salary you have entered is not valid."],
        "": ["Bad"],
    }
    assert NhsJobsClient.field_errors_from("not json") == {}


def test_credentials_are_redacted_from_logged_headers():
    headers = redact_headers({"Authorization": "Bearer secret", "X-Org-Id": "ORG", "X-API-Key": "k"})
    assert headers == {"Authorization": "[redacted]", "X-Org-Id": "ORG", "X-API-Key": "[redacted]"}


def test_retry_delay_grows_with_jitter_up_to_the_cap(settings):
    settings.BOARD_RETRY_BASE_SECONDS, settings.BOARD_RETRY_MAX_SECONDS = 10, 60
    rng = random.Random(4)
    delays = [retry_delay(attempt=attempt, retry_after=None, rng=rng) for attempt in range(1, 7)]
    for attempt, delay in enumerate(delays, start=1):
        backoff = min(60, 10 * 2 ** (attempt - 1))
        assert backoff / 2 <= delay <= backoff
    assert retry_delay(attempt=1, retry_after=45, rng=rng) == 45


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


def test_several_v1_signatures_any_one_matching_is_enough():
    body, now = b'{"id": "evt_1"}', 1_700_000_000
    ours = hmac.new(b"new-secret", f"{now}.".encode() + body, hashlib.sha256).hexdigest()
    old = hmac.new(b"old-secret", f"{now}.".encode() + body, hashlib.sha256).hexdigest()
    verify_timestamped_signature(secret="new-secret", body=body, header=f"t={now},v1={old},v1={ours}", now=now)
    with pytest.raises(WebhookRejected):
        verify_timestamped_signature(secret="new-secret", body=body, header=f"t={now},v1={old}", now=now)
    with pytest.raises(WebhookRejected):  # two timestamps: which one was signed?
        verify_timestamped_signature(secret="new-secret", body=body, header=f"t={now},t={now},v1={ours}", now=now)


@pytest.mark.parametrize(("age", "accepted"), [(299, True), (300, True), (301, False), (-299, True), (-301, False)])
def test_the_timestamp_tolerance_is_300_seconds_both_ways(age, accepted):
    body, signed_at = b"{}", 1_700_000_000
    header = sign_timestamped(secret="s", body=body, timestamp=signed_at)
    if accepted:
        verify_timestamped_signature(secret="s", body=body, header=header, now=signed_at + age)
    else:
        with pytest.raises(WebhookRejected):
            verify_timestamped_signature(secret="s", body=body, header=header, now=signed_at + age)


def test_the_registry_is_closed_explicit_and_lazy():
    assert board_choices() == [(code, entry.name) for code, entry in BOARDS.items()]
    for code in BOARDS:
        assert adapter_class(code).code == code
    with pytest.raises(KeyError):
        get_adapter("monster")
    # Importing the models and the registry imports no adapter: adapters load on first use.
    script = (
        "import django, sys; django.setup(); import boards.models, boards.registry; "
        "print(any(name.startswith('boards.adapters.') for name in sys.modules))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "recruitment.settings"}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    assert result.stdout.strip() == "False"


def test_the_leaf_module_imports_nothing_of_the_boards():
    tree = ast.parse(Path(types_module.__file__).read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert not any(name and name.startswith(("boards", "recruitment", "django")) for name in imported)


def test_recruitment_imports_boards_only_in_the_pages_that_compose_both():
    root = Path(__file__).resolve().parents[2] / "recruitment"
    importers = set()
    for path in root.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if any(name == "boards" or name.startswith("boards.") for name in names):
                importers.add(str(path.relative_to(root)))
    assert importers == {"web/vacancies.py", "web/dashboard.py", "management/commands/seed_demo.py"}


def test_every_board_is_a_source_of_applications():
    assert set(BOARDS) <= {code for code, _ in source_choices()}


def test_advert_headings_and_lists_map_to_text_and_back_to_html():
    advert = "<h2>About</h2><p>One &amp; two</p><ul><li>Three</li><li>Four</li></ul><ol><li>Five</li></ol>"
    text = advert_as_text(advert)
    assert text == "About\n\nOne & two\n\n• Three\n• Four\n\n1. Five"
    assert (
        text_as_html(text)
        == "<p>About</p><p>One &amp; two</p><ul><li>Three</li><li>Four</li></ul><ol><li>Five</li></ol>"
    )
    assert advert_as_text(text_as_html(text)) == text
    assert advert_as_html(advert, tags=frozenset({"p", "ul", "li", "strong"})) == (
        "<p><strong>About</strong></p><p>One &amp; two</p><ul><li>Three</li><li>Four</li></ul><li>Five</li>"
    )


@pytest.mark.django_db
def test_the_upkeep_schedule_exists_after_migrate_alone():
    """The test database is made by `migrate`; nothing else ran."""
    scheduled = Schedule.objects.get(func="boards.tasks.board_upkeep")
    assert (scheduled.schedule_type, scheduled.minutes, scheduled.repeats) == (Schedule.MINUTES, 5, -1)
    call_command("migrate", verbosity=0)
    assert Schedule.objects.filter(func="boards.tasks.board_upkeep").count() == 1


@pytest.mark.django_db
def test_demo_account_command_points_every_demo_account_at_the_sandbox():
    call_command("boards_demo_account")
    call_command("boards_demo_account", "--site-url", "http://127.0.0.1:9000/")
    accounts = {account.board: account for account in BoardAccount.objects.all()}
    assert set(accounts) == set(BOARDS)
    assert accounts["jobsphere"].base_url == "http://127.0.0.1:9000/sandbox/jobsphere/v2"
    assert accounts["nhs-jobs"].setting("api_key") == "sandbox-nhs-jobs-key"
    assert accounts["nhs-jobs"].public_settings == {"org_id": "SANDBOX-ORG", "account_id": "SANDBOX-ACCOUNT"}
    assert accounts["jobsphere"].setting("webhook_secret") == "sandbox-jobsphere-webhook-secret"


@pytest.mark.django_db
def test_admin_never_shows_secrets(client):
    account = BoardAccountFactory(board="jobsphere")
    client.force_login(SuperUserFactory())
    page = client.get(reverse("admin:boards_boardaccount_change", args=[account.pk]))
    assert page.status_code == 200
    for secret in ("sandbox-jobsphere-key", "sandbox-jobsphere-webhook-secret", account.secrets_encrypted):
        assert secret not in page.text
    assert "set: API key, Webhook signing secret" in page.text
    listing = client.get(reverse("admin:boards_boardaccount_changelist"))
    assert "sandbox-jobsphere-key" not in listing.text


@pytest.mark.django_db
def test_admin_builds_each_boards_form_from_its_declared_settings(client):
    client.force_login(SuperUserFactory())
    chooser = client.get(reverse("admin:boards_boardaccount_add"))
    assert "Add an account on JobSphere" in chooser.text
    jobsphere = client.get(reverse("admin:boards_boardaccount_add") + "?board=jobsphere")
    assert "setting_webhook_secret" in jobsphere.text
    assert "Org ID" not in jobsphere.text
    nhs_jobs = client.get(reverse("admin:boards_boardaccount_add") + "?board=nhs-jobs")
    assert "Org ID" in nhs_jobs.text
    assert "setting_webhook_secret" not in nhs_jobs.text
    data = {"name": "JobSphere (live)", "base_url": "https://api.jobsphere.io/v2", "enabled": "on"}
    refused = client.post(reverse("admin:boards_boardaccount_add") + "?board=jobsphere", data)
    assert refused.status_code == 200
    assert "Enter the API key." in refused.text
    assert not BoardAccount.objects.exists()
    data |= {"setting_api_key": "live-key", "setting_webhook_secret": "whsec_live"}
    created = client.post(reverse("admin:boards_boardaccount_add") + "?board=jobsphere", data)
    assert created.status_code == 302
    account = BoardAccount.objects.get()
    assert (account.board, account.public_settings, account.setting("api_key")) == ("jobsphere", {}, "live-key")
    assert "live-key" not in account.secrets_encrypted
    change = client.get(reverse("admin:boards_boardaccount_change", args=[account.pk])).text
    assert "Base URL" in change
    assert "Poll watermark" not in change  # JobSphere is never polled
    polled = BoardAccountFactory(board="nhsjob")
    assert "Poll watermark" in client.get(reverse("admin:boards_boardaccount_change", args=[polled.pk])).text


@pytest.mark.django_db
def test_admin_saving_new_settings_clears_attention_and_blank_keeps_secrets(client):
    account = BoardAccountFactory(needs_attention=True, attention_reason="401")
    client.force_login(SuperUserFactory())
    data = {
        "name": account.name,
        "base_url": account.base_url,
        "enabled": "on",
        "setting_api_key": "",
        "setting_org_id": "ORG2",
        "setting_account_id": "SANDBOX-ACCOUNT",
    }
    response = client.post(reverse("admin:boards_boardaccount_change", args=[account.pk]), data)
    assert response.status_code == 302
    account.refresh_from_db()
    assert (account.needs_attention, account.setting("org_id")) == (False, "ORG2")
    assert account.setting("api_key") == "sandbox-nhs-jobs-key"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("board_sessions_closed")
def test_polling_finds_a_draft_published_on_the_board(live_server, queued_tasks):
    account = BoardAccountFactory(base_url=sandbox_base_url(live_server.url, "nhs-jobs"))
    job = SandboxJob.objects.create(board="nhs-jobs", reference="VAC-1", status="published")
    posting = PostingFactory(account=account, status=PostingStatus.POSTED, board_id=str(job.pk), board_status="draft")
    assert board_poll(account=account) == 1
    assert board_poll(account=account) == 0  # the same change found again is the same event
    queued_tasks.run("boards.tasks.process_inbound_event")
    posting.refresh_from_db()
    assert (posting.board_status, posting.board_status_raw) == (BoardStatus.LIVE, "published")
    event = InboundEvent.objects.get()
    assert (event.source, event.status, event.posting_id) == ("poll", "processed", posting.pk)
    assert account.attempts.filter(operation="status").count() == 2


@pytest.mark.django_db
def test_admin_shows_inbound_events_raw_and_read_only_and_processes_them_again(client, monkeypatch):
    queued = []
    monkeypatch.setattr("boards.queueing.async_task", lambda func, *args, **kwargs: queued.append((func, args)))
    account = BoardAccountFactory(board="jobsphere")
    body = json.dumps({"id": "evt_9", "type": "application.received", "data": {"applicant": {"last_name": "Okafor"}}})
    event = InboundEvent.objects.create(
        account=account,
        board="jobsphere",
        event_id="evt_9",
        kind="application.received",
        body=body,
        status="failed",
        attempts=8,
        last_error="No vacancy of ours is posted as JobSphere job job_x.",
    )
    client.force_login(SuperUserFactory())
    listing = client.get(
        reverse("admin:boards_inboundevent_changelist"), {"status__exact": "failed", "board": "jobsphere"}
    )
    assert "No vacancy of ours is posted" in listing.text
    page = client.get(reverse("admin:boards_inboundevent_change", args=[event.pk]))
    assert page.status_code == 200
    assert "Okafor" in page.text
    assert escape(body) in page.text  # the raw body as received (signed), not re-indented
    assert 'name="_save"' not in page.text  # read-only
    response = client.post(
        reverse("admin:boards_inboundevent_changelist"), {"action": "process_again", "_selected_action": [event.pk]}
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.status, event.attempts) == ("pending", 0)
    assert queued == [("boards.tasks.process_inbound_event", (event.pk,))]
