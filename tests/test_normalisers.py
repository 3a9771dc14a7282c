"""One normaliser per kind of value, the same on every path: postcodes (UK, BFPO, overseas territories) and DBS
certificate numbers (grouped digits, no-break spaces), through the services, the back-office, the admin and the API;
the database's check constraints hold for every newly accepted format."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from recruitment.models import Candidate, DbsCheck, DbsStage, Location
from recruitment.services.candidates import candidate_get_or_create
from recruitment.services.dbs import dbs_check_advance
from recruitment.validators import (
    OVERSEAS_TERRITORY_POSTCODES,
    POSTCODE_MESSAGE,
    normalise_certificate_number,
    normalise_postcode,
)
from tests.api.conftest import make_partner
from tests.factories import (
    PDF_BYTES,
    AdvertisedVacancyFactory,
    CandidateFactory,
    DbsCheckFactory,
    DbsVacancyFactory,
    LocationFactory,
    RegionFactory,
    SuperUserFactory,
)
from tests.test_web_support import date_parts, make_user, signed_in

pytestmark = pytest.mark.django_db

# --- Postcodes ------------------------------------------------------------------------------------------------------

POSTCODES = [
    ("sw1a1aa", "SW1A 1AA"),
    (" SW1A  1AA ", "SW1A 1AA"),
    ("SW1A\u00a01AA", "SW1A 1AA"),  # no-break space
    ("sw1a-1aa", "SW1A 1AA"),
    ("GIR 0AA", "GIR 0AA"),
    ("je2 3ab", "JE2 3AB"),  # Jersey
    ("GX11 1AA", "GX11 1AA"),  # Gibraltar
    ("BFPO 1", "BFPO 1"),
    ("bfpo123", "BFPO 123"),
    ("BFPO\u00a01234", "BFPO 1234"),
    *((code.replace(" ", "").lower(), code) for code in OVERSEAS_TERRITORY_POSTCODES),
]
NOT_POSTCODES = ["KY1-1234", "HM 12", "AI-2640", "VG1110", "BFPO", "BFPO 12345", "NOT A CODE", "ASCN 2ZZ", "12345"]


@pytest.mark.parametrize(("raw", "normalised"), POSTCODES)
def test_postcodes_are_normalised(raw, normalised):
    assert normalise_postcode(raw) == normalised


@pytest.mark.parametrize("raw", NOT_POSTCODES)
def test_other_codes_are_refused_with_a_clear_message(raw):
    with pytest.raises(ValidationError) as excinfo:
        normalise_postcode(raw)
    assert excinfo.value.messages == [POSTCODE_MESSAGE]


@pytest.mark.parametrize("postcode", ["BFPO 1234", "ASCN 1ZZ", "TKCA 1ZZ", "SW1A 1AA"])
def test_the_database_constraints_accept_the_new_formats(postcode):
    candidate = CandidateFactory(postcode=postcode)
    location = LocationFactory(postcode=postcode)
    candidate.refresh_from_db()
    location.refresh_from_db()
    assert (candidate.postcode, location.postcode) == (postcode, postcode)


@pytest.mark.parametrize("model", [Candidate, Location])
def test_the_database_constraints_still_refuse_what_is_not_a_postcode(model):
    row = CandidateFactory() if model is Candidate else LocationFactory(region=RegionFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=row.pk).update(postcode="KY1-1234")


def test_the_services_careers_site_admin_and_api_store_the_same_form(client):
    candidate, _ = candidate_get_or_create(email="a@example.com", first_name="A", last_name="B", postcode="bfpo 12")
    assert candidate.postcode == "BFPO 12"

    job = AdvertisedVacancyFactory()
    data = {
        "first_name": "Amara",
        "last_name": "Okafor",
        "email": "b@example.com",
        "postcode": "sthl\u00a01zz",
        "privacy_notice": "on",
        "cv": SimpleUploadedFile("cv.pdf", PDF_BYTES),
    }
    assert client.post(reverse("careers-apply", args=[job.reference]), data).status_code == 302
    assert Candidate.objects.get(email="b@example.com").postcode == "STHL 1ZZ"

    admin = signed_in(SuperUserFactory())
    response = admin.post(
        reverse("admin:recruitment_candidate_add"),
        {"first_name": "C", "last_name": "D", "email": "c@example.com", "postcode": "Bfpo 4"},
    )
    assert response.status_code == 302, response.text
    assert Candidate.objects.get(email="c@example.com").postcode == "BFPO 4"

    partner = make_partner()
    job = AdvertisedVacancyFactory(division=partner.division)
    response = partner.client.post(
        "/api/v1/applications/",
        {
            "job": job.reference,
            "first_name": "E",
            "last_name": "F",
            "email": "e@example.com",
            "postcode": "fiqq-1zz",
            "privacy_notice_accepted": "true",
            "cv": SimpleUploadedFile("cv.pdf", PDF_BYTES),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    assert Candidate.objects.get(email="e@example.com").postcode == "FIQQ 1ZZ"


def test_a_bad_postcode_is_refused_with_the_same_message_on_the_api_and_nothing_created():
    partner = make_partner()
    job = AdvertisedVacancyFactory(division=partner.division)
    response = partner.client.post(
        "/api/v1/applications/",
        {
            "job": job.reference,
            "first_name": "E",
            "last_name": "F",
            "email": "e@example.com",
            "postcode": "KY1-1234",
            "privacy_notice_accepted": "true",
            "cv": SimpleUploadedFile("cv.pdf", PDF_BYTES),
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "postcode", "message": POSTCODE_MESSAGE}]
    assert not Candidate.objects.exists()


# --- DBS certificate numbers ----------------------------------------------------------------------------------------

NUMBER = "001234567890"
GROUPED = [
    "001234567890",
    "0012 3456 7890",
    "0012\u00a03456\u00a07890",  # no-break spaces, as copied from a document
    "0012\u202f3456\u202f7890",  # narrow no-break spaces
    "001234-567890",
    "001234\u2013567890",  # an en dash
    " 001234567890 ",
]
NOT_NUMBERS = ["00123456789", "0012345678901", "00123456789O", "\u0660" * 12, "0012 3456 789"]


@pytest.mark.parametrize("raw", GROUPED)
def test_certificate_numbers_are_normalised(raw):
    assert normalise_certificate_number(raw) == NUMBER


@pytest.mark.parametrize("raw", NOT_NUMBERS)
def test_other_certificate_numbers_are_refused(raw):
    with pytest.raises(ValidationError) as excinfo:
        normalise_certificate_number(raw)
    assert excinfo.value.messages == ["Enter the certificate number: exactly 12 digits."]


def _with_dbs(division=None) -> DbsCheck:
    vacancy = DbsVacancyFactory(division=division) if division else DbsVacancyFactory()
    return DbsCheckFactory(application__vacancy=vacancy, stage=DbsStage.WITH_DBS)


def _issued() -> str:
    return (timezone.localdate() - datetime.timedelta(days=1)).isoformat()


@pytest.mark.parametrize("raw", GROUPED[1:4])
def test_every_path_accepts_grouped_digits_and_stores_twelve_digits(raw):
    check = _with_dbs()
    dbs_check_advance(
        check=check,
        to_stage=DbsStage.CERTIFICATE_ISSUED,
        actor=None,
        certificate_number=raw,
        certificate_issue_date=timezone.localdate(),
    )
    check.refresh_from_db()
    assert check.certificate_number == NUMBER

    check = _with_dbs()
    recruiter = make_user(divisions=[check.application.vacancy.division])
    response = signed_in(recruiter).post(
        reverse("dbs-detail", args=[check.pk]),
        {
            "to_stage": "certificate_issued",
            "certificate_number": raw,
            **date_parts("certificate_issue_date", timezone.localdate()),
        },
    )
    assert response.status_code == 302, response.text
    check.refresh_from_db()
    assert check.certificate_number == NUMBER

    check = _with_dbs()
    response = signed_in(SuperUserFactory()).post(
        reverse("admin:recruitment_dbscheck_change", args=[check.pk]),
        {"move_to": "certificate_issued", "new_certificate_number": raw, "new_certificate_issue_date": _issued()},
    )
    assert response.status_code == 302, response.text
    check.refresh_from_db()
    assert check.certificate_number == NUMBER

    partner = make_partner()
    check = _with_dbs(partner.division)
    response = partner.client.patch(
        f"/api/v1/dbs-checks/{check.pk}/",
        {"stage": "certificate_issued", "certificate_number": raw, "certificate_issue_date": _issued()},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["certificate_number"] == NUMBER


def test_the_api_refuses_a_short_number_naming_the_field_and_changes_nothing():
    partner = make_partner()
    check = _with_dbs(partner.division)
    response = partner.client.patch(
        f"/api/v1/dbs-checks/{check.pk}/",
        {"stage": "certificate_issued", "certificate_number": "0012 3456 789", "certificate_issue_date": _issued()},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "certificate_number", "message": "Enter the certificate number: exactly 12 digits."}
    ]
    check.refresh_from_db()
    assert (check.stage, check.certificate_number) == (DbsStage.WITH_DBS, "")
