"""The candidate page: details, applications in scope, documents for permitted users, stage history."""

import pytest
from django.urls import reverse

from recruitment.models import ApplicationStage
from recruitment.services.applications import application_move
from tests.factories import (
    AdvertisedVacancyFactory,
    ApplicationDocumentFactory,
    ApplicationFactory,
    ApplicationStageChangeFactory,
    CandidateFactory,
    DivisionFactory,
    EqualOpportunitiesFactory,
)
from tests.test_web_support import make_user, signed_in

pytestmark = pytest.mark.django_db


def test_candidate_page(django_assert_max_num_queries):
    division = DivisionFactory()
    recruiter = make_user(divisions=[division])
    candidate = CandidateFactory(phone="0113 000 0000")
    mine = ApplicationFactory(candidate=candidate, vacancy=AdvertisedVacancyFactory(division=division))
    ApplicationStageChangeFactory(application=mine)
    application_move(application=mine, to_stage=ApplicationStage.SCREENING, actor=recruiter, note="Strong CV")
    document = ApplicationDocumentFactory(application=mine)
    hidden = ApplicationFactory(candidate=candidate)  # another division
    EqualOpportunitiesFactory(application=mine, sex="female")
    client = signed_in(recruiter)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("candidate-detail", args=[candidate.pk]))
    text = response.text
    assert response.status_code == 200
    assert candidate.email in text
    assert "0113 000 0000" in text
    assert mine.vacancy.reference in text
    assert hidden.vacancy.reference not in text
    assert "Strong CV" in text
    assert "New to Screening" in text
    assert reverse("document-download", args=[document.pk]) in text
    assert "Female" not in text  # equal-opportunities answers are never shown here


def test_documents_hidden_without_permission():
    division = DivisionFactory()
    viewer = make_user(divisions=[division], permissions=("view_candidate",))
    document = ApplicationDocumentFactory(application__vacancy=AdvertisedVacancyFactory(division=division))
    text = signed_in(viewer).get(reverse("candidate-detail", args=[document.application.candidate_id])).text
    assert reverse("document-download", args=[document.pk]) not in text
    assert document.application.cover_letter not in text
    assert "You do not have permission to open this candidate's documents." in text


def test_candidate_outside_scope_is_404():
    recruiter = make_user(divisions=[DivisionFactory()])
    application = ApplicationFactory()
    assert signed_in(recruiter).get(reverse("candidate-detail", args=[application.candidate_id])).status_code == 404


def test_candidate_needs_view_permission():
    division = DivisionFactory()
    user = make_user(divisions=[division], permissions=())
    application = ApplicationFactory(vacancy=AdvertisedVacancyFactory(division=division))
    assert signed_in(user).get(reverse("candidate-detail", args=[application.candidate_id])).status_code == 403
