"""JobSphere both ways, end to end: a real qcluster worker, the sandbox served by the live server, real HTTP.

A candidate applies on the fake JobSphere; it sends the signed webhook from a task; our receiver stores it; the
worker fetches the CV and applies through the shared service. Then what must never happen: a webhook delivered 20
times at once making two applications, a changed or stale body being stored, a CV fetched from another host.
"""

import threading
import time

import pytest
import requests

from boards.models import InboundEvent, InboundStatus, PublishAttempt
from boards.sandbox.models import SandboxBoardSettings, SandboxDelivery, SandboxFault
from boards.webhooks import sign_timestamped
from recruitment.models import Application
from tests.e2e.conftest import SECRET, received_body, wait_until

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("board_sessions_closed"),
]

API_KEY = {"Authorization": "Bearer sandbox-jobsphere-key"}


def webhook(live_server, body: bytes, *, age: int = 0) -> requests.Response:
    header = sign_timestamped(secret=SECRET, body=body, timestamp=int(time.time()) - age)
    return requests.post(
        f"{live_server.url}/boards/jobsphere/webhook/",
        data=body,
        headers={"Content-Type": "application/json", "X-JobSphere-Signature": header},
        timeout=10,
    )


def test_a_candidate_applies_on_jobsphere_and_the_application_arrives_with_its_cv(live_job, live_server):
    applied = requests.post(
        f"{live_server.url}/sandbox/jobsphere/v2/jobs/{live_job.board_id}/applications",
        json={
            "applicant": {
                "first_name": "Amara",
                "last_name": "Okafor",
                "email": "amara@example.com",
                "phone": "07700 900123",
            },
            "cover_letter": "Six years on an acute medical ward.",
        },
        headers=API_KEY,
        timeout=10,
    )
    assert applied.status_code == 201
    application = wait_until(lambda: Application.objects.filter(source="jobsphere").first())
    assert (application.vacancy_id, application.source_reference) == (
        live_job.vacancy_id,
        applied.json()["application_id"],
    )
    assert application.cover_letter == "Six years on an acute medical ward."
    assert application.candidate.phone == "07700 900123"
    assert application.documents.get().content_type == "application/pdf"
    event = InboundEvent.objects.get(kind="application.received")
    assert (event.status, event.application_id) == (InboundStatus.PROCESSED, application.pk)
    assert SandboxDelivery.objects.get(event_type="application.received").status_code == 200


def test_the_same_webhook_delivered_20_times_at_once_makes_one_application(live_job, live_server):
    body = received_body(live_job, live_server, event_id="evt_twenty", application_id="app_twenty")
    answers = []
    threads = [
        threading.Thread(target=lambda: answers.append(webhook(live_server, body).status_code)) for _ in range(20)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [200] * 20
    wait_until(lambda: InboundEvent.objects.filter(event_id="evt_twenty", status=InboundStatus.PROCESSED).exists())
    assert InboundEvent.objects.filter(event_id="evt_twenty").count() == 1
    time.sleep(2)  # any duplicate task would have run by now
    assert Application.objects.filter(source_reference="app_twenty").count() == 1


def test_a_changed_byte_or_a_stale_signature_is_refused_and_nothing_stored(live_job, live_server):
    body = received_body(live_job, live_server, event_id="evt_bad", application_id="app_bad")
    header = sign_timestamped(secret=SECRET, body=body, timestamp=int(time.time()))
    changed = body.replace(b"Priya", b"Priyb")
    refused = requests.post(
        f"{live_server.url}/boards/jobsphere/webhook/",
        data=changed,
        headers={"Content-Type": "application/json", "X-JobSphere-Signature": header},
        timeout=10,
    )
    assert refused.status_code == 401
    assert webhook(live_server, body, age=301).status_code == 401
    assert not InboundEvent.objects.filter(kind="application.received").exists()
    # Inside the 300 s tolerance (10 s to spare for a slow machine between signing and checking).
    assert webhook(live_server, body, age=290).status_code == 200
    assert wait_until(lambda: Application.objects.filter(source_reference="app_bad").exists())


def test_a_cv_on_another_host_is_not_fetched_and_the_event_fails_with_the_reason(live_job, live_server):
    body = received_body(
        live_job, live_server, event_id="evt_far", application_id="app_far", resume_url="http://127.0.0.2:9/cv.pdf"
    )
    assert webhook(live_server, body).status_code == 200
    event = wait_until(lambda: InboundEvent.objects.filter(event_id="evt_far", status=InboundStatus.FAILED).first())
    assert "127.0.0.2" in event.last_error
    assert not PublishAttempt.objects.filter(operation="fetch_document").exists()
    assert not Application.objects.filter(source_reference="app_far").exists()


def test_processing_that_fails_once_is_completed_by_the_retry(live_job, live_server):
    SandboxBoardSettings.objects.update_or_create(board="jobsphere", defaults={"webhooks_enabled": False})
    SandboxFault.objects.create(board="jobsphere", kind="503", remaining=1)  # the CV download fails once
    body = received_body(live_job, live_server, event_id="evt_retry", application_id="app_retry")
    assert webhook(live_server, body).status_code == 200
    event = wait_until(
        lambda: InboundEvent.objects.filter(event_id="evt_retry", status=InboundStatus.PROCESSED).first()
    )
    assert event.attempts == 2
    outcomes = list(event.calls.order_by("pk").values_list("status_code", "outcome"))
    assert outcomes == [(503, "temporary"), (200, "success")]
    assert Application.objects.filter(source_reference="app_retry").count() == 1
