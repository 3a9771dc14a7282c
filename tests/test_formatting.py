"""One way to write money, people and a vacancy's terms on every page (`recruitment.formatting`)."""

from decimal import Decimal

import pytest

from recruitment.formatting import contract_length, hours, money, person_name, salary, working_patterns
from recruitment.models import Vacancy
from tests.factories import UserFactory


@pytest.mark.parametrize(
    ("amount", "written"),
    [
        (Decimal("31049.00"), "£31,049"),
        (Decimal("31049"), "£31,049"),
        (Decimal("15.5"), "£15.50"),
        (Decimal("1234567.891"), "£1,234,567.89"),
        (Decimal("0.005"), "£0.01"),
        (450, "£450"),
        (None, ""),
    ],
)
def test_money_is_written_the_gov_uk_way(amount, written):
    assert money(amount) == written


def test_salary_range_fixed_and_negotiable():
    ranged = Vacancy(salary_type="range", salary_min=Decimal("29970.00"), salary_max=Decimal("36483.00"))
    assert salary(ranged) == "£29,970 to £36,483 per annum"
    hourly = Vacancy(salary_type="fixed", salary_min=Decimal("15.50"), salary_period="hour")
    assert salary(hourly) == "£15.50 per hour"
    assert salary(Vacancy(salary_type="negotiable")) == "Negotiable"


def test_terms_of_a_vacancy():
    vacancy = Vacancy(
        working_patterns=["part_time", "full_time"],
        hours_per_week=Decimal("22.5"),
        contract_duration_length=1,
        contract_duration_unit="years",
    )
    assert working_patterns(vacancy) == "Full time, Part time"
    assert hours(vacancy) == "22.5 hours a week"
    assert contract_length(vacancy) == "1 year"
    vacancy.hours_per_week, vacancy.contract_duration_length = Decimal("37.0"), 18
    assert hours(vacancy) == "37 hours a week"
    assert contract_length(Vacancy()) == ""


@pytest.mark.django_db
def test_people_by_name_else_username():
    assert person_name(UserFactory(first_name="Priya", last_name="Shah")) == "Priya Shah"
    nameless = UserFactory(first_name="", last_name="")
    assert person_name(nameless) == nameless.username
    assert person_name(None, "System") == "System"
