"""Unicode corpus: one candidate per email address however it is written, domains mixing alphabets refused, real
names in every script accepted, control characters and bidirectional controls refused on every path people type on
(careers site, back-office, admin, partner API, services)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from recruitment.models import Application, Candidate, VacancyStatus
from recruitment.selectors.backoffice import application_search
from recruitment.services.applications import application_apply, application_move
from recruitment.services.candidates import candidate_get_or_create, candidate_update
from recruitment.services.vacancies import vacancy_update
from recruitment.validators import normalise_email, validate_plain_text
from tests.api.conftest import make_partner
from tests.factories import (
    PDF_BYTES,
    AdvertisedVacancyFactory,
    ApplicationFactory,
    CandidateFactory,
    DbsCheckFactory,
    DbsVacancyFactory,
    SuperUserFactory,
)
from tests.test_web_support import make_user, signed_in

pytestmark = pytest.mark.django_db

# --- Emails ---------------------------------------------------------------------------------------------------------

# The same address typed four ways: a composed ë, capitals, the IDNA A-label, a decomposed e + combining diaeresis.
SAME_ADDRESS = (
    "zoe@zoë.example",
    "zoe@ZOË.EXAMPLE",
    "zoe@xn--zo-ija.example",
    "zoe@zoe\u0308.example",
    "ZOE@Zoë.Example",
)

# Addresses that are fine, with the key they are known by.
VALID_EMAILS = [
    ("amara.okafor@example.com", "amara.okafor@example.com"),
    ("Amara.Okafor@EXAMPLE.com", "amara.okafor@example.com"),
    ("  amara@example.com ", "amara@example.com"),
    ("jose@correo.españa.example", "jose@correo.xn--espaa-rta.example"),
    ("ivan@пример.рф", "ivan@xn--e1afmkfd.xn--p1ai"),
    ("nikos@παράδειγμα.ελ", "nikos@xn--hxajbheg2az3al.xn--qxam"),
    ("taro@例え.テスト", "taro@xn--r8jz45g.xn--zckzah"),
    ("kim@실례.테스트", "kim@xn--9n2bp8q.xn--9t4b11yi5a"),
    ("o.brien+jobs@nhs.example.uk", "o.brien+jobs@nhs.example.uk"),
]

# A Cyrillic "a" (U+0430) among Latin letters, a Greek omicron in "google", Latin "e" and "p" in a Cyrillic word.
MIXED_SCRIPT_EMAILS = ("zoe@ex\u0430mple.com", "zoe@g\u03bfogle.com", "ivan@\u043f\u0440\u0438\u043cep.\u0440\u0444")
INVALID_EMAILS = ("not-an-email", "zoe@", "@example.com", "zoe@exa mple.com", "zoe@-example-.com")


@pytest.mark.parametrize("email", SAME_ADDRESS)
def test_one_key_for_every_way_of_writing_an_address(email):
    assert normalise_email(email) == "zoe@xn--zo-ija.example"


@pytest.mark.parametrize(("email", "key"), VALID_EMAILS)
def test_valid_addresses_and_their_keys(email, key):
    assert normalise_email(email) == key


@pytest.mark.parametrize("email", MIXED_SCRIPT_EMAILS)
def test_a_domain_mixing_alphabets_is_refused_with_a_clear_message(email):
    with pytest.raises(ValidationError) as excinfo:
        normalise_email(email)
    assert excinfo.value.code == "mixed_script_domain"
    assert "mixes alphabets" in excinfo.value.messages[0]


@pytest.mark.parametrize("email", INVALID_EMAILS)
def test_invalid_addresses_are_refused(email):
    with pytest.raises(ValidationError):
        normalise_email(email)


def test_the_service_makes_one_candidate_of_every_spelling():
    first, created = candidate_get_or_create(email=SAME_ADDRESS[0], first_name="Zoë", last_name="Brown")
    assert created
    for email in SAME_ADDRESS[1:]:
        found, created = candidate_get_or_create(email=email, first_name="Zoe", last_name="Brown")
        assert (found.pk, created) == (first.pk, False)
    assert Candidate.objects.count() == 1
    assert Candidate.objects.get().email == "zoe@zoë.example"  # kept as first given


def test_the_database_refuses_a_second_spelling_on_its_own():
    """The unique constraint is on the normalised form, so it holds even for code that skips the service."""
    CandidateFactory(email="zoe@zoë.example")
    with pytest.raises(IntegrityError), transaction.atomic():
        CandidateFactory(email="zoe@xn--zo-ija.example")
    assert Candidate.objects.count() == 1


def test_changing_an_email_to_another_spelling_of_a_taken_one_is_refused():
    CandidateFactory(email="zoe@zoë.example")
    other = CandidateFactory(email="someone@example.com")
    with pytest.raises(ValidationError) as excinfo:
        candidate_update(candidate=other, email="ZOE@XN--ZO-IJA.EXAMPLE")
    assert excinfo.value.message_dict["email"] == ["Another candidate already uses this email address."]
    other.refresh_from_db()
    assert other.email == "someone@example.com"


def test_a_mixed_script_domain_is_refused_by_the_service_and_nothing_is_created():
    vacancy = AdvertisedVacancyFactory()
    with pytest.raises(ValidationError) as excinfo:
        application_apply(vacancy=vacancy, email=MIXED_SCRIPT_EMAILS[0], first_name="Zoe", last_name="Brown")
    assert "mixes alphabets" in excinfo.value.message_dict["email"][0]
    assert not Candidate.objects.exists()
    assert not Application.objects.exists()


def _apply_data(email: str, **overrides) -> dict:
    data = {
        "first_name": "Zoë",
        "last_name": "Brown",
        "email": email,
        "postcode": "",
        "privacy_notice": "on",
        "cv": SimpleUploadedFile("cv.pdf", PDF_BYTES),
    }
    data.update(overrides)
    return data


def test_careers_site_each_spelling_applying_again_is_told_they_have_applied(client):
    vacancy = AdvertisedVacancyFactory()
    url = reverse("careers-apply", args=[vacancy.reference])
    assert client.post(url, _apply_data(SAME_ADDRESS[0])).status_code == 302
    for email in SAME_ADDRESS[1:]:
        response = client.post(url, _apply_data(email))
        assert response.status_code == 200
        assert "You have already applied for this job with this email address." in response.text
    assert Candidate.objects.count() == 1
    assert Application.objects.count() == 1


def test_careers_site_refuses_a_mixed_script_domain_next_to_the_field(client):
    vacancy = AdvertisedVacancyFactory()
    response = client.post(reverse("careers-apply", args=[vacancy.reference]), _apply_data(MIXED_SCRIPT_EMAILS[0]))
    assert response.status_code == 200
    assert 'id="id_email-error"' in response.text
    assert "mixes alphabets" in response.text
    assert not Candidate.objects.exists()


def _api_form(vacancy, email: str, **overrides) -> dict:
    data = {
        "job": vacancy.reference,
        "first_name": "Zoë",
        "last_name": "Brown",
        "email": email,
        "privacy_notice_accepted": "true",
        "cv": SimpleUploadedFile("cv.pdf", PDF_BYTES),
    }
    data.update(overrides)
    return data


def test_api_each_spelling_matches_the_same_candidate():
    partner = make_partner()
    vacancies = [AdvertisedVacancyFactory(division=partner.division) for _ in SAME_ADDRESS]
    for vacancy, email in zip(vacancies, SAME_ADDRESS, strict=True):
        response = partner.client.post("/api/v1/applications/", _api_form(vacancy, email), format="multipart")
        assert response.status_code == 201, response.content
    assert Candidate.objects.count() == 1
    assert Application.objects.filter(candidate=Candidate.objects.get()).count() == len(SAME_ADDRESS)


def test_api_a_second_spelling_for_the_same_job_is_a_conflict():
    partner = make_partner()
    vacancy = AdvertisedVacancyFactory(division=partner.division)
    partner.client.post("/api/v1/applications/", _api_form(vacancy, SAME_ADDRESS[0]), format="multipart")
    response = partner.client.post("/api/v1/applications/", _api_form(vacancy, SAME_ADDRESS[2]), format="multipart")
    assert response.status_code == 409
    assert Application.objects.count() == 1


def test_api_refuses_a_mixed_script_domain_with_the_field_named():
    partner = make_partner()
    vacancy = AdvertisedVacancyFactory(division=partner.division)
    response = partner.client.post(
        "/api/v1/applications/", _api_form(vacancy, MIXED_SCRIPT_EMAILS[0]), format="multipart"
    )
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["field"] == "email"
    assert "mixes alphabets" in error["message"]
    assert not Candidate.objects.exists()


# --- Names and other text -------------------------------------------------------------------------------------------

NAMES = [
    "Zoë",
    "Zoe\u0308",  # decomposed
    "Siobhán",
    "Nguyễn Thị Minh Khai",
    "Ólafur Þórðarson",
    "O\u2019Brien",
    "Anne-Marie",
    "José María",
    "Łukasz Żółć",
    "Ærøskøbing",
    "محمد",
    "אברהם",
    "张伟",
    "さくら",
    "Дмитрий",
    "Αλέξανδρος",
    "نسرین\u200cدخت",  # Persian with a zero width non-joiner, which the spelling needs
    "देवनागरी",
    "Ngũgĩ wa Thiong\u2019o",
]

REFUSED_IN_NAMES = [
    ("\x1b[31mBob", "U+001B"),  # ESC, a terminal colour code
    ("Bob\x07", "U+0007"),  # BEL
    ("\u202eelgoog", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("\u2066Bob\u2069", "U+2066 LEFT-TO-RIGHT ISOLATE"),
    ("Al\u200bice", "U+200B ZERO WIDTH SPACE"),
    ("Bob\u200f", "U+200F RIGHT-TO-LEFT MARK"),
    ("Bob\x7f", "U+007F"),
    ("Bo\x85b", "U+0085"),  # NEL, a C1 control
    ("Anne\nMarie", "U+000A"),  # a line break in a one-line field
    ("Anne\tMarie", "U+0009"),
]


@pytest.mark.parametrize("name", NAMES)
def test_names_in_every_script_are_accepted_everywhere(name, client):
    candidate, created = candidate_get_or_create(email="person@example.com", first_name=name, last_name=name)
    assert created
    assert candidate.first_name == name
    vacancy = AdvertisedVacancyFactory()
    response = client.post(
        reverse("careers-apply", args=[vacancy.reference]), _apply_data("other@example.com", first_name=name)
    )
    assert response.status_code == 302
    assert Candidate.objects.get(email="other@example.com").first_name == name


@pytest.mark.parametrize(("name", "named"), REFUSED_IN_NAMES)
def test_control_characters_in_a_name_are_refused_by_the_service(name, named):
    with pytest.raises(ValidationError) as excinfo:
        candidate_get_or_create(email="person@example.com", first_name=name, last_name="Smith")
    [message] = excinfo.value.message_dict["first_name"]
    assert named in message
    assert not Candidate.objects.exists()


@pytest.mark.parametrize(("name", "named"), REFUSED_IN_NAMES)
def test_control_characters_in_a_name_are_refused_by_the_careers_site(name, named, client):
    vacancy = AdvertisedVacancyFactory()
    response = client.post(
        reverse("careers-apply", args=[vacancy.reference]), _apply_data("person@example.com", last_name=name)
    )
    assert response.status_code == 200
    assert 'id="id_last_name-error"' in response.text
    assert named in response.text
    assert not Candidate.objects.exists()


@pytest.mark.parametrize(("name", "named"), REFUSED_IN_NAMES)
def test_control_characters_in_a_name_are_refused_by_the_api(name, named):
    partner = make_partner()
    vacancy = AdvertisedVacancyFactory(division=partner.division)
    response = partner.client.post(
        "/api/v1/applications/", _api_form(vacancy, "person@example.com", first_name=name), format="multipart"
    )
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["field"] == "first_name"
    assert named in error["message"]
    assert not Candidate.objects.exists()


@pytest.mark.parametrize(("name", "named"), REFUSED_IN_NAMES[:5])
def test_control_characters_are_refused_in_the_admin_candidate_form(name, named):
    client = signed_in(SuperUserFactory())
    response = client.post(
        reverse("admin:recruitment_candidate_add"),
        {"first_name": name, "last_name": "Smith", "email": "person@example.com"},
    )
    assert response.status_code == 200
    assert named in response.text
    assert not Candidate.objects.exists()


def test_multi_line_text_keeps_line_breaks_and_tabs_but_not_controls():
    validate_plain_text("Dear team,\r\n\tI would love to join.\n", multiline=True)
    with pytest.raises(ValidationError):
        validate_plain_text("Dear team,\n\u202eI would love to join.", multiline=True)


def test_a_cover_letter_with_a_bidirectional_override_is_refused_by_the_api_and_nothing_created():
    partner = make_partner()
    vacancy = AdvertisedVacancyFactory(division=partner.division)
    letter = "Dear team,\nI would \u202eevol\u202c love to join."
    response = partner.client.post(
        "/api/v1/applications/", _api_form(vacancy, "p@example.com", cover_letter=letter), format="multipart"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "cover_letter"
    assert not Application.objects.exists()
    good = "Dear team,\r\n\tI would love to join."
    response = partner.client.post(
        "/api/v1/applications/", _api_form(vacancy, "p@example.com", cover_letter=good), format="multipart"
    )
    assert response.status_code == 201
    assert Application.objects.get().cover_letter == "Dear team,\n\tI would love to join."  # one LF per break


def test_the_api_counts_a_line_break_once_before_its_length_check():
    """A DBS note is at most 500 characters: 250 lines sent with CRLF are 750 characters as sent, 499 as counted."""
    partner = make_partner()
    check = DbsCheckFactory(application__vacancy=DbsVacancyFactory(division=partner.division))
    note = "a\r\n" * 250
    response = partner.client.patch(
        f"/api/v1/dbs-checks/{check.pk}/", {"stage": "id_verified", "note": note}, format="json"
    )
    assert response.status_code == 200, response.json()["errors"]
    assert check.events.get(to_stage="id_verified").note == ("a\n" * 250).strip()


def test_the_back_office_vacancy_form_refuses_an_escape_in_the_title():
    vacancy = AdvertisedVacancyFactory(status=VacancyStatus.DRAFT)
    user = make_user(divisions=[vacancy.division])
    data = {
        name: getattr(vacancy, name)
        for name in ("title_for_candidates", "closing_date", "reply_to_email", "salary_type", "salary_period")
    }
    data.update(
        title="Nurse\x1b[2J",
        division=vacancy.division_id,
        department=vacancy.department_id,
        location=vacancy.location_id,
        job_category=vacancy.job_category_id,
        employment_type=vacancy.employment_type_id,
        salary_min="29970",
        salary_max="36483",
        working_patterns=["full_time"],
        dbs_level="none",
        about_organisation="We care.",
    )
    response = signed_in(user).post(reverse("vacancy-edit", args=[vacancy.pk]), data)
    assert response.status_code == 200
    assert "U+001B" in response.text
    vacancy.refresh_from_db()
    assert vacancy.title != "Nurse\x1b[2J"


def test_services_refuse_controls_in_what_they_store():
    vacancy = AdvertisedVacancyFactory(status=VacancyStatus.DRAFT)
    with pytest.raises(ValidationError) as excinfo:
        vacancy_update(vacancy=vacancy, changes={"attention_grabber": "Join us\x07"})
    assert "attention_grabber" in excinfo.value.message_dict
    application = ApplicationFactory()
    with pytest.raises(ValidationError) as excinfo:
        application_move(application=application, to_stage="screening", actor=None, note="ok\u202e")
    assert "note" in excinfo.value.message_dict
    application.refresh_from_db()
    assert application.stage == "new"
    assert not application.stage_changes.exists()


def test_the_back_office_search_finds_a_candidate_by_either_spelling_of_the_domain():
    application = ApplicationFactory(candidate=CandidateFactory(email="zoe@zoë.example"))
    user = make_user(divisions=[application.vacancy.division])
    for query in ("zoë.example", "xn--zo-ija", "ZOE@XN--ZO-IJA.EXAMPLE"):
        assert list(application_search(user=user, q=query)) == [application], query
