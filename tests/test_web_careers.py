"""The public careers site: the job list and the apply page with source tracking."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from recruitment.models import Application, Candidate, EqualOpportunities, VacancyStatus
from tests.factories import PDF_BYTES, AdvertisedVacancyFactory, ApplicationFactory, CandidateFactory, VacancyFactory

pytestmark = pytest.mark.django_db


def _cv(name: str = "cv.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _data(**overrides):
    data = {
        "first_name": "Amara",
        "last_name": "Okafor",
        "email": "amara@example.com",
        "phone": "07700 900123",
        "postcode": "ls1 4ap",
        "cover_letter": "I care.",
        "privacy_notice": "on",
        "cv": _cv(),
    }
    data.update(overrides)
    return data


def test_list_shows_only_open_external_jobs(client):
    open_job = AdvertisedVacancyFactory(title_for_candidates="Open nurse")
    internal = AdvertisedVacancyFactory(status=VacancyStatus.ADVERTISED_INTERNAL, title_for_candidates="Internal only")
    past = AdvertisedVacancyFactory(
        closing_date=timezone.localdate() - datetime.timedelta(days=1), title_for_candidates="Past job"
    )
    draft = VacancyFactory(title_for_candidates="Draft job")
    text = client.get(reverse("careers-list")).text
    assert open_job.title_for_candidates in text
    for hidden in (internal, past, draft):
        assert hidden.title_for_candidates not in text


def test_apply_with_source_from_the_advert_link(client):
    vacancy = AdvertisedVacancyFactory()
    url = reverse("careers-apply", args=[vacancy.reference])
    page = client.get(url, {"source": "nhs-jobs"})
    assert page.status_code == 200
    assert 'name="source" value="nhs-jobs"' in page.text
    response = client.post(url, _data(source="nhs-jobs", sex="female"))
    assert response.status_code == 302
    assert response["Location"] == reverse("careers-applied", args=[vacancy.reference])
    application = Application.objects.get()
    assert application.source == "nhs-jobs"
    assert application.vacancy == vacancy
    assert application.cover_letter == "I care."
    assert application.documents.get().content_type == "application/pdf"
    assert application.candidate.postcode == "LS1 4AP"
    assert application.candidate.privacy_notice_accepted_at is not None
    answers = EqualOpportunities.objects.get(application=application)
    assert answers.sex == "female"
    assert answers.ethnicity == "prefer_not_to_say"
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    ("given", "recorded"),
    [("jobsphere", "jobsphere"), ("partner", "direct"), ("made-up", "direct"), ("", "direct")],
)
def test_source_values(client, given, recorded):
    vacancy = AdvertisedVacancyFactory()
    client.post(reverse("careers-apply", args=[vacancy.reference]), _data(source=given))
    assert Application.objects.get().source == recorded


def test_errors_in_place_and_typed_values_kept(client):
    vacancy = AdvertisedVacancyFactory()
    response = client.post(
        reverse("careers-apply", args=[vacancy.reference]),
        _data(first_name="", privacy_notice="", source="nhs-jobs", cv=_cv("cv.exe", b"MZ\x90\x00\x03binary")),
    )
    assert response.status_code == 200
    text = response.text
    assert "nhsuk-error-summary" in text
    assert "Enter your first name." in text
    assert "Confirm that you have read the privacy notice." in text
    assert "The selected file must be a PDF, DOC, DOCX, ODT, RTF or TXT document." in text
    assert 'value="amara@example.com"' in text
    assert 'name="source" value="nhs-jobs"' in text  # the source survives the round trip
    assert not Application.objects.exists()


def test_second_application_by_same_email_is_refused_clearly(client):
    vacancy = AdvertisedVacancyFactory()
    ApplicationFactory(vacancy=vacancy, candidate=CandidateFactory(email="amara@example.com", first_name="Secret"))
    response = client.post(reverse("careers-apply", args=[vacancy.reference]), _data(email="AMARA@example.com"))
    assert response.status_code == 200
    assert "You have already applied for this job with this email address." in response.text
    assert "Secret" not in response.text  # the other applicant's name is not revealed
    assert Application.objects.count() == 1


def test_invalid_postcode_from_the_service_is_shown_next_to_the_field(client):
    vacancy = AdvertisedVacancyFactory()
    response = client.post(reverse("careers-apply", args=[vacancy.reference]), _data(postcode="NOT A CODE"))
    assert response.status_code == 200
    assert 'id="id_postcode-error"' in response.text
    assert not Candidate.objects.exists()


def test_unadvertised_jobs_are_404_and_closed_jobs_say_so(client):
    draft = VacancyFactory()
    internal = AdvertisedVacancyFactory(status=VacancyStatus.ADVERTISED_INTERNAL)
    assert client.get(reverse("careers-apply", args=[draft.reference])).status_code == 404
    assert client.get(reverse("careers-apply", args=[internal.reference])).status_code == 404
    assert client.get(reverse("careers-apply", args=["VAC-0000-0000"])).status_code == 404
    past = AdvertisedVacancyFactory(closing_date=timezone.localdate() - datetime.timedelta(days=1))
    closed = AdvertisedVacancyFactory(status=VacancyStatus.CLOSED)
    for vacancy in (past, closed):
        url = reverse("careers-apply", args=[vacancy.reference])
        response = client.get(url)
        assert response.status_code == 410
        assert "This job is closed" in response.text
        assert client.post(url, _data()).status_code == 410
    assert not Application.objects.exists()


def test_careers_list_is_public_and_paginated(client, django_assert_max_num_queries):
    AdvertisedVacancyFactory.create_batch(21)
    with django_assert_max_num_queries(4):
        response = client.get(reverse("careers-list"))
    assert response.status_code == 200
    assert "Page 1 of 2" in response.text
