"""The inbound pipeline, with JobSphere as the board: the receiver (verify, store with the task, answer), and the
processing of each kind of event (an application with its CV, a withdrawal, a job's status), its retries and its
failures with a reason. CVs are fetched over real HTTP from the sandbox served by the live server."""

import json
import time

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_q.models import OrmQ

from boards import crypto
from boards.models import BoardAccount, InboundEvent, InboundStatus, Posting, PostingStatus, PublishAttempt
from boards.services import inbound
from boards.services.accounts import board_account_save
from boards.services.inbound import inbound_event_process, inbound_events_receive
from boards.types import BoardStatus
from boards.webhooks import sign_timestamped
from recruitment.models import Application, ApplicationStage, ApplicationStageChange, Candidate
from recruitment.services.vacancies import vacancy_close
from tests.boards.factories import BoardAccountFactory, PostableVacancyFactory, sandbox_base_url

SECRET = "sandbox-jobsphere-webhook-secret"
PROCESS = "boards.tasks.process_inbound_event"
WEBHOOK = "/boards/jobsphere/webhook/"


def event_body(event_type: str = "application.received", event_id: str = "evt_1", **data) -> bytes:
    return json.dumps({"id": event_id, "type": event_type, "created_at": "2026-11-30T09:00:00Z", "data": data}).encode()


def application_data(job_id: str = "job_1", application_id: str = "app_1", **changes) -> dict:
    return {
        "application_id": application_id,
        "job_id": job_id,
        "applicant": {"first_name": "Amara", "last_name": "Okafor", "email": "Amara.Okafor@example.com", "phone": ""},
        "cover_letter": "I would love to join the ward.",
        "resume_url": "",
        **changes,
    }


def deliver(client, body: bytes, *, age: int = 0, secret: str = SECRET):
    header = sign_timestamped(secret=secret, body=body, timestamp=int(time.time()) - age)
    return client.post(WEBHOOK, data=body, content_type="application/json", headers={"X-JobSphere-Signature": header})


@pytest.fixture
def account(db):
    return BoardAccountFactory(board="jobsphere")


@pytest.fixture
def posting(account):
    return Posting.objects.create(
        vacancy=PostableVacancyFactory(),
        account=account,
        status=PostingStatus.POSTED,
        board_id="job_1",
        board_status="live",
    )


