"""Whatever fails, the API answers RFC 9457 problem details (too many fields or parameters, a body over the limit, bad
JSON, unknown route, wrong method, a crash) and the web pages a clear 400 page; API answers are never cached."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from recruitment.models import Application, Candidate
from tests.factories import AdvertisedVacancyFactory, ApplicationFactory

PROBLEM = "application/problem+json"
TOO_MANY = "&".join(f"p{i}=1" for i in range(1001))
TOO_MANY_FIELDS = "&".join(f"f{i}=1" for i in range(1001))


@pytest.fixture
def anonymous():
    """A client that turns a crash into the 500 answer instead of raising it in the test."""
    return Client(raise_request_exception=False)


def assert_problem(response, status: int, detail_part: str = "") -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["type"] == "about:blank"
    assert detail_part in body["detail"]
    return body


@pytest.mark.parametrize("path", ["/api/v1/jobs/", "/api/v1/applications/", "/api/v1/exports/changes/"])
def test_too_many_query_parameters_is_a_problem_400(partner, path):
    response = partner.client.get(f"{path}?{TOO_MANY}")
    assert_problem(response, 400, "more than 1000 fields or query parameters")


def test_too_many_query_parameters_without_a_token_is_a_problem_400(db, anonymous):
    assert_problem(anonymous.get(f"/api/v1/jobs/?{TOO_MANY}"), 400, "more than 1000")


def test_too_many_form_fields_is_a_problem_400_and_creates_nothing(partner):
    job = AdvertisedVacancyFactory(division=partner.division)
    body = f"job={job.reference}&first_name=A&last_name=B&email=a%40example.com&{TOO_MANY_FIELDS}"
    response = partner.client.post("/api/v1/applications/", body, content_type="application/x-www-form-urlencoded")
    assert_problem(response, 400, "more than 1000")
    assert not Candidate.objects.exists()
    assert not Application.objects.exists()


def test_a_json_body_over_the_limit_is_a_problem_413(db, anonymous, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    body = json.dumps({"client_id": "x", "api_key": "k" * (2 * 1024 * 1024), "username": "u", "api_password": "p"})
    response = anonymous.post("/api/v1/auth/token", body, content_type="application/json")
    assert_problem(response, 413, "larger than the 1 MB allowed")


def test_bad_json_is_a_problem_400(db, anonymous):
    response = anonymous.post("/api/v1/auth/token", "{not json", content_type="application/json")
    assert_problem(response, 400, "JSON parse error")


def test_an_unknown_route_is_a_problem_404(partner):
    assert_problem(partner.client.get("/api/v1/no-such-thing/"), 404)


def test_a_method_not_offered_is_a_problem_405(partner):
    body = assert_problem(partner.client.delete("/api/v1/jobs/"), 405)
    assert body["title"] == "Method not allowed"
    assert_problem(partner.client.put("/api/v1/auth/token", {}, format="json"), 405)


def test_a_crash_is_a_problem_500(partner, monkeypatch):
    def crash(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("recruitment.api.views.job_rows", crash)
    client = Client(raise_request_exception=False, headers={"Authorization": f"Bearer {partner.token}"})
    body = assert_problem(client.get("/api/v1/jobs/"), 500, "Something went wrong on our side")
    assert "boom" not in json.dumps(body)


def test_web_pages_answer_a_clear_400_page_for_too_many_parameters(db, anonymous):
    response = anonymous.get(f"{reverse('careers-list')}?{TOO_MANY}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "The request could not be accepted" in response.text
    assert "more than 1000 fields or query parameters" in response.text


def test_the_careers_form_with_too_many_fields_answers_the_400_page_and_creates_nothing(db, anonymous):
    job = AdvertisedVacancyFactory()
    response = anonymous.post(
        reverse("careers-apply", args=[job.reference]),
        f"first_name=A&{TOO_MANY_FIELDS}",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert "The request could not be accepted" in response.text
    assert not Candidate.objects.exists()


# --- Caching --------------------------------------------------------------------------------------------------------


def test_api_answers_with_personal_data_are_never_stored(partner):
    application = ApplicationFactory(vacancy=AdvertisedVacancyFactory(division=partner.division))
    for path in (
        "/api/v1/applications/",
        f"/api/v1/applications/{application.pk}/",
        "/api/v1/exports/changes/",
        "/api/v1/jobs/",
        "/api/v1/divisions/",
        "/api/v1/applications/999999/",  # errors too
    ):
        response = partner.client.get(path)
        assert "no-store" in response["Cache-Control"], path


def test_the_token_answer_and_auth_errors_are_never_stored(db, anonymous):
    response = anonymous.post("/api/v1/auth/token", {"client_id": "x"}, content_type="application/json")
    assert response.status_code == 400
    assert "no-store" in response["Cache-Control"]


def test_the_schema_and_docs_may_be_cached(db, anonymous):
    for path in ("/api/v1/schema/", "/api/v1/docs/"):
        response = anonymous.get(path)
        assert response.status_code == 200
        assert "no-store" not in response.get("Cache-Control", "")
