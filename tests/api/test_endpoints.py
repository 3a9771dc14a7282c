"""Every read endpoint, the export, DBS checks, reference lists, pagination, schema and docs."""

from datetime import timedelta

import pytest
from django.utils import timezone

from recruitment.models import ApplicationStage, DbsCheck, DbsStage
from recruitment.services.applications import application_move
from tests.api.conftest import grant, make_partner
from tests.factories import (
    AdvertisedVacancyFactory,
    ApplicationFactory,
    DbsCheckFactory,
    DepartmentFactory,
    DivisionFactory,
    EmploymentTypeFactory,
    EqualOpportunitiesFactory,
    JobCategoryFactory,
    JobLevelFactory,
    LocationFactory,
    RegionFactory,
    SalaryBandFactory,
    SchoolLocationFactory,
    VacancyFactory,
)


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


class TestJobs:
    def test_lists_only_advertised_jobs(self, partner):
        advertised = AdvertisedVacancyFactory(division=partner.division)
        VacancyFactory(division=partner.division)  # a draft
        rows = results(partner.client.get("/api/v1/jobs/"))
        assert [row["reference"] for row in rows] == [advertised.reference]
        row = rows[0]
        assert row["title"] == advertised.title_for_candidates
        assert row["division"] == {"code": partner.division.code, "name": partner.division.name}
        assert row["apply_url"].endswith(f"/careers/jobs/{advertised.reference}/apply/")

    def test_filters_by_division(self, partner):
        other = DivisionFactory()
        partner.user.data_scope.divisions.add(other)
        wanted = AdvertisedVacancyFactory(division=other)
        AdvertisedVacancyFactory(division=partner.division)
        rows = results(partner.client.get("/api/v1/jobs/", {"division": other.code}))
        assert [row["reference"] for row in rows] == [wanted.reference]

    @pytest.mark.parametrize("field", ["department", "location", "category", "employment_type"])
    def test_filters_by_reference_codes(self, partner, field):
        wanted = AdvertisedVacancyFactory(division=partner.division)
        AdvertisedVacancyFactory(division=partner.division)
        attribute = {"category": "job_category"}.get(field, field)
        code = getattr(wanted, attribute).code
        rows = results(partner.client.get("/api/v1/jobs/", {field: code}))
        assert [row["reference"] for row in rows] == [wanted.reference]

    def test_filters_by_closing_date_and_text(self, partner):
        soon = AdvertisedVacancyFactory(
            division=partner.division, closing_date=timezone.localdate() + timedelta(days=3)
        )
        later = AdvertisedVacancyFactory(
            division=partner.division,
            closing_date=timezone.localdate() + timedelta(days=40),
            title_for_candidates="Theatre Practitioner",
        )
        after = (timezone.localdate() + timedelta(days=10)).isoformat()
        assert [r["reference"] for r in results(partner.client.get("/api/v1/jobs/", {"closing_after": after}))] == [
            later.reference
        ]
        assert [r["reference"] for r in results(partner.client.get("/api/v1/jobs/", {"search": "theatre"}))] == [
            later.reference
        ]
        assert soon.reference not in str(partner.client.get("/api/v1/jobs/", {"search": "theatre"}).json())

    def test_bad_filter_value_is_400(self, partner):
        response = partner.client.get("/api/v1/jobs/", {"closing_after": "not-a-date"})
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "closing_after"

    def test_detail_and_its_applications(self, partner):
        application = ApplicationFactory(vacancy=AdvertisedVacancyFactory(division=partner.division))
        reference = application.vacancy.reference
        assert partner.client.get(f"/api/v1/jobs/{reference}/").json()["reference"] == reference
        rows = results(partner.client.get(f"/api/v1/jobs/{reference}/applications/"))
        assert [row["candidate"]["email"] for row in rows] == [application.candidate.email]

    def test_unknown_job_is_404(self, partner):
        response = partner.client.get("/api/v1/jobs/VAC-1900-0001/")
        assert response.status_code == 404
        assert response.json()["title"] == "Not found"


