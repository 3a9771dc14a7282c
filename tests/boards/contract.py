"""The adapter contract: what every board adapter must do, as tests each board's test module subclasses.

A subclass sets `board` (and, where its board differs, the class attributes below) and inherits every test:
declarations (settings, statuses, capabilities), the pure payload, the recorded example payloads of
`boards/adapters/<board>/fixtures/` (`webhooks/<event>__<variant>.json`, `responses/<operation>__<variant>.json`), and,
with `PerJobContract`, over real HTTP against the board's sandbox served by the live server, publishing once whatever
happens (a task run twice, a lost answer), retrying temporary failures, honouring Retry-After, mapping a 400 back to
its field, and marking the account on refused credentials. Boards that sign webhooks are checked for verification too.

Boards whose writes need an access token (NHSJob's OAuth client) log each token request against the posting as well
(operation `token`); the checks of one operation's calls look at that operation's calls (`operation_calls`).

Boards that take jobs one by one mix in `PerJobContract` (the sending tests above); boards that take their jobs in
bulk imports (Capability.BULK_IMPORT) mix in `BulkImportContract` instead (a test says which a board needs), which
holds the same promises for imports: one import whatever happens, retries of the import's POST, Retry-After, a
refusal failing the import at once, refused credentials marking the account, and results mapped back onto the
postings (live, and closed once out of the feed). Their recorded responses are import objects (`import__<status>.json`).
"""

import copy
import json
import types
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_q.models import Schedule

from boards.base import BoardAdapter, BoardEventKind, Capability, ImportStatus
from boards.models import BulkImport, BulkImportStatus, PostingStatus, PublishAttempt
from boards.registry import get_adapter
from boards.sandbox.models import SandboxFault, SandboxImport, SandboxJob
from boards.sandbox.registry import sandbox_module
from boards.services.accounts import board_account_save
from boards.services.feeds import posting_feed_include, posting_feed_remove
from boards.services.imports import feed_sync_now
from boards.services.postings import posting_request, posting_send
from boards.tasks import deliver_posting, send_bulk_import
from boards.types import BOARDS, BoardStatus, Operation
from boards.validation import to_json_values, validate
from boards.webhooks import WebhookRejected
from recruitment.errors import DomainError
from tests.boards.factories import BoardAccountFactory, PostableVacancyFactory, demo_settings, sandbox_base_url
from tests.factories import UserFactory

ADAPTERS_DIR = Path(__file__).resolve().parents[2] / "boards" / "adapters"
DELIVER = "boards.tasks.deliver_posting"
SEND_IMPORT = "boards.tasks.send_bulk_import"


def operation_calls(posting):
    """The posting's calls to the board for its operations, without the token requests some boards make first."""
    return posting.attempts.exclude(operation=Operation.TOKEN).order_by("pk")


def fixture_files(board: str, kind: str) -> list[Path]:
    """The recorded example payloads of a board, of one kind (webhooks or responses)."""
    package = BOARDS[board].adapter_path.split(".")[2]
    return sorted((ADAPTERS_DIR / package / "fixtures" / kind).glob("*__*.json"))


