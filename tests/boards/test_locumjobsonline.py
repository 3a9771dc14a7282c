"""LocumJobsOnline's own story: its field spec and job object, the board's per-job rules (the sandbox applies them),
syncs of the feed (debounced, one import in flight per account), results mapped back by index and reference, the
callback (once, by token), polling when no callback comes, the triggers, and the posting page's feed controls."""

import datetime
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_q.models import Schedule

from boards.adapters.locumjobsonline.mapping import (
    form_errors_from_messages,
    import_state_from,
    job_errors,
    job_from_values,
)
from boards.adapters.locumjobsonline.spec import PAY_RANGE_INVALID, SPEC
from boards.base import ImportJobError, ImportResults, ImportState, ImportStatus
from boards.models import (
    BulkImport,
    BulkImportStatus,
    ImportTrigger,
    InboundEvent,
    InboundStatus,
    Posting,
    PostingStatus,
    PublishAttempt,
)
from boards.registry import get_adapter
from boards.sandbox.models import SandboxBoardSettings, SandboxDelivery, SandboxImport, SandboxJob
from boards.services.feeds import posting_feed_include, posting_feed_remove
from boards.services.imports import (
    NIGHTLY_TASK,
    SEND_TASK,
    bulk_import_complete,
    bulk_import_send,
    feed_sync_now,
    feed_sync_request,
)
from boards.services.postings import posting_request, posting_save_draft
from boards.tasks import board_upkeep, sync_feeds
from boards.types import BoardStatus, Operation
from boards.validation import to_json_values, validate
from recruitment.errors import DomainError
from recruitment.models import ContractKind, SalaryPeriod, StaffGroup, Vacancy, VacancyStatus
from recruitment.services.vacancies import vacancy_close, vacancy_update
from tests.boards.factories import BoardAccountFactory, PostableVacancyFactory, sandbox_base_url
from tests.factories import (
    EmploymentTypeFactory,
    JobCategoryFactory,
    SuperUserFactory,
    UserFactory,
)

BOARD = "locumjobsonline"
TOKEN = {"Authorization": "Bearer sandbox-locumjobsonline-token"}
FIXTURES = Path(__file__).resolve().parents[2] / "boards" / "adapters" / "locumjobsonline" / "fixtures"
ZIP_MESSAGE = "Zip is invalid. Value passed was: 0"
PROCESS_INBOUND = "boards.tasks.process_inbound_event"
SANDBOX_PROCESS = "boards.sandbox.locumjobsonline.process_import"

adapter = get_adapter(BOARD)


def include(vacancy=None, user=None, **changes) -> Posting:
    """Put a (postable) vacancy in the feed with its auto-filled values, changed as given. (Its pay is its own, so
    any number of vacancies can be made: the factory's salary bands are a dozen.)"""
    vacancy = vacancy or PostableVacancyFactory(salary_band=None)
    values = {**adapter.initial_values(vacancy), **changes}
    return posting_feed_include(vacancy=vacancy, board=BOARD, values=values, user=user or UserFactory())


def carried_import(account, postings, *, board_import_id="imp_1", status=BulkImportStatus.PENDING) -> BulkImport:
    """An import the board accepted, carrying these postings in this order (as `bulk_import_send` leaves it)."""
    row = BulkImport.objects.create(
        account=account,
        status=status,
        due_at=timezone.now(),
        board_import_id=board_import_id,
        sent_at=timezone.now(),
        items=[[posting.pk, posting.vacancy.reference] for posting in postings],
        job_count=len(postings),
    )
    Posting.objects.filter(pk__in=[posting.pk for posting in postings]).update(bulk_import=row)
    return row


def complete(board_import_id="imp_1", *, errors=(), added=0, deleted=0) -> ImportState:
    """A complete import's state as the board would report it."""
    results = ImportResults(
        added=added, deleted=deleted, failed=len(errors), processed=added + len(errors), errors=tuple(errors)
    )
    return ImportState(
        board_import_id=board_import_id, status=ImportStatus.COMPLETE, results=results, raw={"results": {"x": 1}}
    )


def callback_body(board_import_id: str, *, errors=(), added=1) -> dict:
    return {
        "id": board_import_id,
        "status": "complete",
        "requestedAt": "2026-11-30T09:00:00.000000Z",
        "completedAt": "2026-11-30T09:01:00.000000Z",
        "results": {
            "added": added,
            "updated": 0,
            "unchanged": 0,
            "deleted": 0,
            "failed": len(errors),
            "processed": added + len(errors),
            "ignoredValues": [],
            "errors": list(errors),
        },
    }


