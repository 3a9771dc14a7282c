"""Upload and API hardening: disguised files, zip bombs, per-user idempotency, what a create answers, limits."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from recruitment.models import Application, ApplicationDocument, Candidate, VacancyStatus
from recruitment.services.partners import api_password_generate, api_token_issue
from recruitment.uploads import MACRO_MESSAGE, TYPE_MESSAGE
from tests import samples
from tests.api.conftest import PARTNER_PERMISSIONS, grant, make_partner
from tests.api.test_applications import URL, form
from tests.factories import (
    AdvertisedVacancyFactory,
    ApplicationDocumentFactory,
    ApplicationFactory,
    CandidateFactory,
    DataScopeFactory,
    DbsCheckFactory,
    UserFactory,
)

OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.fixture
def job(partner):
    return AdvertisedVacancyFactory(division=partner.division)


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def post_cv(partner, job, name: str, content: bytes):
    return partner.client.post(URL, form(job, cv=SimpleUploadedFile(name, content)), format="multipart")


def assert_refused(response, message: str) -> None:
    """A 400 naming the CV field with `message`, and nothing created: no candidate, application or document."""
    assert response.status_code == 400, response.content
    assert response.json()["errors"] == [{"field": "cv", "message": message}]
    assert not Candidate.objects.exists()
    assert not Application.objects.exists()
    assert not ApplicationDocument.objects.exists()


def test_an_ole_file_without_a_word_stream_is_refused(partner, job):
    installer = samples.ole_file({"Installer": b"MSI tables"})
    assert_refused(post_cv(partner, job, "cv.doc", installer), TYPE_MESSAGE)


def test_a_broken_ole_file_naming_a_word_stream_is_refused(partner, job):
    fake = OLE_HEADER + b"\x00" * 500 + "WordDocument".encode("utf-16-le") + b"\x00" * 100
    assert_refused(post_cv(partner, job, "cv.doc", fake), TYPE_MESSAGE)


def test_a_word_97_file_is_accepted(partner, job):
    assert post_cv(partner, job, "cv.doc", samples.word_97_document()).status_code == 201
    assert ApplicationDocument.objects.get().content_type == "application/msword"


def test_a_macro_enabled_word_file_is_refused(partner, job):
    docm = zipped(
        {
            "[Content_Types].xml": b'<Types><Override ContentType="application/vnd.ms-word.document.'
            b'macroEnabled.main+xml"/></Types>',
            "word/document.xml": b"<w:document/>",
            "word/vbaProject.bin": b"macro",
        }
    )
    assert_refused(post_cv(partner, job, "cv.docx", docm), MACRO_MESSAGE)


def test_a_zip_bomb_odt_is_refused_without_unpacking_it(partner, job):
    bomb = zipped({"mimetype": b"\x00" * (50 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    assert_refused(post_cv(partner, job, "cv.odt", bomb), TYPE_MESSAGE)


def test_text_is_stored_and_served_as_text_whatever_its_name(partner, job):
    response = post_cv(partner, job, "cv.exe", b"Staff nurse, 5 years on acute wards.\nNMC registered.\n")
    assert response.status_code == 201
    document = ApplicationDocument.objects.get()
    assert document.content_type == "text/plain"
    assert document.original_name == "cv.txt"
    assert document.file.name.endswith(".txt")
    download = partner.client.get(response.json()["documents"][0]["url"])
    assert download["Content-Type"] == "text/plain; charset=utf-8"
    assert 'filename="cv.txt"' in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"


def test_an_idempotency_key_never_replays_another_users_answer(partner, job):
    """Two users of the same partner client: the second must not receive the first one's stored answer."""
    colleague = UserFactory()
    grant(colleague, *PARTNER_PERMISSIONS)
    DataScopeFactory(user=colleague, divisions=[job.division])
    _, token = api_token_issue(
        client_id=partner.partner_client.client_id,
        api_key=partner.api_key,
        username=colleague.username,
        api_password=api_password_generate(user=colleague),
    )
    first = partner.client.post(URL, form(job), format="multipart", HTTP_IDEMPOTENCY_KEY="shared-key")
    assert first.status_code == 201
    as_colleague = APIClient()
    as_colleague.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    again = as_colleague.post(URL, form(job), format="multipart", HTTP_IDEMPOTENCY_KEY="shared-key")
    assert again.status_code == 422
    assert again.json()["detail"] == "This Idempotency-Key was already used with a different request."
    assert "Idempotent-Replayed" not in again
    assert Application.objects.count() == 1


def test_a_create_never_echoes_a_matched_candidates_stored_details(partner, job):
    CandidateFactory(email="known@example.com", first_name="Stored", last_name="Person", phone="07700 900999")
    response = partner.client.post(URL, form(job, email="KNOWN@example.com"), format="multipart")
    assert response.status_code == 201
    body = response.content.decode()
    assert "Stored" not in body
    assert "07700 900999" not in body
    assert set(response.json()) == {
        "id",
        "stage",
        "stage_label",
        "submitted_at",
        "source",
        "candidate_id",
        "job",
        "documents",
    }


def test_an_oversized_request_is_413_before_it_is_read(partner, job):
    response = partner.client.post(URL, form(job), format="multipart", CONTENT_LENGTH=str(50 * 1024 * 1024))
    assert response.status_code == 413
    assert response.json()["status"] == 413
    assert Application.objects.count() == 0
    assert Candidate.objects.count() == 0


def test_applicants_of_a_closed_job_can_still_be_listed(partner):
    application = ApplicationFactory(vacancy=AdvertisedVacancyFactory(division=partner.division))
    application.vacancy.status = VacancyStatus.CLOSED
    application.vacancy.save()
    response = partner.client.get(f"/api/v1/jobs/{application.vacancy.reference}/applications/")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [application.pk]


def test_advancing_a_dbs_check_needs_the_view_permission_too(db):
    partner = make_partner(permissions=("change_dbscheck",))
    check = DbsCheckFactory(application__vacancy__division=partner.division)
    response = partner.client.patch(f"/api/v1/dbs-checks/{check.pk}/", {"stage": "id_verified"}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "You do not have permission to perform this action."
    check.refresh_from_db()
    assert check.stage == "awaiting_candidate"
    assert not check.events.exists()


def test_documents_are_listed_only_for_users_who_may_open_them(db):
    partner = make_partner(permissions=("view_application",))
    application = ApplicationFactory(vacancy=AdvertisedVacancyFactory(division=partner.division))
    ApplicationDocumentFactory(application=application, kind="cv")
    body = partner.client.get(f"/api/v1/applications/{application.pk}/").json()
    assert body["documents"] == []
