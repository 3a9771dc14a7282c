"""NHSJob's own behaviour over real HTTP against its sandbox (served by the live server): the OAuth token and its
cache shared by every process, the 401 that fetches one new token, applications told by webhook and found by
polling, job events, the recruiter's listing check, and our contract kinds in NHSJob's words."""

import datetime
import json

import pytest
from django.core.cache import caches
from django.urls import reverse

from boards.adapters.nhsjob import tokens
from boards.adapters.nhsjob.adapter import POLL_OVERLAP, SECOND_REFUSAL, NhsJobAdapter
from boards.adapters.nhsjob.mapping import CONTRACT_TYPE_FOR_KIND
from boards.models import BoardAccount, InboundEvent, InboundStatus, Posting, PostingStatus, PublishAttempt
from boards.registry import get_adapter
from boards.sandbox.models import SandboxApplication, SandboxBoardSettings, SandboxToken
from boards.sandbox.nhsjob import DEMO_SETTINGS
from boards.services.accounts import board_account_save
from boards.services.delivery import recorder_for
from boards.services.polling import board_poll
from boards.services.postings import posting_request, posting_send
from boards.types import BoardStatus, Operation
from boards.webhooks import sign_body
from recruitment.models import Application, ApplicationStage, ContractKind
from tests.boards.factories import BoardAccountFactory, PostableVacancyFactory, sandbox_base_url
from tests.factories import SuperUserFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("board_sessions_closed", "fast_retries"),
]

DELIVER = "boards.tasks.deliver_posting"
PROCESS = "boards.tasks.process_inbound_event"
SEND_WEBHOOK = "boards.sandbox.tasks.send_webhook"
CLIENT = {"grant_type": "client_credentials", **{k: DEMO_SETTINGS[k] for k in ("client_id", "client_secret")}}


@pytest.fixture(autouse=True)
def _site_is_the_live_server(settings, live_server):
    """The sandbox's webhook and CV addresses point at the live server."""
    settings.SITE_URL = live_server.url


@pytest.fixture
def account(live_server) -> BoardAccount:
    return BoardAccountFactory(board="nhsjob", base_url=sandbox_base_url(live_server.url, "nhsjob"))


@pytest.fixture
def post_job(account, queued_tasks):
    """Post a postable vacancy to NHSJob as the worker would; returns the settled posting."""

    def post(**changes) -> Posting:
        vacancy = PostableVacancyFactory()
        values = {**account.adapter.initial_values(vacancy), **changes}
        posting = posting_send(vacancy=vacancy, board="nhsjob", values=values, user=UserFactory())
        queued_tasks.run(DELIVER)
        posting.refresh_from_db()
        return posting

    return post


def calls(**filters) -> list[tuple[str, int | None]]:
    return list(PublishAttempt.objects.filter(**filters).order_by("pk").values_list("operation", "status_code"))