# --- The spec and the job object --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_form_is_filled_from_a_locum_vacancy():
    vacancy = PostableVacancyFactory(
        employment_type=EmploymentTypeFactory(contract_kind=ContractKind.LOCUM),
        job_category=JobCategoryFactory(name="Emergency Medicine", staff_group=StaffGroup.MEDICAL_AND_DENTAL),
        salary_min=Decimal("85.00"),
        salary_max=Decimal("110.00"),
        salary_period=SalaryPeriod.HOUR,
        working_patterns=["part_time"],
        contract_duration_length=13,
        contract_duration_unit="weeks",
    )
    values = adapter.initial_values(vacancy)
    assert values["referenceNumber"] == vacancy.reference
    assert (values["specialty"], values["license"]) == ("Emergency Medicine", "GMC")
    assert (values["city"], values["postalCode"]) == ("Leeds", "LS1 4AP")
    assert (values["payAmountMin"], values["payAmountMax"], values["payFrequency"]) == ("85.00", "110.00", "Hourly")
    assert values["employmentType"] == ["Locum Tenens", "Part-Time"]
    assert (values["durationLength"], values["durationUnit"]) == (13, "week")
    assert validate(SPEC, values).errors == {}


def test_the_job_object_follows_the_seed_and_leaves_the_state_out():
    values = {
        "referenceNumber": "VAC-2026-0001",
        "title": "Locum Consultant",
        "city": "Leeds",
        "postalCode": "LS1 4AP",
        "specialty": "Critical Care",
        "shiftType": "night",
        "shiftsPerWeek": 4,
        "hoursPerShift": 12,
        "payAmountMin": "737",
        "payAmountMax": "913.5",
        "payFrequency": "Hourly",
        "employmentType": ["Locum Tenens", "Part-Time"],
        "description": "First paragraph.\n\n• One\n• Two",
        "requirements": "",
        "startDate": "2027-03-02",
    }
    job = job_from_values(values)
    assert job["referenceNumber"] == "VAC-2026-0001"
    assert (job["payAmountMin"], job["payAmountMax"]) == ("737.00", "913.50")
    assert job["description"] == "<p>First paragraph.</p><ul><li>One</li><li>Two</li></ul>"
    assert job["employmentType"] == ["Locum Tenens", "Part-Time"]
    assert (job["shiftsPerWeek"], job["hoursPerShift"], job["startDate"]) == (4, 12, "2027-03-02")
    assert "state" not in job
    assert "requirements" not in job
    assert "benefits" not in job
    single = job_from_values({**values, "payAmountMax": None})
    assert single["payAmountMax"] == single["payAmountMin"] == "737.00"


def test_the_spec_checks_the_pay_range_and_a_whole_duration():
    base = {"title": "t", "specialty": "s", "city": "c", "postalCode": "LS1 4AP", "payFrequency": "Daily"}
    result = validate(SPEC, {**base, "payAmountMin": "900", "payAmountMax": "800", "durationLength": "3"})
    assert result.errors["payAmountMin"] == [PAY_RANGE_INVALID]
    assert result.errors["payAmountMax"] == [PAY_RANGE_INVALID]
    assert "durationUnit" in result.errors
    assert "shiftsPerWeek" in validate(SPEC, {**base, "shiftsPerWeek": "8"}).errors
    # The postcode's format is the board's rule: the form takes what the board will judge.
    assert "postalCode" not in validate(SPEC, {**base, "postalCode": "0"}).errors


@pytest.mark.parametrize(
    ("changes", "messages"),
    [
        ({}, []),
        ({"postalCode": "17603"}, []),
        ({"postalCode": "ls14ap"}, []),
        ({"postalCode": "0"}, [ZIP_MESSAGE]),
        ({"state": "PA", "postalCode": "17603"}, []),
        ({"state": "MC"}, ["State is invalid. Value passed was: MC"]),
        ({"referenceNumber": None}, ["Job ID is missing"]),
        (
            {"payAmountMin": "913.00", "payAmountMax": "737.00"},
            ["Pay amount min must not be more than pay amount max. Values passed were: 913.00, 737.00"],
        ),
        ({"payFrequency": "Monthly"}, ["Pay frequency is invalid. Value passed was: Monthly"]),
    ],
)
def test_the_boards_rules_for_each_job(changes, messages):
    job = {
        "referenceNumber": "u9FE7VIZ",
        "postalCode": "LS1 4AP",
        "payAmountMin": "737.00",
        "payAmountMax": "913.00",
        "payFrequency": "Hourly",
        **changes,
    }
    assert job_errors(job) == messages