class TestApplications:
    def test_detail_and_stage(self, partner):
        application = ApplicationFactory(vacancy=AdvertisedVacancyFactory(division=partner.division))
        application_move(application=application, to_stage=ApplicationStage.SCREENING, actor=None)
        detail = partner.client.get(f"/api/v1/applications/{application.pk}/").json()
        assert detail["stage"] == "screening"
        assert detail["stage_label"] == "Screening"
        stage = partner.client.get(f"/api/v1/applications/{application.pk}/stage/").json()
        assert set(stage) == {"id", "stage", "stage_label", "stage_changed_at"}
        assert stage["stage"] == "screening"

    def test_missing_document_kind_is_404(self, partner):
        application = ApplicationFactory(vacancy=AdvertisedVacancyFactory(division=partner.division))
        assert partner.client.get(f"/api/v1/applications/{application.pk}/documents/cover_letter/").status_code == 404

    def test_page_size_defaults_to_20_and_goes_up_to_100_not_beyond(self, partner):
        vacancy = AdvertisedVacancyFactory(division=partner.division)
        ApplicationFactory.create_batch(105, vacancy=vacancy)
        first = partner.client.get("/api/v1/applications/").json()
        assert len(first["results"]) == 20
        assert first["next"]
        largest = partner.client.get("/api/v1/applications/", {"page_size": 100}).json()
        assert len(largest["results"]) == 100
        assert partner.client.get("/api/v1/applications/", {"page_size": 1000}).status_code == 400

    def test_application_list_walks_by_cursor_newest_first(self, partner):
        vacancy = AdvertisedVacancyFactory(division=partner.division)
        created = [a.pk for a in ApplicationFactory.create_batch(7, vacancy=vacancy)]
        seen, url = [], "/api/v1/applications/?page_size=3"
        while url:
            body = partner.client.get(url).json()
            seen.extend(row["id"] for row in body["results"])
            url = body["next"]
        assert sorted(seen) == sorted(created)
        assert len(seen) == len(created)


class TestChangesExport:
    def test_default_is_the_last_24_hours(self, partner):
        vacancy = AdvertisedVacancyFactory(division=partner.division)
        recent = ApplicationFactory(vacancy=vacancy)
        old = ApplicationFactory(vacancy=vacancy, stage_changed_at=timezone.now() - timedelta(hours=25))
        ids = [row["id"] for row in results(partner.client.get("/api/v1/exports/changes/"))]
        assert ids == [recent.pk]
        since = (timezone.now() - timedelta(hours=30)).isoformat()
        ids = [row["id"] for row in results(partner.client.get("/api/v1/exports/changes/", {"since": since}))]
        assert ids == [old.pk, recent.pk]

    def test_rows_carry_candidate_job_and_document_links(self, partner):
        application = ApplicationFactory(vacancy=AdvertisedVacancyFactory(division=partner.division))
        from tests.factories import ApplicationDocumentFactory

        ApplicationDocumentFactory(application=application, kind="cv")
        [row] = results(partner.client.get("/api/v1/exports/changes/"))
        assert row["candidate"]["email"] == application.candidate.email
        assert row["job"]["reference"] == application.vacancy.reference
        assert row["documents"][0]["url"].endswith(f"/api/v1/applications/{application.pk}/documents/cv/")

    def test_equal_opportunities_only_with_their_permission(self, db):
        partner = make_partner()
        application = ApplicationFactory(vacancy=AdvertisedVacancyFactory(division=partner.division))
        EqualOpportunitiesFactory(application=application, ethnicity="white_irish")
        [row] = results(partner.client.get("/api/v1/exports/changes/"))
        assert row["equal_opportunities"] is None
        grant(partner.user, "view_equalopportunities")
        [row] = results(partner.client.get("/api/v1/exports/changes/"))
        assert row["equal_opportunities"]["ethnicity"] == "white_irish"

    def test_cursor_pages_walk_every_row_once(self, partner):
        vacancy = AdvertisedVacancyFactory(division=partner.division)
        created = {a.pk for a in ApplicationFactory.create_batch(7, vacancy=vacancy)}
        seen, url = [], "/api/v1/exports/changes/?page_size=3"
        while url:
            body = partner.client.get(url).json()
            seen.extend(row["id"] for row in body["results"])
            url = body["next"]
        assert sorted(seen) == sorted(created)
        assert len(seen) == len(created)

    def test_bad_since_is_400(self, partner):
        response = partner.client.get("/api/v1/exports/changes/", {"since": "yesterday"})
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "since"


