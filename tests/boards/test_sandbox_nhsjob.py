"""The fake NHSJob itself: the contract of BOARDS.md (tokens, reads with the API key, writes with a token, jobs
deduplicated on our reference, applications and their list for polling, signed webhooks with the event id in a
header), strict validation by the shared spec, and the switches on its page."""

import datetime
import json

import pytest
from django.utils import timezone

from boards.adapters.nhsjob.adapter import NhsJobAdapter
from boards.sandbox.models import SandboxApplication, SandboxBoardSettings, SandboxDelivery, SandboxJob, SandboxToken
from boards.sandbox.nhsjob import DEMO_SETTINGS, signed_headers
from boards.webhooks import verify_body_signature
from tests.boards.factories import BoardAccountFactory, PostableVacancyFactory
from tests.factories import SuperUserFactory

pytestmark = pytest.mark.django_db

ROOT = "/sandbox/nhsjob"
READ = {"X-API-Key": DEMO_SETTINGS["api_key"]}
CLIENT = {
    "grant_type": "client_credentials",
    "client_id": "sandbox-nhsjob-client",
    "client_secret": "sandbox-nhsjob-secret",
}


@pytest.fixture
def payload():
    adapter = NhsJobAdapter()
    return adapter.build_payload(adapter.initial_values(PostableVacancyFactory()))


@pytest.fixture
def write(client):
    """Headers of a write, with a fresh access token."""
    token = client.post(f"{ROOT}/oauth/token", CLIENT).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def post(client, path, body, headers):
    return client.post(f"{ROOT}{path}", body, content_type="application/json", headers=headers)


def apply(client, write, job_id, email="amara@example.com", **changes):
    body = {
        "job_id": job_id,
        "candidate": {"first_name": "Amara", "last_name": "Okafor", "email": email, "phone": "07700 900123"},
        "cover_letter": "Six years on a ward.",
        **changes,
    }
    return post(client, "/v1/applications", body, write)


class TestTokens:
    def test_the_client_credentials_grant_gives_a_bearer_token_for_the_set_lifetime(self, client):
        SandboxBoardSettings.objects.create(board="nhsjob", token_lifetime_seconds=90)
        response = client.post(f"{ROOT}/oauth/token", CLIENT)
        assert response.status_code == 200
        body = response.json()
        assert (body["token_type"], body["expires_in"]) == ("Bearer", 90)
        assert response["Cache-Control"] == "no-store"
        token = SandboxToken.objects.get()
        assert token.client_id == "sandbox-nhsjob-client"
        assert body["access_token"] not in token.token_hash
        assert 85 <= (token.expires_at - timezone.now()).total_seconds() <= 90

    @pytest.mark.parametrize(
        ("change", "status", "error"),
        [
            ({"client_secret": "wrong"}, 401, "invalid_client"),
            ({"client_id": "someone-else"}, 401, "invalid_client"),
            ({"grant_type": "password"}, 400, "unsupported_grant_type"),
        ],
    )
    def test_a_wrong_client_or_grant_is_refused(self, client, change, status, error):
        response = client.post(f"{ROOT}/oauth/token", {**CLIENT, **change})
        assert (response.status_code, response.json()["error"]) == (status, error)
        assert not SandboxToken.objects.exists()

    def test_writes_need_a_live_token_and_reads_the_api_key(self, client, payload, write):
        assert post(client, "/v1/jobs", payload, READ).status_code == 401
        assert post(client, "/v1/jobs", payload, {"Authorization": "Bearer made-up"}).status_code == 401
        created = post(client, "/v1/jobs", payload, write)
        assert created.status_code == 201
        job_id = created.json()["id"]
        assert client.get(f"{ROOT}/v1/jobs/{job_id}", headers=write).status_code == 401
        assert client.get(f"{ROOT}/v1/jobs/{job_id}", headers=READ).json()["status"] == "open"
        SandboxToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
        expired = post(client, f"/v1/jobs/{job_id}/close", {}, write)
        assert (expired.status_code, expired.json()["message"]) == (401, "Missing, invalid or expired access token.")
        assert SandboxJob.objects.get().status == "open"