def test_the_boards_messages_land_on_our_fields():
    errors = form_errors_from_messages([ZIP_MESSAGE, "Job ID is missing", "Something else went wrong"])
    assert errors == {"postalCode": [ZIP_MESSAGE], "": ["Job ID is missing", "Something else went wrong"]}


def test_import_objects_are_read_from_envelopes_and_callbacks_and_bad_ones_refused():
    envelope = json.loads((FIXTURES / "responses" / "import__complete.json").read_text())
    state = import_state_from(envelope)
    assert (state.board_import_id, state.status) == ("3ShBu2LHxCgxJtFtc7yOY", ImportStatus.COMPLETE)
    assert (state.results.added, state.results.unchanged, state.results.processed) == (48, 4343, 4416)
    assert state.results.errors[0] == ImportJobError(index=227, reference="", messages=("Job ID is missing",))
    assert state.completed_at == datetime.datetime(2024, 3, 2, 11, 2, 10, tzinfo=datetime.UTC)
    bare = json.loads((FIXTURES / "callbacks" / "import.completed__with_errors.json").read_text())
    assert import_state_from(bare).results.deleted == 1
    pending = import_state_from(json.loads((FIXTURES / "responses" / "import__pending.json").read_text()))
    assert (pending.status, pending.results) == (ImportStatus.PENDING, None)
    for bad, message in (
        ({}, "A job import has an id."),
        ({"id": "x", "status": "finished"}, "Unknown job import status 'finished'."),
        ({"id": "x", "status": "complete", "results": None}, "A complete job import has results."),
        ({"id": "x", "status": "complete", "results": {**bare["results"], "added": -1}}, "results.added is not a"),
        (
            {"id": "x", "status": "complete", "results": {**bare["results"], "errors": [{"index": "1"}]}},
            "An import error's index is a whole number.",
        ),
    ):
        with pytest.raises(ValueError, match=re.escape(message)):
            import_state_from(bad)


# --- The sandbox (transactional: it queues its processing once its transaction commits) ----------------------


def _post_import(client, jobs, *, delete_jobs=True, key="", callback="http://127.0.0.1:9/cb/"):
    headers = {**TOKEN, **({"Idempotency-Key": key} if key else {})}
    body = {"callbackUrl": callback, "deleteJobs": delete_jobs, "jobs": jobs}
    return client.post(
        "/sandbox/locumjobsonline/api/v2.0/job-imports", body, content_type="application/json", headers=headers
    )


def _job(reference, **changes):
    return {"referenceNumber": reference, "title": f"Locum {reference}", "postalCode": "LS1 4AP", **changes}


@pytest.mark.django_db(transaction=True)
def test_the_sandbox_accepts_with_202_then_processes_in_the_background(client, queued_tasks):
    answer = _post_import(client, [_job("R1"), _job("R2", postalCode="0")])
    assert answer.status_code == 202
    data = answer.json()["data"]
    assert (data["status"], data["results"], data["completedAt"]) == ("pending", None, None)
    assert answer.json()["links"]["self"].endswith(f"/sandbox/locumjobsonline/api/v2.0/job-imports/{data['id']}")
    url = f"/sandbox/locumjobsonline/api/v2.0/job-imports/{data['id']}"
    assert client.get(url, headers=TOKEN).json()["data"]["status"] == "pending"
    assert queued_tasks.run(SANDBOX_PROCESS) == 1
    done = client.get(url, headers=TOKEN).json()["data"]
    assert done["status"] == "complete"
    assert done["results"] == {
        "added": 1,
        "updated": 0,
        "unchanged": 0,
        "deleted": 0,
        "failed": 1,
        "processed": 2,
        "ignoredValues": [],
        "errors": [{"index": 1, "messages": [ZIP_MESSAGE], "referenceNumber": "R2"}],
    }
    assert list(SandboxJob.objects.filter(board=BOARD).values_list("reference", "status")) == [("R1", "active")]
    delivery = SandboxDelivery.objects.get(board=BOARD)
    assert delivery.url == "http://127.0.0.1:9/cb/"
    assert json.loads(delivery.body) == done


@pytest.mark.django_db(transaction=True)
def test_the_sandbox_keeps_jobs_by_reference_and_deletes_those_left_out(client, queued_tasks):
    _post_import(client, [_job("R1"), _job("R2")])
    queued_tasks.run(SANDBOX_PROCESS)
    _post_import(client, [_job("R1"), _job("R2", title="Changed"), _job("R3"), _job("R4", postalCode="0")])
    queued_tasks.run(SANDBOX_PROCESS)
    second = SandboxImport.objects.order_by("pk").last().results
    assert (second["added"], second["updated"], second["unchanged"], second["failed"]) == (1, 1, 1, 1)
    _post_import(client, [_job("R1"), _job("R3")], delete_jobs=False)
    queued_tasks.run(SANDBOX_PROCESS)
    assert SandboxImport.objects.order_by("pk").last().results["deleted"] == 0
    _post_import(client, [_job("R1")])
    queued_tasks.run(SANDBOX_PROCESS)
    assert SandboxImport.objects.order_by("pk").last().results["deleted"] == 2
    statuses = dict(SandboxJob.objects.filter(board=BOARD).values_list("reference", "status"))
    assert statuses == {"R1": "active", "R2": "deleted", "R3": "deleted"}


