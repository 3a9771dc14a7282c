"""The dashboard: counts in the user's scope, each linking to the list filtered the same way."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from recruitment.models import ApplicationStage, DbsStage, VacancyStatus
from tests.factories import (
    AdvertisedVacancyFactory,
    ApplicationFactory,
    DbsCheckFactory,
    DbsVacancyFactory,
    DivisionFactory,
    VacancyFactory,
)
from tests.test_web_support import make_user, signed_in

pytestmark = pytest.mark.django_db


def _cards(text: str) -> dict[str, tuple[str, int]]:
    found = re.findall(r'<a class="nhsuk-card__link" href="([^"]+)">([^<]+)</a></h2>\s*<p[^>]*>(\d+)</p>', text)
    return {label: (href.replace("&amp;", "&"), int(count)) for href, label, count in found}


def test_counts_link_to_lists_showing_the_same_rows(django_assert_max_num_queries):
    division = DivisionFactory()
    user = make_user(divisions=[division])
    soon = timezone.localdate() + datetime.timedelta(days=2)
    VacancyFactory(division=division, recruiter=user)
    AdvertisedVacancyFactory(division=division, recruiter=user, closing_date=soon)
    VacancyFactory(division=division, recruiter=user, status=VacancyStatus.CANCELLED)
    vacancy = AdvertisedVacancyFactory(division=division)
    ApplicationFactory(vacancy=vacancy)
    ApplicationFactory(vacancy=vacancy, stage=ApplicationStage.HIRED)
    DbsCheckFactory(application__vacancy=DbsVacancyFactory(division=division))
    DbsCheckFactory(application__vacancy=DbsVacancyFactory(division=division), stage=DbsStage.CANCELLED)
    ApplicationFactory()  # another division: never counted
    client = signed_in(user)
    with django_assert_max_num_queries(20):  # session, user, permissions, 5 scoped counts
        response = client.get(reverse("dashboard"))
    cards = _cards(response.text)
    assert cards["My open vacancies"][1] == 2
    assert cards["Applications waiting for a decision"][1] == 1
    assert cards["Vacancies closing this week"][1] == 1
    assert cards["DBS checks waiting on someone"][1] == 1
    for label, (href, count) in cards.items():
        listed = client.get(href)
        assert listed.status_code == 200, label
        assert re.search(rf"<p class=\"nhsuk-body-s\">{count} ", listed.text), label


def test_dashboard_needs_sign_in(client):
    assert client.get(reverse("dashboard")).status_code == 302


def test_dashboard_shows_only_counts_the_user_may_follow():
    dbs_only = make_user(permissions=("view_dbscheck",))
    cards = _cards(signed_in(dbs_only).get(reverse("dashboard")).text)
    assert list(cards) == ["DBS checks waiting on someone"]
    nothing = signed_in(make_user(permissions=())).get(reverse("dashboard"))
    assert nothing.status_code == 200
    assert "You do not have access to any lists yet." in nothing.text
