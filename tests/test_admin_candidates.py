"""The candidate admin words the database's rules as sentences, never as constraint names."""

import pytest
from django.urls import reverse

from recruitment.models import Candidate
from tests.factories import CandidateFactory, SuperUserFactory

pytestmark = pytest.mark.django_db

DUPLICATE = "A candidate with this email address already exists."


def candidate_data(**overrides) -> dict:
    return {
        "first_name": "Zoe",
        "last_name": "Adams",
        "email": "zoe.adams@example.com",
        "phone": "",
        "address_line_1": "",
        "address_line_2": "",
        "town": "",
        "postcode": "",
        "registration_body": "",
        "registration_number": "",
        **overrides,
    }


@pytest.fixture
def admin_client(client):
    client.force_login(SuperUserFactory())
    return client


def test_adding_a_second_candidate_with_the_same_email_says_so_in_a_sentence(admin_client):
    CandidateFactory(email="zoe.adams@example.com")
    response = admin_client.post(
        reverse("admin:recruitment_candidate_add"), candidate_data(email="Zoe.Adams@EXAMPLE.com")
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"email": [DUPLICATE]}
    assert "candidate_email_unique_ci" not in response.text
    assert "Constraint" not in response.text
    assert Candidate.objects.count() == 1


def test_changing_an_email_to_one_in_use_says_so_in_a_sentence(admin_client):
    CandidateFactory(email="zoe.adams@example.com")
    other = CandidateFactory(email="someone.else@example.com")
    response = admin_client.post(
        reverse("admin:recruitment_candidate_change", args=[other.pk]), candidate_data(email="ZOE.adams@example.com")
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"email": [DUPLICATE]}
    assert "Constraint" not in response.text
    other.refresh_from_db()
    assert other.email == "someone.else@example.com"


def test_the_registration_rule_reads_as_a_sentence(admin_client):
    response = admin_client.post(reverse("admin:recruitment_candidate_add"), candidate_data(registration_body="nmc"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "registration_number": ["Enter both the registration body and the registration number, or neither."]
    }
    assert "Constraint" not in response.text
    assert not Candidate.objects.exists()


def test_a_new_email_is_added(admin_client):
    """The control."""
    response = admin_client.post(reverse("admin:recruitment_candidate_add"), candidate_data())
    assert response.status_code == 302
    assert Candidate.objects.get().email == "zoe.adams@example.com"