class TestDbsChecks:
    def test_awaiting_filter(self, partner):
        awaiting = DbsCheckFactory(application__vacancy__division=partner.division)
        DbsCheckFactory(application__vacancy__division=partner.division, stage=DbsStage.SUBMITTED)
        rows = results(partner.client.get("/api/v1/dbs-checks/", {"stage": "awaiting"}))
        assert [row["id"] for row in rows] == [awaiting.pk]
        assert rows[0]["level"] == awaiting.level
        assert rows[0]["workforce"] == awaiting.workforce

    def test_advance_with_the_back_office_rules(self, partner):
        check = DbsCheckFactory(application__vacancy__division=partner.division, stage=DbsStage.WITH_DBS)
        url = f"/api/v1/dbs-checks/{check.pk}/"
        short = partner.client.patch(
            url, {"stage": "certificate_issued", "certificate_number": "12345678901"}, format="json"
        )
        assert short.status_code == 400
        assert short.json()["errors"] == [
            {"field": "certificate_number", "message": "Enter the certificate number: exactly 12 digits."}
        ]
        check.refresh_from_db()
        assert (check.stage, check.certificate_number) == (DbsStage.WITH_DBS, "")
        good = partner.client.patch(
            url,
            {
                "stage": "certificate_issued",
                "certificate_number": "123456789012",
                "certificate_issue_date": "2026-11-01",
            },
            format="json",
        )
        assert good.status_code == 200, good.content
        assert good.json()["stage"] == "certificate_issued"
        check.refresh_from_db()
        assert check.certificate_number == "123456789012"

    def test_refused_transition_is_409_and_changes_nothing(self, partner):
        check = DbsCheckFactory(application__vacancy__division=partner.division)
        response = partner.client.patch(f"/api/v1/dbs-checks/{check.pk}/", {"stage": "clear"}, format="json")
        assert response.status_code == 409
        assert "cannot move from Awaiting candidate to Clear" in response.json()["detail"]
        assert DbsCheck.objects.get().stage == DbsStage.AWAITING_CANDIDATE

    def test_dbs_data_needs_its_own_permission(self, db):
        partner = make_partner(permissions=("view_vacancy", "view_application"))
        DbsCheckFactory(application__vacancy__division=partner.division)
        assert partner.client.get("/api/v1/dbs-checks/").status_code == 403


REFERENCE_FACTORIES = {
    "divisions": DivisionFactory,
    "departments": DepartmentFactory,
    "locations": LocationFactory,
    "regions": RegionFactory,
    "job-categories": JobCategoryFactory,
    "salary-bands": SalaryBandFactory,
    "employment-types": EmploymentTypeFactory,
    "job-levels": JobLevelFactory,
    "school-locations": SchoolLocationFactory,
}


@pytest.mark.parametrize("segment", sorted(REFERENCE_FACTORIES))
def test_reference_lists(partner, segment):
    entry = REFERENCE_FACTORIES[segment]()
    rows = results(partner.client.get(f"/api/v1/{segment}/", {"page_size": 100}))
    assert entry.code in [row["code"] for row in rows]


def test_schema_and_docs_are_served_without_a_cdn(client, db):
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/exports/changes/" in schema.content
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "drf_spectacular_sidecar" in html
    assert "cdn" not in html.lower()
