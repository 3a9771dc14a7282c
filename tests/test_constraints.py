"""Database constraints refuse bad rows on their own, and the Python validators refuse them first.

Every refusal at the database is asserted inside `transaction.atomic()`, so the test's transaction stays usable.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, connection, transaction

from recruitment.errors import DomainError
from recruitment.models import (
    Application,
    Candidate,
    DbsCheck,
    DbsCheckLevel,
    DbsStage,
    Location,
    SalaryBand,
    Vacancy,
)
from recruitment.services.applications import application_submit
from recruitment.services.candidates import candidate_get_or_create, candidate_update
from recruitment.services.vacancies import vacancy_update, vacancy_validate
from tests import factories
from tests.factories import (
    AdvertisedVacancyFactory,
    ApplicationFactory,
    CandidateFactory,
    DbsCheckFactory,
    LocationFactory,
    RegionFactory,
    SalaryBandFactory,
    VacancyFactory,
)

pytestmark = pytest.mark.django_db


# --- Factories ------------------------------------------------------------------------------------------------------

ALL_FACTORIES = [
    getattr(factories, name)
    for name in sorted(dir(factories))
    if name.endswith("Factory") and isinstance(getattr(factories, name), type)
]


@pytest.mark.parametrize("factory_class", ALL_FACTORIES, ids=lambda f: f.__name__)
def test_every_factory_creates_a_row_that_passes_model_validation(factory_class):
    instance = factory_class()
    instance.refresh_from_db()
    instance.full_clean()  # field validators and every constraint, checked in Python
    assert type(instance)._default_manager.filter(pk=instance.pk).exists()


def test_vacancy_factory_keeps_the_department_in_the_vacancy_division():
    vacancy = VacancyFactory()
    assert vacancy.department.division == vacancy.division
    dbs_check = DbsCheckFactory(application__vacancy__division=factories.DivisionFactory(name="Surgery"))
    vacancy = dbs_check.application.vacancy
    assert vacancy.division.name == "Surgery"
    assert vacancy.department.division == vacancy.division
    assert vacancy.needs_dbs_check
    assert vacancy.is_advertised


# --- Candidate email ------------------------------------------------------------------------------------------------


def test_candidate_email_is_unique_whatever_its_case_in_the_database():
    CandidateFactory(email="A@x.nhs.uk")
    with pytest.raises(IntegrityError), transaction.atomic():
        CandidateFactory(email="a@X.nhs.uk")
    assert Candidate.objects.filter(email__iexact="a@x.nhs.uk").count() == 1


def test_candidate_email_unique_whatever_its_case_in_full_clean():
    CandidateFactory(email="A@x.nhs.uk")
    with pytest.raises(ValidationError) as excinfo:
        CandidateFactory.build(email="a@X.nhs.uk").full_clean()
    assert "email_normalised" in excinfo.value.message_dict


def test_candidate_update_refuses_an_email_another_candidate_has_in_another_case():
    CandidateFactory(email="A@x.nhs.uk")
    other = CandidateFactory(email="someone.else@x.nhs.uk")
    with pytest.raises(ValidationError) as excinfo:
        candidate_update(candidate=other, email="a@X.nhs.uk")
    assert "email" in excinfo.value.message_dict
    other.refresh_from_db()
    assert other.email == "someone.else@x.nhs.uk"


def test_candidate_get_or_create_finds_the_candidate_whatever_the_email_case():
    existing = CandidateFactory(email="A@x.nhs.uk")
    found, created = candidate_get_or_create(email="a@X.nhs.uk", first_name="Other", last_name="Person")
    assert (found.pk, created) == (existing.pk, False)
    assert Candidate.objects.count() == 1


# --- DBS certificate number -----------------------------------------------------------------------------------------

TWELVE_DIGITS = "123456789012"


@pytest.mark.parametrize(
    "number",
    ["12345678901", "1234567890123", "12345678901A", "ABCDEFGHIJKL"],
    ids=["11-digits", "13-digits", "one-letter", "letters"],
)
def test_certificate_number_other_than_12_digits_is_refused_by_the_database(number):
    check = DbsCheckFactory()
    # PostgreSQL refuses a 13th character for the varchar(12) column before the check constraint is reached.
    expected = DataError if len(number) > 12 and connection.vendor == "postgresql" else IntegrityError
    with pytest.raises(expected), transaction.atomic():
        DbsCheck.objects.filter(pk=check.pk).update(certificate_number=number)
    check.refresh_from_db()
    assert check.certificate_number == ""


@pytest.mark.parametrize(
    "number",
    ["12345678901", "1234567890123", "12345678901A", "ABCDEFGHIJKL"],
    ids=["11-digits", "13-digits", "one-letter", "letters"],
)
def test_certificate_number_other_than_12_digits_is_refused_by_full_clean(number):
    check = DbsCheckFactory()
    check.certificate_number = number
    with pytest.raises(ValidationError) as excinfo:
        check.full_clean()
    assert "certificate_number" in excinfo.value.message_dict


@pytest.mark.parametrize("number", [TWELVE_DIGITS, ""], ids=["12-digits", "blank"])
def test_certificate_number_of_12_digits_or_blank_is_accepted(number):
    check = DbsCheckFactory()
    check.certificate_number = number
    check.full_clean()
    DbsCheck.objects.filter(pk=check.pk).update(certificate_number=number)
    check.refresh_from_db()
    assert check.certificate_number == number


# --- Postcodes ------------------------------------------------------------------------------------------------------


def test_location_postcode_is_normalised_by_full_clean():
    location = LocationFactory.build(region=RegionFactory(), postcode="sw1a1aa")
    location.full_clean()
    assert location.postcode == "SW1A 1AA"
    location.save()
    assert Location.objects.get(pk=location.pk).postcode == "SW1A 1AA"


@pytest.mark.parametrize("factory_class", [LocationFactory, CandidateFactory], ids=["location", "candidate"])
def test_postcode_field_normalises_when_saved_without_full_clean(factory_class):
    instance = factory_class(postcode=" sw1a  1aa ")
    instance.refresh_from_db()
    assert instance.postcode == "SW1A 1AA"


def test_candidate_postcode_is_normalised_by_the_candidate_service():
    candidate, created = candidate_get_or_create(
        email="new.person@example.com", first_name="New", last_name="Person", postcode="sw1a1aa"
    )
    assert created
    candidate.refresh_from_db()
    assert candidate.postcode == "SW1A 1AA"


def test_location_postcode_not_a_code_is_refused_by_full_clean():
    location = LocationFactory.build(region=RegionFactory(), postcode="NOT A CODE")
    with pytest.raises(ValidationError) as excinfo:
        location.full_clean()
    assert "postcode" in excinfo.value.message_dict


def test_candidate_postcode_not_a_code_is_refused_by_the_candidate_service():
    with pytest.raises(ValidationError) as excinfo:
        candidate_get_or_create(email="bad.code@example.com", first_name="Bad", last_name="Code", postcode="NOT A CODE")
    assert "postcode" in excinfo.value.message_dict
    assert not Candidate.objects.filter(email="bad.code@example.com").exists()


@pytest.mark.parametrize("factory_class", [LocationFactory, CandidateFactory], ids=["location", "candidate"])
def test_postcode_not_a_code_is_refused_when_saved_directly(factory_class):
    # The field normalises in pre_save, so the invalid value is refused before any SQL is sent.
    with pytest.raises(ValidationError) as excinfo, transaction.atomic():
        factory_class(postcode="NOT A CODE")
    assert excinfo.value.code == "invalid_postcode"
    assert not factory_class._meta.model.objects.exists()


@pytest.mark.parametrize("factory_class", [LocationFactory, CandidateFactory], ids=["location", "candidate"])
def test_postcode_set_by_a_raw_update_is_refused_by_the_check_constraint(factory_class):
    instance = factory_class()
    with pytest.raises(IntegrityError), transaction.atomic():
        type(instance).objects.filter(pk=instance.pk).update(postcode="bad")
    instance.refresh_from_db()
    assert instance.postcode == "LS1 4AP"


def test_candidate_postcode_may_be_blank():
    candidate = CandidateFactory(postcode="")
    candidate.full_clean()
    Candidate.objects.filter(pk=candidate.pk).update(postcode="")
    candidate.refresh_from_db()
    assert candidate.postcode == ""


# --- One application per candidate and vacancy ----------------------------------------------------------------------


def test_second_application_by_the_same_candidate_to_the_same_vacancy_is_refused_by_the_database():
    first = ApplicationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationFactory(candidate=first.candidate, vacancy=first.vacancy)
    assert Application.objects.count() == 1


def test_second_application_by_the_same_candidate_to_the_same_vacancy_is_refused_by_full_clean():
    first = ApplicationFactory()
    with pytest.raises(ValidationError) as excinfo:
        ApplicationFactory.build(candidate=first.candidate, vacancy=first.vacancy).full_clean()
    assert excinfo.value.message_dict == {"__all__": ["Application with this Candidate and Vacancy already exists."]}


def test_application_submit_refuses_a_second_application_with_a_clear_message():
    first = ApplicationFactory(candidate=CandidateFactory(first_name="Amara", last_name="Okafor"))
    with pytest.raises(DomainError) as excinfo:
        application_submit(candidate=first.candidate, vacancy=first.vacancy)
    assert excinfo.value.message == "This candidate has already applied for this job."
    assert excinfo.value.field == "vacancy"
    assert Application.objects.count() == 1


def test_the_same_candidate_may_apply_to_two_vacancies():
    first = ApplicationFactory()
    second = ApplicationFactory(candidate=first.candidate)
    assert first.vacancy != second.vacancy
    assert Application.objects.filter(candidate=first.candidate).count() == 2


# --- Application source reference -----------------------------------------------------------------------------------


def test_source_reference_is_unique_per_source_in_the_database():
    ApplicationFactory(source="nhs-jobs", source_reference="NHSJ-1001")
    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationFactory(source="nhs-jobs", source_reference="NHSJ-1001")
    assert Application.objects.filter(source_reference="NHSJ-1001").count() == 1


def test_source_reference_is_unique_per_source_in_full_clean():
    ApplicationFactory(source="nhs-jobs", source_reference="NHSJ-1001")
    duplicate = ApplicationFactory.build(
        candidate=CandidateFactory(),
        vacancy=AdvertisedVacancyFactory(),
        source="nhs-jobs",
        source_reference="NHSJ-1001",
    )
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert excinfo.value.message_dict == {"__all__": ["Constraint “application_source_reference_unique” is violated."]}


def test_blank_source_reference_is_allowed_many_times_under_one_source():
    for _ in range(3):
        ApplicationFactory(source="nhs-jobs", source_reference="")
    assert Application.objects.filter(source="nhs-jobs", source_reference="").count() == 3


def test_same_source_reference_is_allowed_under_different_sources():
    ApplicationFactory(source="nhs-jobs", source_reference="1001")
    other = ApplicationFactory.build(
        candidate=CandidateFactory(),
        vacancy=AdvertisedVacancyFactory(),
        source="jobsphere",
        source_reference="1001",
    )
    other.full_clean()
    other.save()
    assert Application.objects.filter(source_reference="1001").count() == 2


# --- Salary ranges --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("low", "high"),
    [("40000.00", "30000.00"), ("0.00", "30000.00"), ("-1.00", "30000.00")],
    ids=["min-above-max", "zero-min", "negative-min"],
)
def test_salary_band_range_is_checked_by_the_database(low, high):
    band = SalaryBandFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        SalaryBand.objects.filter(pk=band.pk).update(min_amount=Decimal(low), max_amount=Decimal(high))
    band.refresh_from_db()
    assert band.min_amount <= band.max_amount


def test_salary_band_range_is_checked_by_full_clean():
    band = SalaryBandFactory.build(min_amount=Decimal("40000.00"), max_amount=Decimal("30000.00"))
    with pytest.raises(ValidationError) as excinfo:
        band.full_clean()
    assert "salaryband_range_valid" in str(excinfo.value)


def test_salary_band_with_equal_min_and_max_is_accepted():
    band = SalaryBandFactory(min_amount=Decimal("30000.00"), max_amount=Decimal("30000.00"))
    band.full_clean()
    assert SalaryBand.objects.filter(pk=band.pk).exists()


def test_vacancy_salary_min_above_max_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        VacancyFactory(salary_min=Decimal("50000.00"), salary_max=Decimal("40000.00"))
    assert not Vacancy.objects.exists()


def test_vacancy_salary_range_without_a_max_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        VacancyFactory(salary_min=Decimal("30000.00"), salary_max=None)
    assert not Vacancy.objects.exists()


def test_vacancy_salary_min_above_max_is_refused_by_vacancy_validate():
    vacancy = VacancyFactory.build(
        division=(division := factories.DivisionFactory()),
        department=factories.DepartmentFactory(division=division),
        location=LocationFactory(),
        job_category=factories.JobCategoryFactory(),
        employment_type=factories.EmploymentTypeFactory(),
        salary_min=Decimal("50000.00"),
        salary_max=Decimal("40000.00"),
    )
    with pytest.raises(ValidationError) as excinfo:
        vacancy_validate(vacancy)
    assert excinfo.value.message_dict["salary_max"] == [
        "Highest salary must be the same as or more than the lowest salary."
    ]


def test_vacancy_update_refuses_a_min_above_the_max():
    vacancy = VacancyFactory(salary_min=Decimal("30000.00"), salary_max=Decimal("40000.00"))
    with pytest.raises(ValidationError) as excinfo:
        vacancy_update(vacancy=vacancy, changes={"salary_min": Decimal("50000.00")})
    assert "salary_max" in excinfo.value.message_dict
    vacancy.refresh_from_db()
    assert vacancy.salary_min == Decimal("30000.00")


# --- DBS barred lists and decision ----------------------------------------------------------------------------------


@pytest.mark.parametrize("level", [DbsCheckLevel.BASIC, DbsCheckLevel.STANDARD, DbsCheckLevel.ENHANCED])
@pytest.mark.parametrize("barred_list", ["barred_list_children", "barred_list_adults"])
def test_barred_list_below_enhanced_barred_is_refused_by_the_database(level, barred_list):
    check = DbsCheckFactory(level=level)
    with pytest.raises(IntegrityError), transaction.atomic():
        DbsCheck.objects.filter(pk=check.pk).update(**{barred_list: True})
    check.refresh_from_db()
    assert getattr(check, barred_list) is False


def test_barred_list_below_enhanced_barred_is_refused_by_full_clean():
    check = DbsCheckFactory.build(
        application=ApplicationFactory(vacancy=factories.DbsVacancyFactory()),
        level=DbsCheckLevel.ENHANCED,
        barred_list_adults=True,
    )
    with pytest.raises(ValidationError) as excinfo:
        check.full_clean()
    assert "dbscheck_barred_lists_only_when_enhanced_barred" in str(excinfo.value)


def test_barred_lists_are_accepted_for_enhanced_barred():
    check = DbsCheckFactory(level=DbsCheckLevel.ENHANCED_BARRED, barred_list_children=True, barred_list_adults=True)
    check.full_clean()
    check.refresh_from_db()
    assert (check.barred_list_children, check.barred_list_adults) == (True, True)


@pytest.mark.parametrize("stage", [stage for stage in DbsStage.values if stage != DbsStage.DECISION_RECORDED])
def test_decision_before_decision_recorded_is_refused_by_the_database(stage):
    check = DbsCheckFactory(stage=stage)
    with pytest.raises(IntegrityError), transaction.atomic():
        DbsCheck.objects.filter(pk=check.pk).update(decision="proceed")
    check.refresh_from_db()
    assert check.decision == ""


def test_decision_before_decision_recorded_is_refused_by_full_clean():
    check = DbsCheckFactory.build(
        application=ApplicationFactory(vacancy=factories.DbsVacancyFactory()),
        stage=DbsStage.CLEAR,
        decision="proceed",
    )
    with pytest.raises(ValidationError) as excinfo:
        check.full_clean()
    assert "dbscheck_decision_only_when_recorded" in str(excinfo.value)


def test_decision_is_accepted_once_recorded():
    check = DbsCheckFactory(stage=DbsStage.DECISION_RECORDED, decision="do_not_proceed")
    check.full_clean()
    check.refresh_from_db()
    assert check.decision == "do_not_proceed"


# --- Candidate registration -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "number"),
    [("nmc", ""), ("", "12A3456B")],
    ids=["body-without-number", "number-without-body"],
)
def test_registration_body_and_number_must_come_together_in_the_database(body, number):
    candidate = CandidateFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Candidate.objects.filter(pk=candidate.pk).update(registration_body=body, registration_number=number)
    candidate.refresh_from_db()
    assert (candidate.registration_body, candidate.registration_number) == ("", "")


@pytest.mark.parametrize(
    ("body", "number"),
    [("nmc", ""), ("", "12A3456B")],
    ids=["body-without-number", "number-without-body"],
)
def test_registration_body_and_number_must_come_together_in_the_candidate_service(body, number):
    with pytest.raises(ValidationError) as excinfo:
        candidate_get_or_create(
            email="nurse@example.com",
            first_name="Nia",
            last_name="Jones",
            registration_body=body,
            registration_number=number,
        )
    assert "registration_number" in excinfo.value.message_dict
    assert not Candidate.objects.filter(email="nurse@example.com").exists()


@pytest.mark.parametrize(("body", "number"), [("nmc", "12A3456B"), ("", "")], ids=["both", "neither"])
def test_registration_body_and_number_together_or_neither_are_accepted(body, number):
    candidate, created = candidate_get_or_create(
        email="nurse@example.com",
        first_name="Nia",
        last_name="Jones",
        registration_body=body,
        registration_number=number,
    )
    assert created
    candidate.refresh_from_db()
    assert (candidate.registration_body, candidate.registration_number) == (body, number)
