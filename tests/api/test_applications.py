"""Creating applications through the API: candidate matching, CV checks, idempotency and refusals."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from recruitment.models import Application, ApplicationDocument, Candidate, IdempotencyRecord
from tests import samples
from tests.api.conftest import make_partner
from tests.factories import AdvertisedVacancyFactory, CandidateFactory, VacancyFactory

URL = "/api/v1/applications/"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def pdf(name: str = "cv.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def form(vacancy, **overrides):
    data = {
        "job": vacancy.reference,
        "first_name": "Amara",
        "last_name": "Okafor",
        "email": "amara.okafor@example.com",
        "phone": "07700 900123",
        "postcode": "ls14ap",
        "privacy_notice_accepted": "true",
        "cv": pdf(),
    }
    data.update(overrides)
    return data


@pytest.fixture
def job(partner):
    return AdvertisedVacancyFactory(division=partner.division)


def test_create_application_with_cv(partner, job):
    response = partner.client.post(URL, form(job, cover_letter="I would love to join."), format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()
    application = Application.objects.get(pk=body["id"])
    assert application.source == "partner"
    assert application.partner_client == partner.partner_client
    assert application.candidate.postcode == "LS1 4AP"
    assert body["stage"] == "new"
    assert body["job"]["reference"] == job.reference
    [document] = body["documents"]
    assert document["kind"] == "cv"
    assert document["content_type"] == "application/pdf"
    download = partner.client.get(document["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF


def test_existing_candidate_is_matched_by_email_whatever_its_case(partner, job):
    existing = CandidateFactory(email="Amara.Okafor@Example.com")
    response = partner.client.post(URL, form(job, email="amara.okafor@EXAMPLE.com"), format="multipart")
    assert response.status_code == 201
    assert Candidate.objects.count() == 1
    assert Application.objects.get().candidate == existing


def test_second_application_to_the_same_job_is_a_409_conflict(partner, job):
    assert partner.client.post(URL, form(job), format="multipart").status_code == 201
    response = partner.client.post(URL, form(job), format="multipart")
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["title"] == "Conflict"
    assert "already applied for this job" in body["detail"]
    assert body["errors"] == [{"field": "job", "message": "This candidate has already applied for this job."}]
    assert Application.objects.count() == 1
    assert ApplicationDocument.objects.count() == 1


def test_same_idempotency_key_returns_the_first_answer_and_creates_nothing(partner, job):
    first = partner.client.post(URL, form(job), format="multipart", HTTP_IDEMPOTENCY_KEY="key-1")
    again = partner.client.post(URL, form(job), format="multipart", HTTP_IDEMPOTENCY_KEY="key-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Application.objects.count() == 1
    assert ApplicationDocument.objects.count() == 1
    assert IdempotencyRecord.objects.count() == 1


def test_same_idempotency_key_with_a_different_body_is_422(partner, job):
    partner.client.post(URL, form(job), format="multipart", HTTP_IDEMPOTENCY_KEY="key-2")
    response = partner.client.post(
        URL, form(job, first_name="Someone", email="else@example.com"), format="multipart", HTTP_IDEMPOTENCY_KEY="key-2"
    )
    assert response.status_code == 422
    assert "different request" in response.json()["detail"]
    assert Application.objects.count() == 1


def test_idempotency_keys_belong_to_one_client(partner, job):
    other = make_partner(division=partner.division, name="Careers site")
    partner.client.post(URL, form(job), format="multipart", HTTP_IDEMPOTENCY_KEY="shared")
    response = other.client.post(
        URL, form(job, email="someone.else@example.com"), format="multipart", HTTP_IDEMPOTENCY_KEY="shared"
    )
    assert response.status_code == 201
    assert Application.objects.count() == 2


def test_executable_renamed_pdf_is_refused(partner, job):
    exe = pdf("cv.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200)
    response = partner.client.post(URL, form(job, cv=exe), format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "cv", "message": "The selected file must be a PDF, DOC, DOCX, ODT, RTF or TXT document."}
    ]
    assert Application.objects.count() == 0
    assert Candidate.objects.count() == 0


def test_oversized_file_is_refused(partner, job):
    big = pdf("cv.pdf", PDF + b"0" * (5 * 1024 * 1024))
    response = partner.client.post(URL, form(job, cv=big), format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "cv", "message": "The selected file must be smaller than 5 MB."}]
    assert Application.objects.count() == 0
    assert Candidate.objects.count() == 0


def test_path_traversal_filename_is_neutralised(partner, job, settings):
    response = partner.client.post(URL, form(job, cv=pdf("../../../etc/passwd.pdf")), format="multipart")
    assert response.status_code == 201
    document = ApplicationDocument.objects.get()
    assert document.original_name == "passwd.pdf"
    assert ".." not in document.file.name
    assert document.file.name.startswith(f"applications/{document.application_id}/")


def test_plain_text_cv_is_accepted_and_binary_junk_is_not(partner, job):
    text = SimpleUploadedFile("cv.txt", b"Experienced nurse, NMC registered.", content_type="text/plain")
    assert partner.client.post(URL, form(job, cv=text), format="multipart").status_code == 201
    junk = SimpleUploadedFile("cv.txt", b"\x00\x01\x02\xff" * 10, content_type="text/plain")
    response = partner.client.post(URL, form(job, cv=junk, email="b@example.com"), format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "cv", "message": "The selected file must be a PDF, DOC, DOCX, ODT, RTF or TXT document."}
    ]
    assert not Candidate.objects.filter(email="b@example.com").exists()
    assert Application.objects.count() == ApplicationDocument.objects.count() == 1


def test_docx_is_recognised_by_content(partner, job):
    docx = SimpleUploadedFile("cv.bin", samples.docx())
    response = partner.client.post(URL, form(job, cv=docx), format="multipart")
    assert response.status_code == 201
    assert ApplicationDocument.objects.get().content_type.endswith("wordprocessingml.document")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"postcode": "NOT A CODE"}, "postcode"),
        ({"privacy_notice_accepted": "false"}, "privacy_notice_accepted"),
        ({"registration_body": "nmc"}, "registration_number"),
        ({"job": "VAC-1999-0001"}, "job"),
    ],
)
def test_bad_input_is_400_with_the_field_named_and_nothing_created(partner, job, overrides, field):
    response = partner.client.post(URL, form(job, **overrides), format="multipart")
    assert response.status_code == 400
    assert field in {error["field"] for error in response.json()["errors"]}
    assert Application.objects.count() == 0
    assert Candidate.objects.count() == 0


def test_missing_cv_is_400(partner, job):
    data = form(job)
    del data["cv"]
    response = partner.client.post(URL, data, format="multipart")
    assert response.status_code == 400
    assert {"field": "cv", "message": "No file was submitted."} in response.json()["errors"]
    assert not Candidate.objects.exists()
    assert not Application.objects.exists()


def test_job_not_advertised_cannot_be_applied_to(partner):
    draft = VacancyFactory(division=partner.division)
    response = partner.client.post(URL, form(draft), format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "job", "message": "There is no open job with this reference."}]
    assert not Candidate.objects.exists()
    assert not Application.objects.exists()


def test_creating_needs_the_add_permissions(db):
    reader = make_partner(permissions=("view_vacancy", "view_application"))
    job = AdvertisedVacancyFactory(division=reader.division)
    response = reader.client.post(URL, form(job), format="multipart")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "You do not have permission to perform this action."
    assert Application.objects.count() == 0
    assert Candidate.objects.count() == 0