@pytest.mark.django_db
def test_the_sandbox_refuses_a_bad_token_or_body_and_dedupes_on_the_idempotency_key(client, queued_tasks):
    url = "/sandbox/locumjobsonline/api/v2.0/job-imports"
    refused = client.post(url, {"jobs": []}, content_type="application/json", headers={"Authorization": "Bearer x"})
    assert (refused.status_code, refused.json()) == (401, {"message": "Unauthenticated."})
    missing = client.post(url, {"deleteJobs": True}, content_type="application/json", headers=TOKEN)
    assert missing.status_code == 422
    assert missing.json()["errors"] == {"jobs": ["The jobs field is required."]}
    assert client.get(f"{url}/nope", headers=TOKEN).status_code == 404
    first = _post_import(client, [_job("R1")], key="sync-1")
    again = _post_import(client, [_job("R1"), _job("R2")], key="sync-1")
    assert again.status_code == 202
    assert again.json()["data"]["id"] == first.json()["data"]["id"]
    assert SandboxImport.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_sandbox_can_skip_the_callback(client, queued_tasks):
    SandboxBoardSettings.objects.create(board=BOARD, skip_callback=True)
    _post_import(client, [_job("R1")])
    queued_tasks.run(SANDBOX_PROCESS)
    assert SandboxImport.objects.get().status == "complete"
    assert not SandboxDelivery.objects.exists()


# --- Syncs: debounced, one import in flight per account ----------------------------------------------------------


@pytest.mark.django_db
def test_changes_within_the_window_make_one_import(queued_tasks, settings, django_capture_on_commit_callbacks):
    settings.BOARD_FEED_SYNC_DELAY_SECONDS = 60
    account = BoardAccountFactory(board=BOARD)
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        postings = [include() for _ in range(3)]
    (row,) = BulkImport.objects.all()
    assert (row.status, row.trigger) == (BulkImportStatus.QUEUED, ImportTrigger.CHANGE)
    assert before + datetime.timedelta(seconds=59) < row.due_at <= timezone.now() + datetime.timedelta(seconds=60)
    assert Schedule.objects.filter(func=SEND_TASK, args=f"({row.pk},)").count() == 1
    assert queued_tasks == []
    assert all(posting.in_feed for posting in postings)
    with django_capture_on_commit_callbacks(execute=True):
        feed_sync_now(account=account, user=None)
    row.refresh_from_db()
    assert (BulkImport.objects.count(), row.trigger) == (1, ImportTrigger.RECRUITER)
    assert row.due_at <= timezone.now()
    assert queued_tasks == [(SEND_TASK, (row.pk,))]


@pytest.mark.django_db
def test_the_next_import_waits_for_the_one_in_flight(queued_tasks, django_capture_on_commit_callbacks):
    account = BoardAccountFactory(board=BOARD)
    first = carried_import(account, [include()])
    with django_capture_on_commit_callbacks(execute=True):
        waiting = feed_sync_now(account=account, user=None)
    assert bulk_import_send(import_id=waiting.pk) is None
    waiting.refresh_from_db()
    assert waiting.status == BulkImportStatus.QUEUED
    assert not PublishAttempt.objects.exists()
    queued_tasks.clear()
    with django_capture_on_commit_callbacks(execute=True):
        bulk_import_complete(import_id=first.pk, state=complete(added=1))
    assert queued_tasks == [(SEND_TASK, (waiting.pk,))]


@pytest.mark.django_db
def test_a_board_that_takes_jobs_one_by_one_has_no_feed():
    BoardAccountFactory(board="jobsphere")
    with pytest.raises(DomainError, match="takes jobs one by one"):
        feed_sync_request(account=BoardAccountFactory(board="jobsphere"))
    vacancy = PostableVacancyFactory()
    values = get_adapter("jobsphere").initial_values(vacancy)
    with pytest.raises(DomainError, match="takes jobs one by one"):
        posting_feed_include(vacancy=vacancy, board="jobsphere", values=values, user=UserFactory())