class AdapterContract:
    """Subclass with `board = "<code>"`; see the module."""

    board: str
    # A field name the board's own 400 body names, and the form field the recruiter sees the error on.
    error_field: tuple[str, str]
    # A status word the board uses for a live job.
    live_word: str
    # The settings whose wrong value makes the board refuse a send (each is tried); by default the first secret one.
    refused_settings: tuple[str, ...] = ()

    pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("board_sessions_closed")]

    @pytest.fixture
    def adapter(self) -> BoardAdapter:
        return get_adapter(self.board)

    @pytest.fixture
    def account(self, live_server):
        return BoardAccountFactory(board=self.board, base_url=sandbox_base_url(live_server.url, self.board))

    # --- What the adapter declares --------------------------------------------------------------------------------

    def test_it_is_registered_under_its_own_code(self, adapter):
        assert adapter.code == self.board
        assert adapter.name == BOARDS[self.board].name

    def test_settings_are_declared_once_and_the_credential_is_secret(self, adapter):
        names = [setting.name for setting in adapter.settings]
        assert len(names) == len(set(names))
        assert any(setting.secret for setting in adapter.settings)
        assert set(sandbox_module(self.board).DEMO_SETTINGS) == set(names)

    def test_status_words_map_onto_the_normalised_set(self, adapter):
        assert adapter.statuses
        assert set(adapter.statuses.values()) <= set(BoardStatus)
        assert adapter.normalise_status(self.live_word) == BoardStatus.LIVE
        assert adapter.normalise_status("no-such-word") == BoardStatus.UNKNOWN

    def test_its_wording_names_the_board(self, adapter):
        assert adapter.name in adapter.not_advertised_message
        assert adapter.name in adapter.vacancy_ended_message(cancelled=False)
        assert adapter.name in adapter.vacancy_ended_message(cancelled=True)
        assert adapter.check_credentials

    def test_a_bulk_board_runs_the_bulk_contract_and_the_others_the_per_job_one(self, adapter):
        bulk = Capability.BULK_IMPORT in adapter.capabilities
        assert bulk == isinstance(self, BulkImportContract)
        assert (not bulk) == isinstance(self, PerJobContract)

    # --- The payload ----------------------------------------------------------------------------------------------

    def test_a_postable_vacancy_fills_a_valid_form(self, adapter):
        vacancy = PostableVacancyFactory()
        result = validate(adapter.spec, adapter.initial_values(vacancy))
        assert result.errors == {}

    def test_the_payload_is_pure(self, adapter):
        values = to_json_values(validate(adapter.spec, adapter.initial_values(PostableVacancyFactory())).values)
        before = copy.deepcopy(values)
        with CaptureQueriesContext(connection) as queries:
            first, second = adapter.build_payload(values), adapter.build_payload(values)
        assert len(queries) == 0
        assert first == second
        assert values == before
        assert json.loads(json.dumps(first)) == first

    def test_recorded_responses_read_as_expected(self, adapter):
        files = fixture_files(self.board, "responses")
        assert files, "record at least one answer of the board"
        bulk = Capability.BULK_IMPORT in adapter.capabilities
        for path in files:
            operation, variant = path.stem.split("__")
            body = json.loads(path.read_text())
            if operation == "error" and bulk:
                # A bulk board's errors are about the import as a whole; a job's come back in the results.
                assert adapter.client_class.field_errors_from(body), path.name
            elif operation == "error":
                errors = adapter.form_errors(adapter.client_class.field_errors_from(body))
                assert errors, path.name
                assert "" not in errors, f"{path.name}: every error lands on a form field"
                assert set(errors) <= set(adapter.spec.by_name)
            elif bulk:
                assert operation == "import", path.name
                state = adapter.parse_import(body)
                assert state.board_import_id, path.name
                assert state.status == variant, path.name
                if state.status == ImportStatus.COMPLETE:
                    assert state.results is not None, path.name
                    editable = {spec.name for spec in adapter.spec.fields if spec.editable}
                    fields = {
                        name for error in state.results.errors for name in adapter.import_error_fields(error.messages)
                    }
                    assert fields <= set(adapter.spec.by_name) | {""}, path.name
                    assert fields & editable, f"{path.name}: some refused job's error lands on a form field"
            else:
                result = adapter.result_from(body)
                assert result.board_id, path.name
                assert result.status not in (None, BoardStatus.UNKNOWN), path.name
                if operation == "status":
                    assert result.raw_status == variant, path.name


