"""The fake NHS Jobs itself: the contract of BOARDS.md, strict validation by the shared spec, faults on demand."""

import importlib

import pytest
from django.urls import clear_url_caches

from boards.adapters.nhs_jobs.adapter import NhsJobsAdapter
from boards.sandbox.models import SandboxFault, SandboxJob
from boards.sandbox.nhs_jobs import DEMO_SETTINGS
from tests.boards.factories import PostableVacancyFactory

pytestmark = pytest.mark.django_db

AUTH = {
    "Authorization": f"Bearer {DEMO_SETTINGS['api_key']}",
    "X-Org-Id": DEMO_SETTINGS["org_id"],
    "X-Account-Id": DEMO_SETTINGS["account_id"],
}
URL = "/sandbox/nhs-jobs/vacancies"


@pytest.fixture
def payload():
    adapter = NhsJobsAdapter()
    return adapter.build_payload(adapter.initial_values(PostableVacancyFactory()))


def create(client, body, **headers):
    return client.post(URL, body, content_type="application/json", headers={**AUTH, **headers})


def test_a_valid_payload_makes_a_draft(client, payload):
    response = create(client, payload)
    assert response.status_code == 201
    job = SandboxJob.objects.get()
    assert response.json() == {"id": str(job.pk), "status": "draft", "reference": payload["reference"]}
    got = client.get(f"{URL}/{job.pk}", headers=AUTH).json()
    assert (got["status"], got["vacancy"]["title"]) == ("draft", payload["title"])


def test_the_same_idempotency_key_returns_the_same_draft(client, payload):
    first = create(client, payload, **{"Idempotency-Key": "k-1"}).json()
    second = create(client, payload, **{"Idempotency-Key": "k-1"}).json()
    assert first == second
    assert SandboxJob.objects.count() == 1


def test_it_validates_with_the_same_spec_and_names_board_fields(client, payload):
    payload["salary"] = {"type": "range", "min": 40000, "max": 30000, "period": "annum"}
    payload["job_overview"] = "Too short"
    response = create(client, payload)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {"field": "salary", "message": "The salary you have entered is not valid."} in errors
    assert {
        "field": "job_overview",
        "message": "Please Enter Job Overview. Character minLength: 100, maxLength: 1500.",
    } in errors
    assert SandboxJob.objects.count() == 0


def test_wrong_key_is_401_and_wrong_org_403(client, payload):
    wrong_key = create(client, payload, Authorization="Bearer nope")
    assert (wrong_key.status_code, wrong_key.json()) == (401, {"errors": [{"field": "", "message": "Unauthorized"}]})
    wrong_org = create(client, payload, **{"X-Org-Id": "OTHER"})
    assert wrong_org.status_code == 403
    assert wrong_org.json() == {"errors": [{"field": "", "message": "Forbidden: unknown Org ID or Account ID"}]}
    assert not SandboxJob.objects.exists()


def test_update_only_a_draft_and_close(client, payload):
    job_id = create(client, payload).json()["id"]
    payload["title"] = "Changed"
    put = client.put(f"{URL}/{job_id}", payload, content_type="application/json", headers=AUTH)
    assert (put.status_code, SandboxJob.objects.get().payload["title"]) == (200, "Changed")
    assert client.post(f"{URL}/{job_id}/close", headers=AUTH).json()["status"] == "closed"
    payload["title"] = "Changed again"
    again = client.put(f"{URL}/{job_id}", payload, content_type="application/json", headers=AUTH)
    assert again.status_code == 409
    assert again.json() == {
        "errors": [{"field": "", "message": "Only a draft can be updated; this vacancy is closed."}]
    }
    assert SandboxJob.objects.get().payload["title"] == "Changed"


def test_faults_are_set_over_http_and_used_up(client, payload):
    response = client.post(
        "/sandbox/nhs-jobs/faults/", {"kind": "429", "count": 2, "retry_after": 3}, content_type="application/json"
    )
    assert response.status_code == 201
    first = create(client, payload)
    assert (first.status_code, first["Retry-After"]) == (429, "3")
    assert create(client, payload).status_code == 429
    assert not SandboxJob.objects.exists()  # a refused call made nothing
    assert create(client, payload).status_code == 201
    assert not SandboxFault.objects.exists()
    unknown = client.post("/sandbox/nhs-jobs/faults/", {"kind": "boom"}, content_type="application/json")
    assert unknown.status_code == 400
    assert unknown.json()["error"].startswith("kind must be one of")
    assert not SandboxFault.objects.exists()


def test_the_sandbox_page_publishes_a_draft(client, payload):
    job_id = create(client, payload).json()["id"]
    page = client.get("/sandbox/nhs-jobs/")
    assert payload["reference"] in page.text
    client.post(f"/sandbox/nhs-jobs/drafts/{job_id}/publish/")
    assert SandboxJob.objects.get().status == "published"


def test_the_sandbox_is_not_mounted_when_switched_off(settings):
    settings.BOARDS_SANDBOX = False
    try:
        clear_url_caches()
        urls = importlib.reload(importlib.import_module("recruitment.urls"))
        assert not any(str(pattern.pattern) == "sandbox/" for pattern in urls.urlpatterns)
    finally:
        settings.BOARDS_SANDBOX = True
        urls = importlib.reload(importlib.import_module("recruitment.urls"))
        clear_url_caches()
    assert any(str(pattern.pattern) == "sandbox/" for pattern in urls.urlpatterns)
