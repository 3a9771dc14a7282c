"""Data scope on every object route: an object outside the caller's divisions answers 404, as if absent.

The test walks the API URLconf, so a new object route without a case here fails `test_every_object_route_is_covered`.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from recruitment.models import DbsCheck, DocumentKind
from tests.api.conftest import make_partner
from tests.factories import (
    AdvertisedVacancyFactory,
    ApplicationDocumentFactory,
    ApplicationFactory,
    DbsCheckFactory,
    DivisionFactory,
)


def api_object_patterns() -> list[URLPattern]:
    """The API routes that take an object identifier (the catch-all 404 route aside)."""
    found = []

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif (
                isinstance(pattern, URLPattern)
                and namespace == "api"
                and pattern.name != "not-found"
                and (pattern.pattern.converters or pattern.pattern.regex.groupindex)
            ):
                found.append(pattern)

    walk(get_resolver().url_patterns)
    return found


def api_object_routes() -> list[str]:
    """Names of the API routes that take an object identifier."""
    return [pattern.name for pattern in api_object_patterns()]


def _foreign_application(other_division):
    vacancy = AdvertisedVacancyFactory(division=other_division)
    application = ApplicationFactory(vacancy=vacancy)
    ApplicationDocumentFactory(application=application, kind=DocumentKind.CV)
    return application


# route name -> (method, function building an out-of-scope object and returning the URL for it)
CASES = {
    "job-detail": ("get", lambda d: f"/api/v1/jobs/{AdvertisedVacancyFactory(division=d).reference}/"),
    "job-applications": (
        "get",
        lambda d: f"/api/v1/jobs/{_foreign_application(d).vacancy.reference}/applications/",
    ),
    "application-detail": ("get", lambda d: f"/api/v1/applications/{_foreign_application(d).pk}/"),
    "application-stage": ("get", lambda d: f"/api/v1/applications/{_foreign_application(d).pk}/stage/"),
    "application-document": ("get", lambda d: f"/api/v1/applications/{_foreign_application(d).pk}/documents/cv/"),
    "dbs-check-detail": (
        "get",
        lambda d: f"/api/v1/dbs-checks/{DbsCheckFactory(application__vacancy__division=d).pk}/",
    ),
}
WRITE_CASES = {
    "dbs-check-detail": (
        "patch",
        lambda d: f"/api/v1/dbs-checks/{DbsCheckFactory(application__vacancy__division=d).pk}/",
    ),
}


def test_every_object_route_is_covered():
    assert sorted(api_object_routes()) == sorted(CASES)


def test_every_write_on_an_object_route_is_covered():
    writes = {
        (pattern.name, method)
        for pattern in api_object_patterns()
        for method in ("post", "put", "patch", "delete")
        if hasattr(pattern.callback.view_class, method)
    }
    assert writes == {(route, method) for route, (method, _build) in WRITE_CASES.items()}


@pytest.mark.parametrize("route", sorted(CASES))
def test_object_outside_scope_is_404(db, route):
    partner = make_partner()
    method, build = CASES[route]
    url = build(DivisionFactory())
    response = getattr(partner.client, method)(url)
    assert response.status_code == 404
    assert response.json()["title"] == "Not found"


@pytest.mark.parametrize("route", sorted(WRITE_CASES))
def test_write_outside_scope_is_404_and_changes_nothing(db, route):
    partner = make_partner()
    method, build = WRITE_CASES[route]
    url = build(DivisionFactory())
    response = getattr(partner.client, method)(url, {"stage": "id_verified"}, format="json")
    assert response.status_code == 404
    assert DbsCheck.objects.get().stage == "awaiting_candidate"


@pytest.mark.parametrize("route", sorted(CASES))
def test_same_object_inside_scope_is_found(db, route):
    """The control: the same route answers for an object in the caller's own division."""
    partner = make_partner()
    method, build = CASES[route]
    url = build(partner.division)
    assert getattr(partner.client, method)(url).status_code == 200


def test_lists_hide_other_divisions(db):
    partner = make_partner()
    mine = ApplicationFactory(vacancy=AdvertisedVacancyFactory(division=partner.division))
    ApplicationFactory(vacancy=AdvertisedVacancyFactory(division=DivisionFactory()))
    ids = [row["id"] for row in partner.client.get("/api/v1/applications/").json()["results"]]
    assert ids == [mine.pk]
    jobs = [row["reference"] for row in partner.client.get("/api/v1/jobs/").json()["results"]]
    assert jobs == [mine.vacancy.reference]