class PerJobContract:
    """For boards that take jobs one by one (create, update, close): mixed into the board's contract tests. Over
    real HTTP to the board's sandbox: one job whatever happens, retries, Retry-After, a 400 on its field, refused
    credentials, update and close."""

    board: str
    error_field: tuple[str, str]
    refused_settings: tuple[str, ...] = ()

    @pytest.fixture
    def send(self, account, adapter, queued_tasks, fast_retries):
        """Queue the first send of a postable vacancy; returns the posting (its task is in `queued_tasks`)."""

        def queue(**changes):
            vacancy = PostableVacancyFactory()
            values = {**adapter.initial_values(vacancy), **changes}
            return posting_send(vacancy=vacancy, board=self.board, values=values, user=UserFactory())

        return queue

    def test_publish_makes_one_job_and_a_second_run_of_the_task_nothing(self, send, queued_tasks):
        posting = send()
        queued_tasks.run(DELIVER)
        posting.refresh_from_db()
        job = SandboxJob.objects.get(board=self.board)
        assert posting.status == PostingStatus.POSTED
        assert posting.board_id in (job.public_id, str(job.pk))
        assert posting.board_status in (BoardStatus.DRAFT, BoardStatus.LIVE)
        deliver_posting(posting.pk)
        assert SandboxJob.objects.filter(board=self.board).count() == 1
        attempt = operation_calls(posting).get()
        assert (attempt.operation, attempt.outcome) == (Operation.PUBLISH, "success")
        attempts = PublishAttempt.objects.filter(posting=posting)
        logged = json.dumps([[a.request_summary, a.response_summary, a.url, a.error] for a in attempts])
        assert not any(secret in logged for secret in demo_settings(self.board, secret=True).values())

    def test_a_lost_answer_never_makes_a_second_job(self, send, queued_tasks):
        SandboxFault.objects.create(board=self.board, kind="lost", remaining=1)
        posting = send()
        queued_tasks.run(DELIVER)
        posting.refresh_from_db()
        assert posting.status == PostingStatus.POSTED
        assert SandboxJob.objects.filter(board=self.board).count() == 1
        assert list(operation_calls(posting).values_list("outcome", flat=True)) == ["temporary", "success"]

    def test_temporary_failures_are_retried_until_it_succeeds(self, send, queued_tasks):
        SandboxFault.objects.create(board=self.board, kind="503", remaining=2)
        SandboxFault.objects.create(board=self.board, kind="drop", remaining=1)
        posting = send()
        queued_tasks.run(DELIVER)
        posting.refresh_from_db()
        assert posting.status == PostingStatus.POSTED
        outcomes = list(operation_calls(posting).values_list("status_code", "outcome"))
        assert outcomes == [(503, "temporary"), (503, "temporary"), (None, "temporary"), (201, "success")]

    def test_retry_after_is_honoured(self, send, queued_tasks, settings):
        settings.BOARD_RETRY_INLINE_MAX_SECONDS = 0.01
        SandboxFault.objects.create(board=self.board, kind="429", remaining=1, retry_after=120)
        posting = send()
        queued_tasks.run(DELIVER)
        posting.refresh_from_db()
        assert posting.status == PostingStatus.RETRYING
        waited = (posting.next_attempt_at - operation_calls(posting).get().created_at).total_seconds()
        assert waited >= 119
        assert Schedule.objects.filter(func=DELIVER, args=f"({posting.pk},)").exists()

    def test_a_400_is_shown_against_the_form_field(self, send, queued_tasks):
        board_field, form_field = self.error_field
        SandboxFault.objects.create(board=self.board, kind="400", field=board_field, message="Not valid here.")
        posting = send()
        queued_tasks.run(DELIVER)
        posting.refresh_from_db()
        assert posting.status == PostingStatus.FAILED
        assert posting.field_errors == {form_field: ["Not valid here."]}
        assert operation_calls(posting).count() == 1

    def test_refused_credentials_mark_the_account_and_stop(self, send, queued_tasks, account, adapter):
        names = self.refused_settings or (next(setting.name for setting in adapter.settings if setting.secret),)
        for calls_before, name in enumerate(names):
            board_account_save(
                account=account,
                board=self.board,
                name=account.name,
                base_url=account.base_url,
                settings={**sandbox_module(self.board).DEMO_SETTINGS, name: "not-the-key"},
            )
            posting = send()
            queued_tasks.run(DELIVER)
            posting.refresh_from_db()
            account.refresh_from_db()
            assert posting.status == PostingStatus.FAILED, name
            assert account.needs_attention, name
            assert adapter.check_credentials in account.attention_reason, name
            assert posting.attempts.count() == 1, f"{name}: one call, refused, and no other"
            with pytest.raises(DomainError, match="needs attention"):
                send()
            assert PublishAttempt.objects.count() == calls_before + 1, name

    def test_update_then_close(self, send, queued_tasks, adapter):
        posting = send()
        queued_tasks.run(DELIVER)
        posting.refresh_from_db()
        if Capability.UPDATE in adapter.capabilities and adapter.can_update(posting):
            values = {**posting.values, "title": "Senior Staff Nurse"}
            posting_send(vacancy=posting.vacancy, board=self.board, values=values, user=UserFactory())
            queued_tasks.run(DELIVER)
            job = SandboxJob.objects.get(board=self.board)
            assert (job.payload["title"], job.update_count) == ("Senior Staff Nurse", 1)
        posting.refresh_from_db()
        assert adapter.can_close(posting)
        posting_request(posting=posting, operation=Operation.CLOSE, user=None)
        queued_tasks.run(DELIVER)
        posting.refresh_from_db()
        assert posting.board_status == BoardStatus.CLOSED
        assert not adapter.can_close(posting)


