"""The public careers site: the job list and the apply page with source tracking."""

import datetime
import re
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from recruitment.held_uploads import held_uploads_sweep
from recruitment.models import Application, Candidate, EqualOpportunities, VacancyStatus
from recruitment.privacy.tasks import retention_daily
from tests.factories import (
    PDF_BYTES,
    AdvertisedVacancyFactory,
    ApplicationFactory,
    CandidateFactory,
    OrganisationFactory,
    SalaryBandFactory,
    VacancyFactory,
)

pytestmark = pytest.mark.django_db


def _cv(name: str = "cv.pdf", content: bytes = PDF_BYTES, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


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


# --- The CV is kept when another field has an error ----------------------------------------------------------------


def _token(text: str) -> str:
    return re.search(r'name="cv_token"(?: value="([^"]*)")?', text).group(1) or ""


def _held_files(settings) -> list[str]:
    folder = Path(settings.STORAGES["private"]["OPTIONS"]["location"]) / "held"
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def test_the_cv_is_kept_after_an_error_and_sent_with_the_next_try(client, settings):
    vacancy = AdvertisedVacancyFactory()
    url = reverse("careers-apply", args=[vacancy.reference])
    first = client.post(url, _data(first_name="", cv=_cv("My CV.pdf")))
    assert "Enter your first name." in first.text
    held = first.text.split('id="held-cv"')[1].split("</div>")[0]
    assert "Your CV is attached: <strong>My CV.pdf</strong>" in held
    assert "Choose a different CV (optional)" in first.text  # a way to replace it
    assert 'id="id_cv-error"' not in first.text
    token = _token(first.text)
    assert len(_held_files(settings)) == 1
    assert not Application.objects.exists()

    data = _data(cv_token=token)
    del data["cv"]
    second = client.post(url, data)
    assert second.status_code == 302
    document = Application.objects.get().documents.get()
    assert (document.kind, document.original_name) == ("cv", "My CV.pdf")
    assert document.file.read() == PDF_BYTES
    assert _held_files(settings) == []  # removed once the application is made


def test_a_cv_held_across_several_errors_stays_attached(client):
    vacancy = AdvertisedVacancyFactory()
    url = reverse("careers-apply", args=[vacancy.reference])
    token = _token(client.post(url, _data(first_name="")).text)
    data = _data(cv_token=token, last_name="")
    del data["cv"]
    again = client.post(url, data)
    assert "Enter your last name." in again.text
    assert "Your CV is attached" in again.text
    assert _token(again.text) == token


def test_a_new_file_replaces_the_held_one(client):
    vacancy = AdvertisedVacancyFactory()
    url = reverse("careers-apply", args=[vacancy.reference])
    token = _token(client.post(url, _data(first_name="", cv=_cv("old.pdf"))).text)
    response = client.post(url, _data(cv_token=token, cv=_cv("new.txt", b"Ten years on the wards.", "text/plain")))
    assert response.status_code == 302
    assert Application.objects.get().documents.get().original_name == "new.txt"


def test_a_refused_file_is_not_held_and_the_upload_checks_still_apply(client, settings):
    vacancy = AdvertisedVacancyFactory()
    url = reverse("careers-apply", args=[vacancy.reference])
    response = client.post(url, _data(first_name="", cv=_cv("cv.pdf", b"MZ\x90\x00\x03binary")))
    assert "The selected file must be a PDF, DOC, DOCX, ODT, RTF or TXT document." in response.text
    assert 'id="held-cv"' not in response.text
    assert _token(response.text) == ""
    assert _held_files(settings) == []


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "Your CV could not be found."),
        (lambda token: "made-up", "Your CV could not be found."),
    ],
)
def test_an_unknown_or_tampered_token_asks_for_the_cv_again(client, tamper, message):
    vacancy = AdvertisedVacancyFactory()
    url = reverse("careers-apply", args=[vacancy.reference])
    token = _token(client.post(url, _data(first_name="")).text)
    data = _data(cv_token=tamper(token))
    del data["cv"]
    response = client.post(url, data)
    assert response.status_code == 200
    assert f"{message} Select your CV again." in response.text
    assert 'id="held-cv"' not in response.text
    assert not Application.objects.exists()


def test_a_held_cv_expires_and_is_swept(client, settings):
    vacancy = AdvertisedVacancyFactory()
    url = reverse("careers-apply", args=[vacancy.reference])
    token = _token(client.post(url, _data(first_name="")).text)
    assert len(_held_files(settings)) == 1
    assert held_uploads_sweep() == 0  # still within its time
    data = _data(cv_token=token)
    del data["cv"]
    later = timezone.now() + datetime.timedelta(minutes=settings.HELD_UPLOAD_MINUTES + 1)
    with time_machine.travel(later, tick=False):
        response = client.post(url, data)  # every submission sweeps what is past its time
    assert "Your CV was kept for an hour and has been removed. Select your CV again." in response.text
    assert not Application.objects.exists()
    assert _held_files(settings) == []