# --- Results mapped back --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_results_map_back_by_index_live_failed_with_the_message_and_deleted_closed(queued_tasks):
    account = BoardAccountFactory(board=BOARD)
    gone = include()
    Posting.objects.filter(pk=gone.pk).update(board_status=BoardStatus.LIVE, board_id=gone.vacancy.reference)
    one, bad, three = include(), include(postalCode="0"), include()
    row = carried_import(account, [one, bad, three])
    error = ImportJobError(index=1, reference=bad.vacancy.reference, messages=(ZIP_MESSAGE,))
    bulk_import_complete(import_id=row.pk, state=complete(errors=[error], added=2, deleted=1))
    row.refresh_from_db()
    assert (row.status, row.added, row.failed, row.deleted, row.last_error) == ("complete", 2, 1, 1, "")
    assert row.results == {"x": 1}
    for posting in (one, three):
        posting.refresh_from_db()
        assert (posting.status, posting.board_status) == (PostingStatus.POSTED, BoardStatus.LIVE)
        assert posting.board_id == posting.vacancy.reference
    bad.refresh_from_db()
    assert (bad.status, bad.board_status, bad.board_status_raw) == ("failed", "failed", "failed")
    assert bad.field_errors == {"postalCode": [ZIP_MESSAGE]}
    assert bad.last_error == ZIP_MESSAGE
    gone.refresh_from_db()
    assert (gone.board_status, gone.board_status_raw) == (BoardStatus.CLOSED, "deleted")


@pytest.mark.django_db
def test_an_index_that_points_elsewhere_is_matched_by_reference_and_a_stranger_is_counted(queued_tasks):
    account = BoardAccountFactory(board=BOARD)
    first, second = include(), include()
    row = carried_import(account, [first, second])
    errors = [
        ImportJobError(index=0, reference=second.vacancy.reference, messages=(ZIP_MESSAGE,)),
        ImportJobError(index=7, reference="VAC-1999-9999", messages=("Job ID is missing",)),
    ]
    bulk_import_complete(import_id=row.pk, state=complete(errors=errors, added=1))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.board_status, second.board_status) == (BoardStatus.LIVE, BoardStatus.FAILED)
    row.refresh_from_db()
    assert row.last_error == "1 refused job matched no job this import carried."


@pytest.mark.django_db
def test_results_come_once_and_a_superseded_imports_results_touch_no_posting(queued_tasks):
    account = BoardAccountFactory(board=BOARD)
    posting = include()
    old = carried_import(account, [posting], status=BulkImportStatus.FAILED, board_import_id="")
    newer = carried_import(account, [posting], board_import_id="imp_2")
    bulk_import_complete(import_id=old.pk, state=complete("imp_old", added=1))
    posting.refresh_from_db()
    assert posting.board_status == ""
    old.refresh_from_db()
    assert (old.status, old.board_import_id, old.added) == ("complete", "imp_old", 1)
    bulk_import_complete(import_id=newer.pk, state=complete("imp_2", added=1))
    stamp = BulkImport.objects.get(pk=newer.pk).completed_at
    bulk_import_complete(import_id=newer.pk, state=complete("imp_2", errors=[ImportJobError(0, "", ("x",))]))
    newer.refresh_from_db()
    posting.refresh_from_db()
    assert (newer.completed_at, newer.failed, posting.board_status) == (stamp, 0, BoardStatus.LIVE)


@pytest.mark.django_db
def test_mapping_costs_the_same_queries_for_3_and_12_jobs(queued_tasks):
    account = BoardAccountFactory(board=BOARD)
    counts = []
    for size, board_id in ((3, "imp_a"), (12, "imp_b")):
        postings = [include() for _ in range(size)]
        row = carried_import(account, postings, board_import_id=board_id)
        error = ImportJobError(index=1, reference=postings[1].vacancy.reference, messages=(ZIP_MESSAGE,))
        with CaptureQueriesContext(connection) as queries:
            bulk_import_complete(import_id=row.pk, state=complete(board_id, errors=[error], added=size - 1))
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- The callback ------------------------------------------------------------------------------------------------


def _callback(client, row_or_token, body) -> object:
    token = row_or_token if isinstance(row_or_token, str) else row_or_token.token
    return client.post(f"/boards/locumjobsonline/imports/{token}/callback/", body, content_type="application/json")


@pytest.mark.django_db
def test_a_callback_with_an_unknown_token_is_404_and_changes_nothing(client, queued_tasks):
    account = BoardAccountFactory(board=BOARD)
    row = carried_import(account, [include()])
    answer = _callback(client, "not-a-token", callback_body("imp_1"))
    assert answer.status_code == 404
    assert not InboundEvent.objects.exists()
    row.refresh_from_db()
    assert (row.status, row.callback_received_at) == (BulkImportStatus.PENDING, None)
    assert _callback(client, row.token, callback_body("imp_1")).status_code == 200
    assert client.post(f"/boards/jobsphere/imports/{row.token}/callback/").status_code == 404