class TestTheReceiver:
    pytestmark = pytest.mark.django_db

    def test_a_signed_event_is_stored_with_its_task_and_answered_at_once(self, client, account, queued_tasks):
        response = deliver(client, event_body(**application_data()))
        assert response.status_code == 200
        assert response.json()["received"] == 1
        event = InboundEvent.objects.get()
        assert (event.kind, event.status, event.board_application_id, event.board_job_id) == (
            "application.received",
            InboundStatus.PENDING,
            "app_1",
            "job_1",
        )
        assert json.loads(event.body)["data"]["applicant"]["first_name"] == "Amara"
        assert "X-Jobsphere-Signature" in event.headers
        assert queued_tasks == [(PROCESS, (event.pk,))]

    @pytest.mark.parametrize(
        "tamper",
        [
            pytest.param(lambda body, headers: (body.replace(b"Amara", b"Amarb"), headers), id="one-byte-changed"),
            pytest.param(lambda body, headers: (body, {}), id="no-signature"),
            pytest.param(lambda body, headers: (body, {"X-JobSphere-Signature": "t=1,v1=00"}), id="garbage"),
        ],
    )
    def test_a_bad_signature_is_refused_and_nothing_is_stored(self, client, account, queued_tasks, tamper):
        body = event_body(**application_data())
        headers = {"X-JobSphere-Signature": sign_timestamped(secret=SECRET, body=body, timestamp=int(time.time()))}
        body, headers = tamper(body, headers)
        response = client.post(WEBHOOK, data=body, content_type="application/json", headers=headers)
        assert response.status_code == 401
        assert not InboundEvent.objects.exists()
        assert queued_tasks == []

    @pytest.mark.parametrize(("age", "status"), [(299, 200), (301, 401), (-299, 200), (-301, 401)])
    def test_the_signature_may_be_at_most_300_seconds_old_or_ahead(
        self, client, account, queued_tasks, age, status, time_machine
    ):
        time_machine.move_to("2026-11-30 09:00:00Z", tick=False)  # no second passes between signing and checking
        assert deliver(client, event_body(**application_data()), age=age).status_code == status
        assert InboundEvent.objects.count() == (1 if status == 200 else 0)

    def test_the_same_event_again_creates_nothing(self, client, account, queued_tasks):
        body = event_body(**application_data())
        deliver(client, body)
        again = deliver(client, body)
        assert again.status_code == 200
        assert again.json()["duplicates"] == 1
        assert InboundEvent.objects.count() == 1
        assert len(queued_tasks) == 1

    def test_the_account_is_read_once_and_kept_for_the_next_events(self, client, account, queued_tasks):
        deliver(client, event_body(event_id="evt_1", **application_data(application_id="app_1")))
        with CaptureQueriesContext(connection) as second:
            assert (
                deliver(client, event_body(event_id="evt_2", **application_data(application_id="app_2"))).status_code
                == 200
            )
        assert not [query for query in second.captured_queries if "boards_boardaccount" in query["sql"]]
        assert InboundEvent.objects.count() == 2

    def test_a_secret_rotated_in_another_process_is_accepted_at_once(self, client, account, queued_tasks):
        deliver(client, event_body(event_id="evt_1", **application_data(application_id="app_1")))
        # Another process stores a new secret: an update sends no signal, so this process keeps the old account.
        rotated = crypto.encrypt(json.dumps({**account.secrets(), "webhook_secret": "rotated-2026"}))
        BoardAccount.objects.filter(pk=account.pk).update(secrets_encrypted=rotated)
        body = event_body(event_id="evt_2", **application_data(application_id="app_2"))
        assert deliver(client, body, secret="rotated-2026").status_code == 200
        assert deliver(client, event_body(event_id="evt_3"), secret=SECRET).status_code == 401
        assert InboundEvent.objects.count() == 2

    def test_an_account_saved_here_is_read_again(self, client, account, queued_tasks):
        deliver(client, event_body(event_id="evt_1", **application_data(application_id="app_1")))
        board_account_save(
            account=account,
            board="jobsphere",
            name=account.name,
            base_url=account.base_url,
            settings={**account.public_settings, "webhook_secret": "rotated-2026"},
        )
        assert deliver(client, event_body(event_id="evt_2"), secret=SECRET).status_code == 401
        account.delete()
        assert deliver(client, event_body(event_id="evt_3"), secret="rotated-2026").status_code == 404

    def test_an_unknown_event_type_is_stored_acknowledged_and_ignored(self, client, account, queued_tasks):
        assert deliver(client, event_body("company.updated", id="cmp_1")).status_code == 200
        event = InboundEvent.objects.get()
        assert (event.kind, event.status) == ("unknown", InboundStatus.IGNORED)
        assert "company.updated" in event.note
        assert queued_tasks == []

    def test_a_signed_body_that_is_not_an_event_is_refused(self, client, account, queued_tasks):
        assert deliver(client, b'{"hello": "world"}').status_code == 400
        assert not InboundEvent.objects.exists()

    @pytest.mark.parametrize("board", ["monster", "nhs-jobs"])
    def test_boards_that_send_no_webhooks_have_no_receiver(self, client, account, board):
        BoardAccountFactory(board="nhs-jobs")
        assert client.post(f"/boards/{board}/webhook/", data=b"{}", content_type="application/json").status_code == 404
        assert reverse("boards:webhook", args=["jobsphere"]) == WEBHOOK

    def test_the_event_and_its_task_are_stored_in_one_transaction(self, account):
        """With the ORM broker the queue is a table of ours: if storing fails, no task is left behind."""
        body = event_body(**application_data())
        (event,) = account.adapter.parse_webhook(headers={}, body=body)
        queued = []

        def store_then_fail():
            with transaction.atomic():
                inbound_events_receive(account=account, events=[event], body=body)
                queued.append(OrmQ.objects.count())
                raise RuntimeError("the request failed after storing")

        with pytest.raises(RuntimeError):
            store_then_fail()
        assert queued == [1]
        assert (InboundEvent.objects.count(), OrmQ.objects.count()) == (0, 0)
        inbound_events_receive(account=account, events=[event], body=body)
        assert (InboundEvent.objects.count(), OrmQ.objects.count()) == (1, 1)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("board_sessions_closed", "fast_retries")
