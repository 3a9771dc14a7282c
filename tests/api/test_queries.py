"""Constant query counts: a page of 100 costs the same number of queries as a page of 1."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import grant
from tests.factories import (
    AdvertisedVacancyFactory,
    ApplicationDocumentFactory,
    ApplicationFactory,
    DbsCheckFactory,
    EqualOpportunitiesFactory,
)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200, response.content
        if response.streaming:
            b"".join(response.streaming_content)
    return len(captured)


def fill_applications(partner, n: int) -> None:
    for _ in range(n):
        vacancy = AdvertisedVacancyFactory(division=partner.division)
        application = ApplicationFactory(vacancy=vacancy)
        ApplicationDocumentFactory(application=application, kind="cv")
        EqualOpportunitiesFactory(application=application)
        DbsCheckFactory(application=ApplicationFactory(vacancy__division=partner.division))


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/jobs/?page_size=100",
        "/api/v1/applications/?page_size=100",
        "/api/v1/exports/changes/?page_size=100",
        "/api/v1/dbs-checks/?page_size=100",
        "/api/v1/exports/changes.ndjson",
        "/api/v1/exports/changes.csv",
    ],
)
def test_page_of_100_costs_the_same_as_a_page_of_1(partner, url):
    """For a user limited to one division (the partner's scope)."""
    grant(partner.user, "view_equalopportunities")
    fill_applications(partner, 1)
    one = count_queries(partner.client, url)
    fill_applications(partner, 30)
    many = count_queries(partner.client, url)
    assert many == one


def test_a_jobs_applications_cost_the_same_for_1_or_30(partner):
    """The applications to one job, for a user limited to one division."""
    vacancy = AdvertisedVacancyFactory(division=partner.division)
    url = f"/api/v1/jobs/{vacancy.reference}/applications/?page_size=100"

    def add(n: int) -> None:
        for application in ApplicationFactory.create_batch(n, vacancy=vacancy):
            ApplicationDocumentFactory(application=application, kind="cv")

    add(1)
    one = count_queries(partner.client, url)
    add(30)
    assert count_queries(partner.client, url) == one