@pytest.mark.django_db
def test_the_callback_is_accepted_once_and_its_results_applied_by_a_task(client, queued_tasks):
    account = BoardAccountFactory(board=BOARD)
    posting = include()
    row = carried_import(account, [posting])
    first = _callback(client, row, callback_body("imp_1"))
    assert (first.status_code, first.json()["detail"]) == (200, "Received.")
    event = InboundEvent.objects.get()
    assert (event.source, event.kind, event.event_id) == ("callback", "import.completed", f"bulk-import-{row.pk}")
    assert queued_tasks.run(PROCESS_INBOUND) == 1
    event.refresh_from_db()
    row.refresh_from_db()
    posting.refresh_from_db()
    assert event.status == InboundStatus.PROCESSED
    assert (row.status, row.added) == (BulkImportStatus.COMPLETE, 1)
    assert posting.board_status == BoardStatus.LIVE
    received_at = row.callback_received_at
    again = _callback(client, row, callback_body("imp_1", added=5))
    assert (again.status_code, again.json()["detail"]) == (200, "Already received.")
    assert InboundEvent.objects.count() == 1
    assert queued_tasks == []
    row.refresh_from_db()
    assert (row.callback_received_at, row.added) == (received_at, 1)


@pytest.mark.django_db
def test_a_callback_about_another_import_or_not_complete_is_refused(client, queued_tasks):
    account = BoardAccountFactory(board=BOARD)
    row = carried_import(account, [include()])
    assert _callback(client, row, callback_body("imp_other")).status_code == 400
    assert _callback(client, row, {**callback_body("imp_1"), "status": "running"}).status_code == 400
    assert _callback(client, row, b"not json").status_code == 400
    assert client.get(f"/boards/locumjobsonline/imports/{row.token}/callback/").status_code == 405
    row.refresh_from_db()
    assert (row.callback_received_at, InboundEvent.objects.count()) == (None, 0)


# --- Polling, over real HTTP to the sandbox ---------------------------------------------------------------------


@pytest.fixture
def live_account(live_server, settings, queued_tasks, fast_retries):
    settings.SITE_URL = live_server.url
    return BoardAccountFactory(board=BOARD, base_url=sandbox_base_url(live_server.url, BOARD))


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("board_sessions_closed")
def test_without_a_callback_the_upkeep_polls_the_import_once_the_grace_has_passed(live_account, queued_tasks, settings):
    SandboxBoardSettings.objects.create(board=BOARD, skip_callback=True)
    posting = include()
    row = feed_sync_now(account=live_account, user=None)
    queued_tasks.run(SEND_TASK)
    queued_tasks.run(SANDBOX_PROCESS)
    board_upkeep()
    row.refresh_from_db()
    assert row.status == BulkImportStatus.PENDING  # still within the grace: not polled yet
    settings.BOARD_IMPORT_CALLBACK_GRACE_SECONDS = 0
    board_upkeep()
    row.refresh_from_db()
    posting.refresh_from_db()
    assert (row.status, row.added, row.callback_received_at) == (BulkImportStatus.COMPLETE, 1, None)
    assert posting.board_status == BoardStatus.LIVE
    assert list(row.calls.order_by("pk").values_list("method", "status_code")) == [("POST", 202), ("GET", 200)]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("board_sessions_closed")
def test_an_import_the_board_never_finishes_is_given_up_so_the_next_can_go(live_account, queued_tasks, settings):
    settings.BOARD_IMPORT_CALLBACK_GRACE_SECONDS = 0
    include()
    row = feed_sync_now(account=live_account, user=None)
    queued_tasks.run(SEND_TASK)
    BulkImport.objects.filter(pk=row.pk).update(sent_at=timezone.now() - datetime.timedelta(hours=13))
    board_upkeep()  # the sandbox has not processed it: still pending
    row.refresh_from_db()
    assert row.status == BulkImportStatus.FAILED
    assert "had not finished the import after 12 hours" in row.last_error


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("board_sessions_closed")
def test_sending_costs_the_same_queries_for_3_and_12_jobs(live_account, queued_tasks):
    counts = []
    for size in (3, 12):
        for _ in range(size):
            include()
        row = feed_sync_now(account=live_account, user=None)
        with CaptureQueriesContext(connection) as queries:
            bulk_import_send(import_id=row.pk)
        row.refresh_from_db()
        assert (row.status, row.job_count) == (BulkImportStatus.PENDING, sum((3, 12)[: len(counts) + 1]))
        counts.append(len(queries))
        BulkImport.objects.filter(pk=row.pk).update(status=BulkImportStatus.FAILED)
    assert counts[0] == counts[1]