def apply(client, job_id: str, email: str = "amara@example.com", **changes) -> dict:
    """A candidate applies through the fake NHSJob's API (with a token of their own app)."""
    token = client.post("/sandbox/nhsjob/oauth/token", CLIENT).json()["access_token"]
    body = {
        "job_id": job_id,
        "candidate": {"first_name": "Amara", "last_name": "Okafor", "email": email, "phone": "07700 900123"},
        "cover_letter": "Six years on an acute medical ward.",
        **changes,
    }
    response = client.post(
        "/sandbox/nhsjob/v1/applications", body, "application/json", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 201
    return response.json()


def deliver_webhooks(queued_tasks) -> None:
    """The fake board sends its queued webhooks (our receiver, on the live server, stores each event)."""
    queued_tasks.run(SEND_WEBHOOK)


class TestTheAccessToken:
    def test_one_token_serves_every_write_and_its_request_keeps_no_secret(self, account, post_job, queued_tasks):
        posting = post_job()
        posting_send(
            vacancy=posting.vacancy, board="nhsjob", values={**posting.values, "title": "Ward Sister"}, user=None
        )
        queued_tasks.run(DELIVER)
        posting_request(posting=posting, operation=Operation.CLOSE, user=None)
        queued_tasks.run(DELIVER)
        posting.refresh_from_db()
        assert posting.board_status == BoardStatus.CLOSED
        assert calls() == [("token", 200), ("publish", 201), ("update", 200), ("close", 200)]
        assert SandboxToken.objects.count() == 1
        token_call = PublishAttempt.objects.get(operation=Operation.TOKEN)
        assert token_call.url.endswith("/sandbox/nhsjob/oauth/token")
        assert token_call.request_summary["form_fields"] == ["client_id", "client_secret", "grant_type"]
        logged = json.dumps(
            [[c.request_summary, c.response_summary, c.url, c.error] for c in PublishAttempt.objects.all()]
        )
        assert DEMO_SETTINGS["client_secret"] not in logged
        assert DEMO_SETTINGS["api_key"] not in logged
        assert tokens.cached_token(account) not in logged

    def test_another_process_uses_the_token_one_process_cached(self, account, monkeypatch):
        """Two workers: each has its own connection to the cache (settings.CACHES, a database table here)."""
        adapter, values = account.adapter, account.adapter.initial_values(PostableVacancyFactory())
        first_worker, second_worker = caches.create_connection("default"), caches.create_connection("default")
        recorder = recorder_for(account_id=account.pk)
        monkeypatch.setattr(tokens, "cache", first_worker)
        adapter.publish(account=account, values=values, client_reference="one", recorder=recorder)
        monkeypatch.setattr(tokens, "cache", second_worker)
        assert second_worker.get(tokens.cache_key(account)) == first_worker.get(tokens.cache_key(account))
        other = {**adapter.initial_values(PostableVacancyFactory()), "title": "Second job"}
        adapter.publish(account=account, values=other, client_reference="two", recorder=recorder)
        assert calls() == [("token", 200), ("publish", 201), ("publish", 201)]
        assert SandboxToken.objects.count() == 1

    def test_new_credentials_never_reuse_the_old_clients_token(self, account):
        before = tokens.cache_key(account)
        settings = {**DEMO_SETTINGS, "client_secret": "rotated-secret"}
        account = board_account_save(
            account=account, board="nhsjob", name=account.name, base_url=account.base_url, settings=settings
        )
        assert tokens.cache_key(account) != before
        assert "rotated-secret" not in tokens.cache_key(account)

    @pytest.mark.parametrize(("expires_in", "kept"), [(3600, 3540), (300, 270), (60, 54), (5, 4), (1, 0), (0, 0)])
    def test_a_token_is_kept_until_shortly_before_it_expires(self, expires_in, kept):
        assert tokens.cache_lifetime(expires_in) == kept

    def test_a_token_nhsjob_no_longer_takes_is_replaced_once_and_the_write_goes_through(self, post_job, queued_tasks):
        posting = post_job()
        SandboxToken.objects.update(expires_at=posting.created_at)  # NHSJob expired it earlier than it said
        posting_send(vacancy=posting.vacancy, board="nhsjob", values={**posting.values, "title": "Sister"}, user=None)
        queued_tasks.run(DELIVER)
        posting.refresh_from_db()
        assert (posting.status, posting.values["title"]) == (PostingStatus.POSTED, "Sister")
        assert calls()[2:] == [("update", 401), ("token", 200), ("update", 200)]
        assert SandboxToken.objects.count() == 2

    def test_a_second_401_marks_the_account_and_nothing_is_tried_again(self, account, post_job, queued_tasks):
        SandboxBoardSettings.objects.create(board="nhsjob", token_lifetime_seconds=0)  # every token is dead at once
        posting = post_job()
        account.refresh_from_db()
        assert posting.status == PostingStatus.FAILED
        assert calls() == [("token", 200), ("publish", 401), ("token", 200), ("publish", 401)]
        assert account.needs_attention
        assert account.attention_reason == (
            "NHSJob (sandbox) answered 401: check the NHSJob API key and the OAuth client ID and secret. "
            f"({SECOND_REFUSAL})"
        )
        assert queued_tasks == []

    def test_a_refused_client_names_what_to_check(self, account, post_job):
        settings = {**DEMO_SETTINGS, "client_secret": "not-the-secret"}
        board_account_save(
            account=account, board="nhsjob", name=account.name, base_url=account.base_url, settings=settings
        )
        posting = post_job()
        account.refresh_from_db()
        assert posting.status == PostingStatus.FAILED
        assert calls() == [("token", 401)]
        assert account.attention_reason.endswith(f"({tokens.TOKEN_REFUSED})")
        assert "not-the-secret" not in json.dumps(PublishAttempt.objects.get().request_summary)

    def test_a_wrong_api_key_on_a_read_marks_the_account(self, account, post_job, queued_tasks):
        posting = post_job()
        settings = {**DEMO_SETTINGS, "api_key": "not-the-key"}
        board_account_save(
            account=account, board="nhsjob", name=account.name, base_url=account.base_url, settings=settings
        )
        posting_request(posting=posting, operation=Operation.STATUS, user=None)
        queued_tasks.run(DELIVER)
        account.refresh_from_db()
        assert account.needs_attention
        assert calls()[-1] == ("status", 401)
        assert PublishAttempt.objects.filter(operation=Operation.TOKEN).count() == 1


class TestApplicationsByWebhook:
    def test_an_application_is_fetched_then_applied_with_its_cv(self, client, post_job, queued_tasks):
        posting = post_job()
        applied = apply(client, posting.board_id)
        deliver_webhooks(queued_tasks)
        event = InboundEvent.objects.get(kind="application.received")
        assert (event.board_application_id, event.headers["X-Nhsjob-Event-Id"]) == (applied["id"], event.event_id)
        queued_tasks.run(PROCESS)
        event.refresh_from_db()
        application = Application.objects.get()
        assert (event.status, event.application) == (InboundStatus.PROCESSED, application)
        assert (application.source, application.source_reference, application.vacancy) == (
            "nhsjob",
            applied["id"],
            posting.vacancy,
        )
        assert application.cover_letter == "Six years on an acute medical ward."
        assert application.candidate.phone == "07700 900123"
        assert application.documents.get().file.read().startswith(b"%PDF-")
        fetches = event.calls.order_by("pk")
        assert [(call.operation, call.status_code) for call in fetches] == [
            ("fetch_application", 200),
            ("fetch_document", 200),
        ]
        assert {call.request_summary["headers"]["X-API-Key"] for call in fetches} == {"[redacted]"}

    def test_a_status_change_fetches_the_status_and_a_withdrawal_withdraws(self, client, post_job, queued_tasks):
        posting = post_job()
        applied = apply(client, posting.board_id)
        deliver_webhooks(queued_tasks)
        queued_tasks.run(PROCESS)
        client.force_login(SuperUserFactory())
        client.post(f"/sandbox/nhsjob/applications/{applied['id']}/status/", {"status": "withdrawn"})
        deliver_webhooks(queued_tasks)
        queued_tasks.run(PROCESS)
        event = InboundEvent.objects.get(kind="application.status_changed")
        assert (event.status, event.status_word) == (InboundStatus.PROCESSED, "")
        assert list(event.calls.values_list("operation", flat=True)) == ["fetch_application"]
        assert Application.objects.get().stage == ApplicationStage.WITHDRAWN

    def test_a_job_closed_on_nhsjob_closes_the_posting(self, client, post_job, queued_tasks):
        posting = post_job()
        deliver_webhooks(queued_tasks)  # job.created: its status is read from NHSJob
        queued_tasks.run(PROCESS)
        created = InboundEvent.objects.get(kind="job.created")
        assert (created.status, created.note) == (InboundStatus.PROCESSED, "Board status now live.")
        assert list(created.calls.values_list("operation", flat=True)) == ["status"]
        client.force_login(SuperUserFactory())
        client.post(f"/sandbox/nhsjob/jobs/{posting.board_id}/close/")
        deliver_webhooks(queued_tasks)
        queued_tasks.run(PROCESS)
        posting.refresh_from_db()
        assert (posting.board_status, posting.board_status_raw) == (BoardStatus.CLOSED, "closed")


class TestPolling:
    @pytest.fixture(autouse=True)
    def _no_webhooks(self, db):
        SandboxBoardSettings.objects.create(board="nhsjob", webhooks_enabled=False)

    def test_an_application_whose_webhook_never_came_arrives_once(self, client, account, post_job, queued_tasks):
        posting = post_job()
        applied = apply(client, posting.board_id)
        assert board_poll(account=account) == 1
        queued_tasks.run(PROCESS)
        application = Application.objects.get()
        assert (application.source, application.source_reference) == ("nhsjob", applied["id"])
        assert application.documents.count() == 1
        event = InboundEvent.objects.get()
        assert (event.source, event.event_id, event.status) == (
            "poll",
            f"poll:application.submitted:{applied['id']}",
            InboundStatus.PROCESSED,
        )
        assert list(event.calls.values_list("operation", flat=True)) == ["fetch_document"]  # the list held the rest
        account.refresh_from_db()
        watermark = account.poll_watermark
        assert watermark is not None
        assert board_poll(account=account) == 0
        assert queued_tasks.funcs() == []
        second_poll = PublishAttempt.objects.filter(operation=Operation.POLL).order_by("pk").last()
        expected = (watermark - POLL_OVERLAP).astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
        assert second_poll.request_summary["params"]["updated_since"] == expected
        assert Application.objects.count() == 1

    def test_an_application_that_came_by_webhook_is_not_made_again(self, client, account, post_job, queued_tasks):
        SandboxBoardSettings.objects.filter(board="nhsjob").update(webhooks_enabled=True)
        posting = post_job()
        apply(client, posting.board_id)
        deliver_webhooks(queued_tasks)
        board_poll(account=account)
        queued_tasks.run(PROCESS)
        by_poll = InboundEvent.objects.get(source="poll")
        assert (by_poll.status, by_poll.note) == (InboundStatus.PROCESSED, "Already received.")
        assert Application.objects.count() == 1

    def test_every_page_is_read(self, client, account, post_job, queued_tasks):
        posting = post_job()
        for number in range(23):
            apply(client, posting.board_id, email=f"candidate{number}@example.com")
        assert board_poll(account=account) == 23
        assert calls(operation=Operation.POLL) == [("poll", 200), ("poll", 200)]

    def test_a_withdrawal_found_by_polling_withdraws(self, client, account, post_job, queued_tasks):
        posting = post_job()
        applied = apply(client, posting.board_id)
        board_poll(account=account)
        queued_tasks.run(PROCESS)
        SandboxApplication.objects.filter(public_id=applied["id"]).update(status="withdrawn")
        SandboxApplication.objects.get(public_id=applied["id"]).save()  # NHSJob records when it changed
        assert board_poll(account=account) == 1
        queued_tasks.run(PROCESS)
        assert InboundEvent.objects.get(kind="application.status_changed").status_word == "withdrawn"
        assert Application.objects.get().stage == ApplicationStage.WITHDRAWN


class TestListingCheck:
    def test_the_recruiter_checks_the_job_is_listed(self, client, post_job):
        posting = post_job()
        client.force_login(SuperUserFactory())
        url = reverse("boards:post-to-board", args=[posting.vacancy.pk, "nhsjob"])
        page = client.get(url)
        assert "Check the job is listed on NHSJob" in page.text
        listed = client.post(url, {"action": "check_listing"}, follow=True)
        values = posting.values
        assert (
            f"NHSJob lists job {posting.board_id} when searching for specialty “{values['specialty']}”, "
            f"location “{values['location']}” and contract type “permanent”."
        ) in listed.text
        client.post(f"/sandbox/nhsjob/jobs/{posting.board_id}/close/")
        unlisted = client.post(url, {"action": "check_listing"}, follow=True)
        assert f"NHSJob does not list job {posting.board_id}" in unlisted.text
        assert calls(posting=posting)[-2:] == [("status", 200), ("status", 200)]

    def test_boards_without_a_job_search_offer_no_check(self, client):
        posting = Posting.objects.create(
            vacancy=PostableVacancyFactory(),
            account=BoardAccountFactory(board="jobsphere"),
            status=PostingStatus.POSTED,
            board_id="job_1",
            board_status="live",
        )
        client.force_login(SuperUserFactory())
        page = client.get(reverse("boards:post-to-board", args=[posting.vacancy.pk, "jobsphere"]))
        assert "Check the job is listed" not in page.text


@pytest.mark.parametrize(
    ("kind", "contract_type"),
    [
        (ContractKind.PERMANENT, "permanent"),
        (ContractKind.FIXED_TERM, "fixed_term"),
        (ContractKind.LOCUM, "locum"),
        (ContractKind.BANK, "bank"),
        (ContractKind.SECONDMENT, "fixed_term"),
        (ContractKind.APPRENTICESHIP, "fixed_term"),
        (ContractKind.TRAINING, "fixed_term"),
    ],
)
def test_our_contract_kinds_in_nhsjobs_four_types(kind, contract_type):
    assert CONTRACT_TYPE_FOR_KIND[kind] == contract_type
    vacancy = PostableVacancyFactory(employment_type__contract_kind=kind)
    assert get_adapter("nhsjob").initial_values(vacancy)["contract_type"] == contract_type
    assert isinstance(get_adapter("nhsjob"), NhsJobAdapter)


def test_the_admin_shows_the_client_id_and_never_a_secret(client, account):
    tokens.fetch_token(account=account, recorder=recorder_for(account_id=account.pk))
    client.force_login(SuperUserFactory())
    page = client.get(reverse("admin:boards_boardaccount_change", args=[account.pk]))
    assert page.status_code == 200
    assert "set: API key, OAuth client ID, OAuth client secret, Webhook signing secret" in page.text
    assert DEMO_SETTINGS["client_id"] in page.text
    for secret in ("api_key", "client_secret", "webhook_secret"):
        assert DEMO_SETTINGS[secret] not in page.text
    assert tokens.cached_token(account) not in page.text
    attempts = client.get(reverse("admin:boards_publishattempt_changelist"))
    assert DEMO_SETTINGS["client_secret"] not in attempts.text
    token_row = PublishAttempt.objects.get(operation=Operation.TOKEN)
    detail = client.get(reverse("admin:boards_publishattempt_change", args=[token_row.pk]))
    assert detail.status_code == 200
    assert DEMO_SETTINGS["client_secret"] not in detail.text


class TestTheReceiver:
    BODY = json.dumps(
        {
            "type": "application.submitted",
            "created_at": "2026-11-30T09:00:00Z",
            "data": {"application_id": "app_7", "job_id": "job_3"},
        }
    ).encode()

    def deliver(self, client, body: bytes, headers: dict[str, str]):
        return client.post("/boards/nhsjob/webhook/", data=body, content_type="application/json", headers=headers)

    def signed(self, body: bytes, event_id: str = "evt_1") -> dict[str, str]:
        signature = sign_body(secret=DEMO_SETTINGS["webhook_secret"], body=body)
        return {"X-NHSJob-Event-Id": event_id, "X-NHSJob-Signature": signature}

    def test_a_signed_event_is_stored_once_under_the_id_in_its_header(self, client, account, queued_tasks):
        assert self.deliver(client, self.BODY, self.signed(self.BODY)).json()["received"] == 1
        again = self.deliver(client, self.BODY, self.signed(self.BODY))
        assert (again.status_code, again.json()["duplicates"]) == (200, 1)
        event = InboundEvent.objects.get()
        assert (event.event_id, event.kind, event.board_application_id, event.board_job_id) == (
            "evt_1",
            "application.received",
            "app_7",
            "job_3",
        )
        assert set(event.headers) >= {"X-Nhsjob-Event-Id", "X-Nhsjob-Signature"}
        assert queued_tasks.funcs() == [PROCESS]

    @pytest.mark.parametrize(
        ("headers", "status"),
        [
            pytest.param(lambda signed: {**signed, "X-NHSJob-Signature": "sha256=" + "0" * 64}, 401, id="wrong-hmac"),
            pytest.param(lambda signed: {"X-NHSJob-Event-Id": "evt_1"}, 401, id="unsigned"),
            pytest.param(
                lambda signed: {**signed, "X-NHSJob-Signature": signed["X-NHSJob-Signature"][7:]}, 401, id="no-prefix"
            ),
            pytest.param(lambda signed: {"X-NHSJob-Signature": signed["X-NHSJob-Signature"]}, 400, id="no-event-id"),
        ],
    )
    def test_a_bad_delivery_is_refused_and_nothing_is_stored(self, client, account, queued_tasks, headers, status):
        assert self.deliver(client, self.BODY, headers(self.signed(self.BODY))).status_code == status
        assert not InboundEvent.objects.exists()
        assert queued_tasks == []