class TestProcessing:
    @pytest.fixture
    def account(self, live_server):
        return BoardAccountFactory(board="jobsphere", base_url=sandbox_base_url(live_server.url, "jobsphere"))

    @pytest.fixture
    def sample_cv(self, live_server):
        return f"{live_server.url}/sandbox/jobsphere/files/sample-cv.pdf"

    def receive(self, account, body: bytes) -> InboundEvent:
        receipt = inbound_events_receive(
            account=account, events=account.adapter.parse_webhook(headers={}, body=body), body=body
        )
        return receipt[0].event

    def process(self, event: InboundEvent, queued_tasks) -> InboundEvent:
        queued_tasks.run(PROCESS)
        event.refresh_from_db()
        return event

    def test_an_application_arrives_with_its_cv_through_the_shared_apply_service(
        self, account, posting, sample_cv, queued_tasks
    ):
        event = self.process(self.receive(account, event_body(**application_data(resume_url=sample_cv))), queued_tasks)
        assert (event.status, event.note) == (InboundStatus.PROCESSED, "Application received.")
        application = Application.objects.get()
        assert (application.source, application.source_reference, application.vacancy) == (
            "jobsphere",
            "app_1",
            posting.vacancy,
        )
        assert event.application == application
        assert application.candidate.privacy_notice_accepted_at is None  # they accepted JobSphere's terms, not ours
        cv = application.documents.get()
        assert (cv.kind, cv.content_type) == ("cv", "application/pdf")
        assert cv.file.read().startswith(b"%PDF-")
        fetch = PublishAttempt.objects.get(operation="fetch_document")
        assert (fetch.inbound_event, fetch.status_code, fetch.request_summary["headers"]["Authorization"]) == (
            event,
            200,
            "[redacted]",
        )

    def test_one_candidate_per_email_whatever_its_case(self, account, posting, queued_tasks):
        Candidate.objects.create(first_name="Amara", last_name="Okafor", email="amara.okafor@example.com")
        self.process(self.receive(account, event_body(**application_data())), queued_tasks)
        assert Candidate.objects.count() == 1
        assert Application.objects.get().candidate.email == "amara.okafor@example.com"

    def test_the_same_application_in_a_second_event_is_not_made_twice(self, account, posting, queued_tasks):
        self.process(self.receive(account, event_body(**application_data())), queued_tasks)
        second = self.process(self.receive(account, event_body(event_id="evt_2", **application_data())), queued_tasks)
        assert (second.status, second.note) == (InboundStatus.PROCESSED, "Already received.")
        assert Application.objects.count() == 1

    def test_a_cv_on_another_host_is_never_fetched(self, account, posting, queued_tasks):
        body = event_body(**application_data(resume_url="http://169.254.169.254/latest/meta-data/cv.pdf"))
        event = self.process(self.receive(account, body), queued_tasks)
        assert event.status == InboundStatus.FAILED
        assert "169.254.169.254" in event.last_error
        assert "was not fetched" in event.last_error
        assert not PublishAttempt.objects.exists()
        assert not Application.objects.exists()

    def test_a_cv_that_fails_the_upload_checks_fails_the_event(self, account, posting, live_server, queued_tasks):
        body = event_body(**application_data(resume_url=f"{live_server.url}/sandbox/"))  # an HTML page, not a CV
        event = self.process(self.receive(account, body), queued_tasks)
        assert event.status == InboundStatus.FAILED
        assert event.last_error.startswith("The CV was refused: ")
        assert event.posting == posting  # so whoever sees the vacancy sees the failure
        assert not Application.objects.exists()
        assert not Candidate.objects.exists()

    def test_a_cv_the_board_cannot_serve_fails_the_event(self, account, posting, live_server, queued_tasks):
        body = event_body(**application_data(resume_url=f"{live_server.url}/sandbox/jobsphere/files/app_gone/cv.pdf"))
        event = self.process(self.receive(account, body), queued_tasks)
        assert event.status == InboundStatus.FAILED
        assert event.last_error.startswith("The CV could not be fetched from JobSphere")
        assert not Application.objects.exists()

    def test_an_unknown_job_fails_with_the_reason(self, account, queued_tasks):
        event = self.process(self.receive(account, event_body(**application_data(job_id="job_nope"))), queued_tasks)
        assert (event.status, event.last_error) == (
            InboundStatus.FAILED,
            "No vacancy of ours is posted as JobSphere job job_nope.",
        )

    def test_a_closed_vacancy_fails_with_the_reason_and_redelivery_processes_it_again(
        self, account, posting, queued_tasks
    ):
        vacancy_close(vacancy=posting.vacancy)
        queued_tasks.clear()
        body = event_body(**application_data())
        event = self.process(self.receive(account, body), queued_tasks)
        assert event.status == InboundStatus.FAILED
        assert "not open for applications" in event.last_error
        self.receive(account, body)  # the board delivers it again
        assert [func for func, _ in queued_tasks] == [PROCESS]
        event = self.process(event, queued_tasks)
        assert event.status == InboundStatus.FAILED
        assert event.attempts == 2

    def test_processing_that_raises_once_is_completed_by_the_retry(self, account, posting, queued_tasks, monkeypatch):
        real = inbound.handle_event
        calls = []

        def flaky(**kwargs):
            calls.append(1)
            if len(calls) == 1:
                raise ConnectionResetError("the database went away")
            return real(**kwargs)

        monkeypatch.setattr(inbound, "handle_event", flaky)
        event = self.process(self.receive(account, event_body(**application_data())), queued_tasks)
        assert (event.status, event.attempts) == (InboundStatus.PROCESSED, 2)
        assert Application.objects.count() == 1

    def test_retries_stop_at_the_limit_with_the_reason(self, account, posting, queued_tasks, monkeypatch, settings):
        settings.BOARD_INBOUND_MAX_ATTEMPTS = 3
        monkeypatch.setattr(inbound, "handle_event", lambda **kwargs: (_ for _ in ()).throw(OSError("disk full")))
        event = self.process(self.receive(account, event_body(**application_data())), queued_tasks)
        assert (event.status, event.attempts) == (InboundStatus.FAILED, 3)
        assert event.last_error == "Gave up after 3 tries: Processing failed: OSError: disk full"
        assert inbound_event_process(event_id=event.pk) is None  # settled: nothing more happens

    def test_a_withdrawal_withdraws_and_other_statuses_go_into_the_history(self, account, posting, queued_tasks):
        self.process(self.receive(account, event_body(**application_data())), queued_tasks)
        status = {"application_id": "app_1", "job_id": "job_1"}
        reviewed = self.process(
            self.receive(account, event_body("candidate.status_changed", "evt_2", **status, status="reviewed")),
            queued_tasks,
        )
        application = Application.objects.get()
        assert (reviewed.status, application.stage) == (InboundStatus.PROCESSED, ApplicationStage.NEW)
        assert ApplicationStageChange.objects.filter(
            application=application, note="JobSphere status: reviewed"
        ).exists()
        self.process(
            self.receive(account, event_body("candidate.status_changed", "evt_3", **status, status="withdrawn")),
            queued_tasks,
        )
        application.refresh_from_db()
        assert application.stage == ApplicationStage.WITHDRAWN
        assert application.stage_changes.last().note == "The candidate withdrew on JobSphere."

    def test_a_status_change_before_its_application_waits_and_retries(self, account, posting, queued_tasks, settings):
        settings.BOARD_RETRY_INLINE_MAX_SECONDS = 0
        body = event_body(
            "candidate.status_changed", "evt_9", application_id="app_1", job_id="job_1", status="withdrawn"
        )
        event = self.process(self.receive(account, body), queued_tasks)
        assert event.status == InboundStatus.RETRYING
        assert "No application of ours for JobSphere application app_1" in event.last_error
        self.process(self.receive(account, event_body(**application_data())), queued_tasks)
        event.next_attempt_at = None
        event.save()
        assert inbound_event_process(event_id=event.pk) is None
        event.refresh_from_db()
        assert event.status == InboundStatus.PROCESSED
        assert Application.objects.get().stage == ApplicationStage.WITHDRAWN

    def test_job_events_refresh_the_postings_board_status(self, account, posting, queued_tasks):
        body = event_body("job.updated", "evt_5", id="job_1", status="archived", reference=posting.vacancy.reference)
        event = self.process(self.receive(account, body), queued_tasks)
        posting.refresh_from_db()
        assert (posting.board_status, posting.board_status_raw) == (BoardStatus.CLOSED, "archived")
        assert event.posting == posting
        other = self.process(
            self.receive(account, event_body("job.created", "evt_6", id="job_x", status="open")), queued_tasks
        )
        assert other.status == InboundStatus.IGNORED