# --- Triggers ------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_closing_or_changing_a_vacancy_in_the_feed_asks_for_a_sync(django_capture_on_commit_callbacks, queued_tasks):
    BoardAccountFactory(board=BOARD)
    posting = include()
    BulkImport.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        vacancy_update(vacancy=posting.vacancy, changes={"title": "Locum registrar"})
    assert BulkImport.objects.filter(status=BulkImportStatus.QUEUED, trigger=ImportTrigger.CHANGE).count() == 1
    BulkImport.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        vacancy_update(vacancy=PostableVacancyFactory(), changes={"title": "Not in any feed"})
    assert not BulkImport.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        vacancy_close(vacancy=posting.vacancy)
    assert BulkImport.objects.filter(status=BulkImportStatus.QUEUED).count() == 1


@pytest.mark.django_db
def test_the_nightly_sync_exists_after_migrate_and_syncs_every_bulk_feed(queued_tasks):
    scheduled = Schedule.objects.get(func=NIGHTLY_TASK)
    assert (scheduled.schedule_type, scheduled.repeats) == (Schedule.DAILY, -1)
    assert timezone.localtime(scheduled.next_run).strftime("%H:%M") == "02:30"
    BoardAccountFactory(board=BOARD)
    BoardAccountFactory(board="jobsphere")
    sync_feeds()
    (row,) = BulkImport.objects.all()
    assert (row.account.board, row.trigger) == (BOARD, ImportTrigger.SCHEDULE)


# --- The recruiter's page ----------------------------------------------------------------------------------------


@pytest.fixture
def client_in(client):
    client.force_login(SuperUserFactory())
    return client


def _page(vacancy):
    return reverse("boards:post-to-board", args=[vacancy.pk, BOARD])


@pytest.mark.django_db
def test_the_page_includes_the_job_in_the_feed_and_takes_it_out(client_in, queued_tasks):
    BoardAccountFactory(board=BOARD)
    vacancy = PostableVacancyFactory()
    page = client_in.get(_page(vacancy))
    assert "Include in the feed" in page.text
    assert "Sync now" in page.text
    assert "Post the Job" not in page.text
    assert "Apply URL" not in page.text
    assert "This job is not in the feed." in page.text
    values = {name: value for name, value in adapter.initial_values(vacancy).items() if name != "referenceNumber"}
    refused = client_in.post(_page(vacancy), {**values, "payAmountMin": "99999", "action": "post"})
    assert refused.status_code == 400
    assert PAY_RANGE_INVALID in refused.text
    assert not Posting.objects.filter(in_feed=True).exists()
    included = client_in.post(_page(vacancy), {**values, "action": "post"}, follow=True)
    assert "In the LocumJobsOnline feed: the next sync sends it." in included.text
    posting = Posting.objects.get(vacancy=vacancy)
    assert posting.in_feed
    assert posting.values["referenceNumber"] == vacancy.reference
    assert "Update the feed" in included.text
    assert "Remove from the feed" in included.text
    assert BulkImport.objects.filter(status=BulkImportStatus.QUEUED).count() == 1
    with pytest.raises(DomainError, match="in the LocumJobsOnline feed"):
        posting_save_draft(vacancy=vacancy, board=BOARD, values=values, user=UserFactory())
    removed = client_in.post(_page(vacancy), {"action": "remove"}, follow=True)
    assert "Removed from the LocumJobsOnline feed" in removed.text
    assert not Posting.objects.get(vacancy=vacancy).in_feed


@pytest.mark.django_db
def test_a_job_the_board_refused_shows_its_message_against_the_postcode(client_in, queued_tasks):
    account = BoardAccountFactory(board=BOARD)
    posting = include(postalCode="0")
    row = carried_import(account, [posting])
    error = ImportJobError(index=0, reference=posting.vacancy.reference, messages=(ZIP_MESSAGE,))
    bulk_import_complete(import_id=row.pk, state=complete(errors=[error]))
    page = client_in.get(_page(posting.vacancy))
    assert "LocumJobsOnline did not take the job" in page.text
    assert page.context["form"].errors["postalCode"] == [ZIP_MESSAGE]
    assert "0 added, 0 updated, 0 unchanged, 0 deleted, 1 failed" in page.text