def test_the_daily_retention_task_sweeps_held_cvs_too(client, settings):
    vacancy = AdvertisedVacancyFactory()
    client.post(reverse("careers-apply", args=[vacancy.reference]), _data(first_name=""))
    later = timezone.now() + datetime.timedelta(minutes=settings.HELD_UPLOAD_MINUTES + 1)
    with time_machine.travel(later, tick=False):
        retention_daily()
    assert _held_files(settings) == []


# --- Registration, autocomplete, the privacy notice, the job summary, the employer's name ---------------------------


def test_the_professional_registration_is_recorded(client):
    vacancy = AdvertisedVacancyFactory()
    url = reverse("careers-apply", args=[vacancy.reference])
    response = client.post(url, _data(registration_body="nmc", registration_number="12a 3456e"))
    assert response.status_code == 302
    candidate = Candidate.objects.get()
    assert (candidate.registration_body, candidate.registration_number) == ("nmc", "12A3456E")


@pytest.mark.parametrize(
    ("body", "number", "field", "message"),
    [
        ("nmc", "", "registration_number", "Enter your registration number, or choose &#x27;Not registered&#x27;."),
        ("", "12A3456E", "registration_body", "Select the regulator you are registered with."),
        ("gmc", "12345", "registration_number", "a GMC number is 7 numbers, like 7012345"),
    ],
)
def test_registration_errors_sit_on_the_field_to_fix(client, body, number, field, message):
    vacancy = AdvertisedVacancyFactory()
    data = _data(registration_body=body, registration_number=number)
    response = client.post(reverse("careers-apply", args=[vacancy.reference]), data)
    assert f'id="id_{field}-error"' in response.text
    assert message in response.text
    assert not Candidate.objects.exists()


def test_a_returning_candidate_gives_a_registration_they_had_not_given(client):
    candidate = CandidateFactory(email="amara@example.com", phone="")
    vacancy = AdvertisedVacancyFactory()
    client.post(
        reverse("careers-apply", args=[vacancy.reference]),
        _data(registration_body="gmc", registration_number="7012345"),
    )
    candidate.refresh_from_db()
    assert (candidate.registration_body, candidate.registration_number) == ("gmc", "7012345")
    assert candidate.phone == "07700 900123"  # a blank filled in
    assert candidate.first_name != "Amara" or candidate.last_name != "Okafor"  # the name they gave first stays


def test_name_email_phone_and_postcode_have_autocomplete(client):
    vacancy = AdvertisedVacancyFactory()
    text = client.get(reverse("careers-apply", args=[vacancy.reference])).text
    for name, token in (
        ("first_name", "given-name"),
        ("last_name", "family-name"),
        ("email", "email"),
        ("phone", "tel"),
        ("postcode", "postal-code"),
    ):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', text).group(0)
        assert f'autocomplete="{token}"' in tag, name
    assert 'type="tel"' in re.search(r'<input[^>]*name="phone"[^>]*>', text).group(0)


def test_a_pasted_postcode_with_spaces_is_normalised_before_it_is_checked(client):
    vacancy = AdvertisedVacancyFactory()
    response = client.post(reverse("careers-apply", args=[vacancy.reference]), _data(postcode=" SW1A  1AA "))
    assert response.status_code == 302
    assert Candidate.objects.get().postcode == "SW1A 1AA"


def test_the_privacy_notice_is_published_and_linked(client):
    OrganisationFactory(name="Riverside NHS Trust", privacy_notice="We keep your details safe.\n\nWrite to us.")
    vacancy = AdvertisedVacancyFactory()
    apply_page = client.get(reverse("careers-apply", args=[vacancy.reference])).text
    assert f'href="{reverse("careers-privacy")}"' in apply_page
    notice = client.get(reverse("careers-privacy"))
    assert notice.status_code == 200
    assert "<p>We keep your details safe.</p>" in notice.text
    assert "<p>Write to us.</p>" in notice.text


def test_without_a_published_notice_the_page_says_whom_to_ask(client):
    OrganisationFactory(name="Riverside NHS Trust", privacy_notice="", careers_email="careers@example.nhs.uk")
    text = client.get(reverse("careers-privacy")).text
    assert "has not published its privacy notice for candidates here yet" in text
    assert "mailto:careers@example.nhs.uk" in text


def test_the_job_summary_and_the_employers_name(client):
    OrganisationFactory(name="Riverside NHS Trust")
    vacancy = AdvertisedVacancyFactory(
        working_patterns=["part_time"],
        hours_per_week="22.5",
        contract_duration_length=6,
        contract_duration_unit="months",
        salary_band=SalaryBandFactory(name="Band 5"),
        salary_min="29970",
        salary_max="36483",
    )
    text = client.get(reverse("careers-apply", args=[vacancy.reference])).text
    summary = text.split('id="job-summary"')[1].split("</dl>")[0]
    assert "Part time" in summary
    assert "22.5 hours a week" in summary
    assert "Band 5" in summary
    assert f"{vacancy.employment_type.name}, 6 months" in summary
    assert "£29,970 to £36,483 per annum" in summary
    assert '<span class="nhsuk-header__service-name" id="employer-name">Careers at Riverside NHS Trust</span>' in text
    listing = client.get(reverse("careers-list")).text
    assert "Careers at Riverside NHS Trust" in listing
    assert "£29,970 to £36,483 per annum" in listing