class BulkImportContract:
    """For boards that take their jobs in bulk imports: mixed into the board's contract tests (see the module).
    Test names differ from AdapterContract's, so neither set hides the other."""

    board: str

    @pytest.fixture(autouse=True)
    def _site_is_the_live_server(self, settings, live_server):
        """The callback URL we give the board points at the live server."""
        settings.SITE_URL = live_server.url

    @pytest.fixture
    def feed(self, account, adapter, queued_tasks, fast_retries):
        """Include postable vacancies in the feed and ask for a sync at once; returns (postings, the import). The
        import's sending task is in `queued_tasks`."""

        def include(count: int = 2, **changes):
            postings = []
            for _ in range(count):
                vacancy = PostableVacancyFactory()
                values = {**adapter.initial_values(vacancy), **changes}
                postings.append(
                    posting_feed_include(vacancy=vacancy, board=self.board, values=values, user=UserFactory())
                )
            return postings, feed_sync_now(account=account, user=None)

        return include

    def _outcomes(self, row: BulkImport) -> list[tuple[int | None, str]]:
        return list(row.calls.order_by("pk").values_list("status_code", "outcome"))

    def test_a_sync_is_one_import_and_a_second_run_of_the_task_nothing(self, feed, queued_tasks, adapter):
        postings, row = feed()
        assert queued_tasks.run(SEND_IMPORT) == 1
        row.refresh_from_db()
        board_import = SandboxImport.objects.get(board=self.board)
        assert (row.status, row.board_import_id) == (BulkImportStatus.PENDING, board_import.public_id)
        assert row.job_count == board_import.job_count == 2
        assert row.items == [[posting.pk, posting.vacancy.reference] for posting in postings]
        send_bulk_import(row.pk)
        assert SandboxImport.objects.filter(board=self.board).count() == 1
        (attempt,) = row.calls.all()
        assert attempt.outcome == "success"
        logged = json.dumps([attempt.request_summary, attempt.response_summary, attempt.url, attempt.error])
        assert row.token not in logged
        assert not any(secret in logged for secret in demo_settings(self.board, secret=True).values())

    def test_a_lost_answer_never_makes_a_second_import(self, feed, queued_tasks):
        SandboxFault.objects.create(board=self.board, kind="lost", remaining=1)
        _, row = feed()
        queued_tasks.run(SEND_IMPORT)
        row.refresh_from_db()
        assert SandboxImport.objects.filter(board=self.board).count() == 1
        assert row.board_import_id == SandboxImport.objects.get(board=self.board).public_id
        assert row.status == BulkImportStatus.PENDING
        assert [outcome for _, outcome in self._outcomes(row)] == ["temporary", "success"]

    def test_a_failed_import_post_is_retried_until_it_succeeds(self, feed, queued_tasks):
        SandboxFault.objects.create(board=self.board, kind="503", remaining=2)
        SandboxFault.objects.create(board=self.board, kind="drop", remaining=1)
        _, row = feed()
        queued_tasks.run(SEND_IMPORT)
        row.refresh_from_db()
        assert row.status == BulkImportStatus.PENDING
        assert self._outcomes(row) == [(503, "temporary"), (503, "temporary"), (None, "temporary"), (202, "success")]

    def test_retry_after_is_honoured_by_the_import_post(self, feed, queued_tasks, settings):
        settings.BOARD_RETRY_INLINE_MAX_SECONDS = 0.01
        SandboxFault.objects.create(board=self.board, kind="429", remaining=1, retry_after=120)
        _, row = feed()
        queued_tasks.run(SEND_IMPORT)
        row.refresh_from_db()
        assert row.status == BulkImportStatus.SENDING
        waited = (row.next_attempt_at - row.calls.get().created_at).total_seconds()
        assert waited >= 119
        assert Schedule.objects.filter(func=SEND_IMPORT, args=f"({row.pk},)").exists()
        assert not SandboxImport.objects.exists()

    def test_a_refused_import_fails_at_once_with_the_boards_message(self, feed, queued_tasks):
        SandboxFault.objects.create(board=self.board, kind="400", field="jobs", message="Not valid here.")
        postings, row = feed()
        queued_tasks.run(SEND_IMPORT)
        row.refresh_from_db()
        assert row.status == BulkImportStatus.FAILED
        assert "Not valid here." in row.last_error
        assert row.calls.count() == 1
        for posting in postings:
            posting.refresh_from_db()
            assert (posting.status, posting.board_status) == (PostingStatus.DRAFT, "")

    def test_refused_credentials_mark_the_account_and_stop_the_imports(self, feed, queued_tasks, account, adapter):
        secret = next(setting for setting in adapter.settings if setting.secret)
        board_account_save(
            account=account,
            board=self.board,
            name=account.name,
            base_url=account.base_url,
            settings={**sandbox_module(self.board).DEMO_SETTINGS, secret.name: "not-the-key"},
        )
        _, row = feed()
        queued_tasks.run(SEND_IMPORT)
        row.refresh_from_db()
        account.refresh_from_db()
        assert row.status == BulkImportStatus.FAILED
        assert account.needs_attention
        assert adapter.check_credentials in account.attention_reason
        assert row.calls.count() == 1
        with pytest.raises(DomainError, match="needs attention"):
            feed()
        assert PublishAttempt.objects.count() == 1

    def test_results_come_back_onto_the_postings_and_a_job_out_of_the_feed_comes_down(
        self, feed, queued_tasks, account
    ):
        (kept, removed), row = feed()
        queued_tasks.drain()
        row.refresh_from_db()
        assert (row.status, row.added, row.failed) == (BulkImportStatus.COMPLETE, 2, 0)
        for posting in (kept, removed):
            posting.refresh_from_db()
            assert (posting.status, posting.board_status) == (PostingStatus.POSTED, BoardStatus.LIVE)
            assert posting.board_id == posting.vacancy.reference
        posting_feed_remove(posting=removed, user=UserFactory())
        second = feed_sync_now(account=account, user=None)
        queued_tasks.drain()
        second.refresh_from_db()
        assert (second.status, second.unchanged, second.deleted) == (BulkImportStatus.COMPLETE, 1, 1)
        kept.refresh_from_db()
        removed.refresh_from_db()
        assert kept.board_status == BoardStatus.LIVE
        assert removed.board_status == BoardStatus.CLOSED


