"""Paging: the cursor lists walk (timestamp, id) both ways, complete and in order even when every row shares one
timestamp; bad paging input is a 400 naming the parameter."""

import datetime

import pytest
from django.utils import timezone

from recruitment.models import Application
from tests.factories import AdvertisedVacancyFactory, ApplicationFactory, CandidateFactory

ROWS = 250
PAGE = 20


@pytest.fixture
def tied(partner):
    """250 applications submitted and moved at the very same instant, with a few at other times around them."""
    moment = timezone.now() - datetime.timedelta(hours=1)
    vacancy = AdvertisedVacancyFactory(division=partner.division)
    candidates = CandidateFactory.create_batch(ROWS + 4)
    rows = [
        Application(
            candidate=candidate,
            vacancy=vacancy,
            submitted_at=moment,
            stage_changed_at=moment,
            cover_letter="",
        )
        for candidate in candidates[:ROWS]
    ]
    for offset, candidate in zip((-2, -1, 1, 2), candidates[ROWS:], strict=True):
        when = moment + datetime.timedelta(minutes=offset)
        rows.append(Application(candidate=candidate, vacancy=vacancy, submitted_at=when, stage_changed_at=when))
    Application.objects.bulk_create(rows)
    return Application.objects.filter(vacancy=vacancy)


def page_ids(client, url: str) -> tuple[list[int], dict]:
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    body = response.json()
    return [row["id"] for row in body["results"]], body


@pytest.mark.parametrize(
    ("path", "expected_order"),
    [
        ("/api/v1/applications/", ("-submitted_at", "-pk")),
        ("/api/v1/exports/changes/?since=2000-01-01T00:00:00Z", ("stage_changed_at", "pk")),
    ],
    ids=["applications-newest-first", "changes-oldest-first"],
)
def test_walking_forward_then_back_lists_every_row_once_in_order(partner, tied, path, expected_order):
    expected = list(tied.order_by(*expected_order).values_list("pk", flat=True))
    separator = "&" if "?" in path else "?"
    url = f"{path}{separator}page_size={PAGE}"

    forward, bodies = [], []
    while url:
        ids, body = page_ids(partner.client, url)
        forward.append(ids)
        bodies.append(body)
        url = body["next"]
    assert [pk for page in forward for pk in page] == expected
    assert all(len(page) == PAGE for page in forward[:-1])

    # Each page's "previous" link gives exactly the page before it.
    for number, body in enumerate(bodies[1:], start=1):
        assert page_ids(partner.client, body["previous"])[0] == forward[number - 1], f"page {number}"

    # Walking back from the last page meets the same pages in reverse, each in the list's own order.
    backward, url = [], bodies[-1]["previous"]
    while url:
        ids, body = page_ids(partner.client, url)
        backward.append(ids)
        url = body["previous"]
    assert backward == list(reversed(forward[:-1]))


def test_previous_from_the_second_page_is_the_first_page(partner, tied):
    first = partner.client.get(f"/api/v1/applications/?page_size={PAGE}").json()
    second = partner.client.get(first["next"]).json()
    assert first["previous"] is None
    back = partner.client.get(second["previous"]).json()
    assert [row["id"] for row in back["results"]] == [row["id"] for row in first["results"]]
    assert back["previous"] is None
    assert back["next"] is not None


def test_an_invalid_cursor_is_a_400_naming_it(partner):
    response = partner.client.get("/api/v1/applications/?cursor=not-a-cursor")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == [
        {"field": "cursor", "message": "This cursor is not valid: follow the next or previous link of a page."}
    ]


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99"])
def test_an_invalid_page_number_is_a_400_naming_it(partner, page):
    ApplicationFactory(vacancy=AdvertisedVacancyFactory(division=partner.division))
    response = partner.client.get(f"/api/v1/jobs/?page={page}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == [{"field": "page", "message": "This page number is not a page of the list."}]


@pytest.mark.parametrize("size", ["0", "-1", "abc", "2.5", "101", "1000", "\u0661"])
@pytest.mark.parametrize("path", ["/api/v1/jobs/", "/api/v1/applications/", "/api/v1/exports/changes/"])
def test_a_page_size_that_is_not_1_to_100_is_a_400_naming_it(partner, path, size):
    response = partner.client.get(path, {"page_size": size})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == [
        {"field": "page_size", "message": "The page size must be a whole number from 1 to 100."}
    ]


@pytest.mark.parametrize(("size", "rows"), [(1, 1), (100, 25), ("", 20)])
def test_page_sizes_from_1_to_100_are_served_and_an_empty_one_is_the_default(partner, size, rows):
    vacancy = AdvertisedVacancyFactory(division=partner.division)
    ApplicationFactory.create_batch(25, vacancy=vacancy)
    body = partner.client.get("/api/v1/applications/", {"page_size": size}).json()
    assert len(body["results"]) == rows


def test_the_schema_gives_the_page_size_its_bounds(partner):
    schema = partner.client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path in ("/api/v1/jobs/", "/api/v1/applications/", "/api/v1/exports/changes/"):
        (page_size,) = [p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == "page_size"]
        assert page_size["schema"] == {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}


def test_a_valid_page_number_still_pages(partner):
    for _ in range(3):
        AdvertisedVacancyFactory(division=partner.division)
    body = partner.client.get("/api/v1/jobs/?page=2&page_size=2").json()
    assert body["count"] == 3
    assert len(body["results"]) == 1


@pytest.mark.parametrize(
    "path",
    ["/api/v1/applications/?page_size=100", "/api/v1/exports/changes/?page_size=100&since=2000-01-01T00:00:00Z"],
    ids=["applications", "changes"],
)
def test_1500_rows_on_one_timestamp_walk_out_complete_each_once(partner, path):
    """More than a page of rows on one timestamp (a bulk import): the cursor holds the id as well, so the walk
    neither repeats a page nor stops early."""
    moment = timezone.now() - datetime.timedelta(minutes=5)
    vacancy = AdvertisedVacancyFactory(division=partner.division)
    candidates = CandidateFactory.create_batch(1500)
    Application.objects.bulk_create(
        Application(candidate=c, vacancy=vacancy, submitted_at=moment, stage_changed_at=moment) for c in candidates
    )
    expected = set(Application.objects.values_list("pk", flat=True))
    seen, url, pages = [], path, 0
    while url:
        ids, body = page_ids(partner.client, url)
        seen += ids
        url = body["next"]
        pages += 1
        assert pages <= 15, "the walk goes on past the rows"
    assert len(seen) == len(set(seen)) == 1500
    assert set(seen) == expected
