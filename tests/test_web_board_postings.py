"""Board postings on the back-office pages: the vacancy's postings and the dashboard's "needs attention" count."""

import pytest
from django.urls import reverse

from boards.models import BoardAccount, Posting, PostingStatus
from tests.factories import AdvertisedVacancyFactory, DivisionFactory
from tests.test_web_support import make_user, signed_in

pytestmark = pytest.mark.django_db


def _posting(vacancy, account, **fields) -> Posting:
    return Posting.objects.create(vacancy=vacancy, account=account, **fields)


@pytest.fixture
def account():
    return BoardAccount.objects.create(board="nhs-jobs", name="NHS Jobs (sandbox)", base_url="http://127.0.0.1/")


def test_vacancy_detail_shows_its_postings_and_the_post_link(account):
    division = DivisionFactory()
    vacancy = AdvertisedVacancyFactory(division=division)
    _posting(vacancy, account, status=PostingStatus.FAILED, board_id="NHS-123")
    text = signed_in(make_user(divisions=[division])).get(reverse("vacancy-detail", args=[vacancy.pk])).text
    assert "Job boards" in text
    assert "NHS-123" in text
    assert reverse("boards:post-to-nhs-jobs", args=[vacancy.pk]) in text


def test_dashboard_counts_vacancies_with_postings_needing_attention(account):
    division = DivisionFactory()
    user = make_user(divisions=[division])
    failed = AdvertisedVacancyFactory(division=division)
    fine = AdvertisedVacancyFactory(division=division)
    _posting(failed, account, status=PostingStatus.FAILED)
    _posting(fine, account)
    _posting(AdvertisedVacancyFactory(), account, status=PostingStatus.FAILED)  # outside the scope
    client = signed_in(user)
    text = client.get(reverse("dashboard")).text
    assert "Vacancies with job-board postings needing attention" in text
    listed = client.get(reverse("vacancy-list"), {"board_attention": "on"}).text
    assert failed.reference in listed
    assert fine.reference not in listed
    assert "1 vacancy" in listed