@pytest.mark.django_db
def test_sync_now_and_the_polled_panel(client_in, queued_tasks):
    account = BoardAccountFactory(board=BOARD)
    vacancy = include().vacancy
    synced = client_in.post(_page(vacancy), {"action": "sync"}, follow=True)
    assert "The LocumJobsOnline feed is being synced" in synced.text
    panel_url = reverse("boards:bulk-imports-panel", args=[vacancy.pk, BOARD])
    moving = client_in.get(panel_url, headers={"HX-Request": "true"})
    assert 'hx-trigger="every 2s"' in moving.text
    assert "Waiting to send" in moving.text
    assert "HX-Refresh" not in moving
    BulkImport.objects.update(status=BulkImportStatus.COMPLETE, added=1, updated=0, unchanged=0, deleted=0, failed=0)
    settled = client_in.get(panel_url, headers={"HX-Request": "true"})
    assert settled["HX-Refresh"] == "true"
    account.needs_attention = True
    account.save()
    refused = client_in.post(_page(vacancy), {"action": "sync"}, follow=True)
    assert "needs attention" in refused.text
    assert BulkImport.objects.filter(status=BulkImportStatus.QUEUED).count() == 0


@pytest.mark.django_db
def test_including_needs_valid_values_and_a_usable_account(queued_tasks):
    account = BoardAccountFactory(board=BOARD)
    with pytest.raises(ValidationError) as refused:
        include(title="", payFrequency="Monthly")
    assert set(refused.value.message_dict) == {"title", "payFrequency"}
    posting = include()
    assert to_json_values(validate(SPEC, posting.values).values) == posting.values
    posting_feed_remove(posting=posting, user=UserFactory())
    with pytest.raises(DomainError, match="not in the LocumJobsOnline feed"):
        posting_feed_remove(posting=posting, user=UserFactory())
    account.needs_attention = True
    account.save()
    with pytest.raises(DomainError, match="needs attention"):
        include()


@pytest.mark.django_db
def test_the_admin_shows_an_import_but_never_its_token(client_in, queued_tasks):
    row = carried_import(BoardAccountFactory(board=BOARD), [include()])
    page = client_in.get(reverse("admin:boards_bulkimport_change", args=[row.pk]))
    assert page.status_code == 200
    assert row.token not in page.text
    assert row.board_import_id in page.text


@pytest.mark.django_db
def test_after_the_vacancy_closed_the_page_offers_the_feed_not_a_status_read(client_in, queued_tasks):
    account = BoardAccountFactory(board=BOARD)
    posting = include()
    bulk_import_complete(import_id=carried_import(account, [posting]).pk, state=complete(added=1))
    Vacancy.objects.filter(pk=posting.vacancy_id).update(status=VacancyStatus.CLOSED)
    page = client_in.get(_page(posting.vacancy))
    assert page.status_code == 200
    assert "the vacancy is no longer advertised" in page.text
    assert "Sync now" in page.text
    assert "Check status on" not in page.text
    posting.refresh_from_db()
    with pytest.raises(DomainError, match="does not report a job's status"):
        posting_request(posting=posting, operation=Operation.STATUS, user=None)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("board_sessions_closed")
def test_a_callback_that_could_not_be_applied_is_made_good_by_polling(live_account, queued_tasks, settings):
    settings.BOARD_IMPORT_CALLBACK_GRACE_SECONDS = 0
    SandboxBoardSettings.objects.create(board=BOARD, skip_callback=True)
    posting = include()
    row = feed_sync_now(account=live_account, user=None)
    queued_tasks.run(SEND_TASK)
    queued_tasks.run(SANDBOX_PROCESS)
    BulkImport.objects.filter(pk=row.pk).update(callback_received_at=timezone.now())  # its event failed, say
    board_upkeep()
    row.refresh_from_db()
    posting.refresh_from_db()
    assert (row.status, posting.board_status) == (BulkImportStatus.COMPLETE, BoardStatus.LIVE)


@pytest.mark.django_db
def test_the_upkeep_resumes_a_due_import_whose_task_was_lost_but_not_for_an_account_needing_attention(queued_tasks):
    account = BoardAccountFactory(board=BOARD)
    include()
    row = BulkImport.objects.get()
    BulkImport.objects.filter(pk=row.pk).update(due_at=timezone.now() - datetime.timedelta(minutes=2))
    board_upkeep()
    assert queued_tasks == [(SEND_TASK, (row.pk,))]
    queued_tasks.clear()
    account.needs_attention = True
    account.save()
    board_upkeep()
    assert queued_tasks == []
    assert bulk_import_send(import_id=row.pk) is None
    row.refresh_from_db()
    assert row.status == BulkImportStatus.QUEUED