class TestJobs:
    def test_a_job_is_made_once_per_external_reference_and_announced(self, client, payload, write):
        first = post(client, "/v1/jobs", payload, write)
        again = post(client, "/v1/jobs", payload, write)
        assert (first.status_code, again.status_code) == (201, 200)
        assert first.json() == again.json()
        job = SandboxJob.objects.get()
        assert first.json()["id"] == job.public_id == f"job_{job.pk}"
        assert first.json()["external_reference"] == payload["external_reference"]
        delivery = SandboxDelivery.objects.get()
        assert (delivery.event_type, json.loads(delivery.body)["data"]) == ("job.created", {"job_id": job.public_id})
        assert set(json.loads(delivery.body)) == {"type", "created_at", "data"}

    def test_it_validates_with_the_same_spec_and_lists_every_error(self, client, payload, write):
        payload |= {"salary_min": 40000, "salary_max": 30000, "contract_type": "secondment", "postcode": "nowhere"}
        response = post(client, "/v1/jobs", payload, write)
        assert response.status_code == 400
        body = response.json()
        assert body["message"] == "The job is not valid."
        fields = {error["field"] for error in body["errors"]}
        assert fields == {"salary_min", "salary_max", "contract_type", "postcode"}
        assert not SandboxJob.objects.exists()

    def test_update_and_close_then_no_more_updates(self, client, payload, write):
        job_id = post(client, "/v1/jobs", payload, write).json()["id"]
        updated = client.put(
            f"{ROOT}/v1/jobs/{job_id}", {**payload, "title": "Senior Staff Nurse"}, "application/json", headers=write
        )
        assert (updated.status_code, updated.json()["title"]) == (200, "Senior Staff Nurse")
        closed = post(client, f"/v1/jobs/{job_id}/close", {}, write)
        assert (closed.status_code, closed.json()["status"]) == (200, "closed")
        assert post(client, f"/v1/jobs/{job_id}/close", {}, write).status_code == 200
        refused = client.put(f"{ROOT}/v1/jobs/{job_id}", payload, "application/json", headers=write)
        assert refused.status_code == 400
        events = list(SandboxDelivery.objects.order_by("pk").values_list("event_type", flat=True))
        assert events == ["job.created", "job.updated", "job.closed"]

    def test_the_listing_filters_open_jobs_by_specialty_location_and_contract_type(self, client, payload, write):
        job_id = post(client, "/v1/jobs", payload, write).json()["id"]
        search = {
            "specialty": payload["specialty"].upper(),
            "location": payload["location"][:3],
            "contract_type": "permanent",
        }
        found = client.get(f"{ROOT}/v1/jobs", search, headers=READ).json()
        assert [job["id"] for job in found["data"]] == [job_id]
        assert found["meta"] == {"page": 1, "limit": 20, "total": 1}
        assert client.get(f"{ROOT}/v1/jobs", {**search, "contract_type": "locum"}, headers=READ).json()["data"] == []
        post(client, f"/v1/jobs/{job_id}/close", {}, write)
        assert client.get(f"{ROOT}/v1/jobs", search, headers=READ).json()["data"] == []