class WebhookContract:
    """For boards that sign their webhooks: mixed into the board's contract tests."""

    board: str

    def _signed(self, body: bytes) -> dict[str, str]:
        """The headers the sandbox sends with a delivery of this body (boards that send the event id in a header
        take it from the delivery)."""
        delivery = types.SimpleNamespace(body=body.decode(), event_id="evt_contract")
        return sandbox_module(self.board).signed_headers(delivery)

    def test_recorded_webhooks_parse_into_normalised_events(self, adapter):
        files = fixture_files(self.board, "webhooks")
        assert files, "record at least one webhook of the board"
        for path in files:
            event_name, variant = path.stem.split("__")
            body = path.read_bytes()
            (event,) = adapter.parse_webhook(headers=self._signed(body), body=body)
            assert event.event_id, path.name
            assert event.raw_type == event_name, path.name
            assert (event.kind == BoardEventKind.UNKNOWN) == (variant == "unhandled"), path.name
            if event.kind in (BoardEventKind.APPLICATION_RECEIVED, BoardEventKind.APPLICATION_STATUS_CHANGED):
                assert event.board_application_id, path.name

    def test_a_signed_body_is_accepted_and_any_change_refused(self, adapter, account):
        body = fixture_files(self.board, "webhooks")[0].read_bytes()
        headers = self._signed(body)
        adapter.verify_webhook(account=account, headers=headers, body=body)
        changed = body[:-2] + bytes([body[-2] ^ 1]) + body[-1:]
        for bad_body, bad_headers in ((changed, headers), (body, {}), (body, {k: v + "0" for k, v in headers.items()})):
            with pytest.raises(WebhookRejected):
                adapter.verify_webhook(account=account, headers=bad_headers, body=bad_body)

    def test_the_secret_of_another_account_is_refused(self, adapter, account):
        body = fixture_files(self.board, "webhooks")[0].read_bytes()
        headers = self._signed(body)
        settings = {**sandbox_module(self.board).DEMO_SETTINGS, "webhook_secret": "another-secret"}
        board_account_save(
            account=account, board=self.board, name=account.name, base_url=account.base_url, settings=settings
        )
        account.refresh_from_db()
        with pytest.raises(WebhookRejected):
            adapter.verify_webhook(account=account, headers=headers, body=body)