class TestApplications:
    @pytest.fixture
    def job_id(self, client, payload, write):
        return post(client, "/v1/jobs", payload, write).json()["id"]

    def test_a_candidate_applies_with_a_token_and_the_webhook_carries_only_ids(self, client, write, job_id):
        response = apply(client, write, job_id)
        assert response.status_code == 201
        body = response.json()
        application = SandboxApplication.objects.get()
        assert (body["id"], body["status"], body["job_id"]) == (application.public_id, "submitted", job_id)
        assert body["resume_url"].endswith("/sandbox/nhsjob/files/sample-cv.pdf")
        assert client.get(f"{ROOT}/v1/applications/{body['id']}", headers=READ).json() == body
        delivery = SandboxDelivery.objects.get(event_type="application.submitted")
        assert json.loads(delivery.body)["data"] == {"application_id": body["id"], "job_id": job_id}
        headers = signed_headers(delivery)
        assert headers["X-NHSJob-Event-Id"] == delivery.event_id
        verify_body_signature(
            secret=DEMO_SETTINGS["webhook_secret"], body=delivery.body.encode(), signature=headers["X-NHSJob-Signature"]
        )

    def test_applying_needs_a_token_an_open_job_and_the_candidates_name_and_email(self, client, write, job_id):
        assert apply(client, READ, job_id).status_code == 401
        assert apply(client, write, "job_0").status_code == 404
        missing = apply(client, write, job_id, candidate={"first_name": "Amara"})
        assert (missing.status_code, missing.json()["errors"][0]["field"]) == (400, "candidate.last_name")
        post(client, f"/v1/jobs/{job_id}/close", {}, write)
        assert apply(client, write, job_id).status_code == 400
        assert not SandboxApplication.objects.exists()

    def test_the_list_pages_the_applications_changed_since_a_time(self, client, write, job_id):
        for number in range(23):
            apply(client, write, job_id, email=f"candidate{number}@example.com")
        first = client.get(f"{ROOT}/v1/applications", headers=READ).json()
        second = client.get(f"{ROOT}/v1/applications", {"page": 2}, headers=READ).json()
        assert (len(first["data"]), len(second["data"]), first["meta"]) == (
            20,
            3,
            {"page": 1, "limit": 20, "total": 23},
        )
        assert len({row["id"] for row in first["data"] + second["data"]}) == 23
        later = SandboxApplication.objects.order_by("pk").last()
        SandboxApplication.objects.exclude(pk=later.pk).update(updated_at=timezone.now() - datetime.timedelta(hours=1))
        since = (timezone.now() - datetime.timedelta(minutes=5)).astimezone(datetime.UTC).isoformat()
        changed = client.get(f"{ROOT}/v1/applications", {"updated_since": since.replace("+00:00", "Z")}, headers=READ)
        assert [row["id"] for row in changed.json()["data"]] == [later.public_id]
        bad = client.get(f"{ROOT}/v1/applications", {"updated_since": "yesterday"}, headers=READ)
        assert (bad.status_code, bad.json()["errors"][0]["field"]) == (400, "updated_since")

    def test_the_page_changes_a_status_and_the_webhook_follows(self, client, write, job_id):
        application_id = apply(client, write, job_id).json()["id"]
        client.force_login(SuperUserFactory())
        client.post(f"{ROOT}/applications/{application_id}/status/", {"status": "withdrawn"})
        assert SandboxApplication.objects.get().status == "withdrawn"
        delivery = SandboxDelivery.objects.get(event_type="application.status_changed")
        assert json.loads(delivery.body)["data"] == {"application_id": application_id, "job_id": job_id}


def test_switching_webhooks_off_sends_none_and_the_page_sets_the_token_lifetime(client, payload):
    BoardAccountFactory(board="nhsjob")
    client.force_login(SuperUserFactory())
    client.post("/sandbox/nhsjob/switches/", {"token_lifetime_seconds": "2"})
    switches = SandboxBoardSettings.objects.get(board="nhsjob")
    assert (switches.webhooks_enabled, switches.token_lifetime_seconds) == (False, 2)
    assert client.post(f"{ROOT}/oauth/token", CLIENT).json()["expires_in"] == 2
    write = {"Authorization": f"Bearer {client.post(f'{ROOT}/oauth/token', CLIENT).json()['access_token']}"}
    assert post(client, "/v1/jobs", payload, write).status_code == 201
    assert not SandboxDelivery.objects.exists()
    page = client.get(f"{ROOT}/")
    assert page.status_code == 200
    assert "webhooks are switched off" in page.text
    assert payload["external_reference"] in page.text
