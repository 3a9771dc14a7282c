"""The lean list pages write exactly what their serializers would: the serializers stay the schema and the contract.

Each case builds the body both ways for the same rows (ApplicationBodies / JobBodies from dict rows, the serializer
from model objects) and compares them, key order included, over the values that are easy to get wrong: times in
summer and winter, decimals, missing relations, documents and equal-opportunities answers with and without the
permissions.
"""

import datetime
import json
from decimal import Decimal

import pytest
from django.test import RequestFactory
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request

from recruitment.api.renderers import OrjsonRenderer
from recruitment.api.rows import decimal_text, iso_datetime, link_template
from recruitment.api.serializers.applications import (
    ApplicationBodies,
    ApplicationSerializer,
    ApplicationWithEqualOpportunitiesSerializer,
)
from recruitment.api.serializers.jobs import JobBodies, JobSerializer
from recruitment.models import Application, ApplicationSource, ApplicationStage, DurationUnit, SalaryType, Vacancy
from recruitment.selectors.applications import application_documents, application_list, application_rows
from recruitment.selectors.vacancies import job_list, job_rows
from recruitment.services.partners import partner_client_create
from tests.api.conftest import grant
from tests.factories import (
    AdvertisedVacancyFactory,
    ApplicationDocumentFactory,
    ApplicationFactory,
    CandidateFactory,
    EmploymentTypeFactory,
    EqualOpportunitiesFactory,
    JobLevelFactory,
    SalaryBandFactory,
)

WINTER = datetime.datetime(2026, 1, 12, 9, 30, tzinfo=datetime.UTC)
SUMMER = datetime.datetime(2026, 7, 3, 23, 15, 7, 123456, tzinfo=datetime.UTC)


def api_request(user):
    request = Request(RequestFactory().get("/api/v1/applications/"))
    request.user = user
    return request


@pytest.fixture
def applications(partner):
    """Applications covering the shapes: a partner's with both documents and answers, a board's in summer time,
    one with nothing attached."""
    client, _ = partner_client_create(name="Payroll")
    vacancy = AdvertisedVacancyFactory(division=partner.division)
    full = ApplicationFactory(
        vacancy=vacancy,
        candidate=CandidateFactory(registration_body="nmc", registration_number="12A3456B", address_line_2="Flat 2"),
        source=ApplicationSource.PARTNER,
        partner_client=client,
        source_name=client.name,
        stage=ApplicationStage.INTERVIEW,
        submitted_at=WINTER,
        stage_changed_at=SUMMER,
        cover_letter="Line one\nLine two — with “quotes” and émoji 🙂",
    )
    ApplicationDocumentFactory(application=full, kind="cv")
    ApplicationDocumentFactory(application=full, kind="cover_letter", original_name="letter.pdf")
    EqualOpportunitiesFactory(application=full, ethnicity="white_irish", sex="female")
    ApplicationFactory(vacancy=vacancy, source="jobsphere", submitted_at=SUMMER, stage_changed_at=SUMMER)
    ApplicationFactory(vacancy=vacancy, stage=ApplicationStage.REJECTED)
    return Application.objects.filter(vacancy=vacancy)


def lean(user, *, export: bool, with_eo: bool) -> list[dict]:
    request = api_request(user)
    rows = list(application_rows(user=user, with_equal_opportunities=with_eo))
    bodies = ApplicationBodies(request, export=export, with_equal_opportunities=with_eo)
    documents = application_documents(application_ids=[row["id"] for row in rows])
    return [bodies.body(row, documents.get(row["id"], [])) for row in rows]


def serialized(user, serializer_class, **context) -> list[dict]:
    request = api_request(user)
    objects = application_list(user=user).select_related("equal_opportunities")
    data = serializer_class(objects, many=True, context={"request": request, **context}).data
    return json.loads(json.dumps(data))


@pytest.mark.parametrize("documents_permission", [True, False], ids=["documents", "no-documents"])
def test_application_list_bodies_equal_the_serializers(partner, applications, documents_permission):
    if not documents_permission:
        partner.user.user_permissions.remove(*partner.user.user_permissions.filter(codename="view_applicationdocument"))
        partner.user = type(partner.user).objects.get(pk=partner.user.pk)  # a fresh permission cache
    ours = lean(partner.user, export=False, with_eo=False)
    assert ours == serialized(partner.user, ApplicationSerializer)
    assert [list(body) for body in ours] == [list(body) for body in serialized(partner.user, ApplicationSerializer)]
    assert any(body["documents"] for body in ours) is documents_permission


@pytest.mark.parametrize("with_eo", [True, False], ids=["answers", "no-answers"])
def test_export_bodies_equal_the_serializers(partner, applications, with_eo):
    if with_eo:
        grant(partner.user, "view_equalopportunities")
    ours = lean(partner.user, export=True, with_eo=with_eo)
    theirs = serialized(partner.user, ApplicationWithEqualOpportunitiesSerializer, include_equal_opportunities=with_eo)
    assert ours == theirs
    assert [list(body) for body in ours] == [list(body) for body in theirs]
    assert any(body["equal_opportunities"] for body in ours) is with_eo


def test_bodies_never_carry_answers_the_caller_may_not_read(partner, applications):
    """Rows read with the answers still give none when the caller may not read them."""
    ours = lean(partner.user, export=True, with_eo=False)
    assert all(body["equal_opportunities"] is None for body in ours)
    listed = ApplicationBodies(api_request(partner.user), export=False, with_equal_opportunities=True)
    [row, *_] = application_rows(user=partner.user, with_equal_opportunities=True)
    assert "equal_opportunities" not in listed.body(row, [])


@pytest.fixture
def jobs(partner):
    """Jobs covering the shapes: every relation set, a negotiable salary with no band, level or hours, a fixed-term
    contract, advertised in summer time."""
    AdvertisedVacancyFactory(
        division=partner.division,
        job_level=JobLevelFactory(),
        salary_band=SalaryBandFactory(),
        hours_per_week=Decimal("37.5"),
        advertised_at=SUMMER,
    )
    AdvertisedVacancyFactory(
        division=partner.division,
        salary_type=SalaryType.NEGOTIABLE,
        salary_min=None,
        salary_max=None,
        working_patterns=["part_time", "job_share"],
        advertised_at=WINTER,
    )
    AdvertisedVacancyFactory(
        division=partner.division,
        employment_type=EmploymentTypeFactory(contract_kind="fixed_term"),
        contract_duration_length=6,
        contract_duration_unit=DurationUnit.MONTHS,
        salary_min=Decimal("30000"),
        salary_max=Decimal("31000.5"),
    )
    return Vacancy.objects.filter(division=partner.division)


def test_job_bodies_equal_the_serializers(partner, jobs):
    bodies = JobBodies()
    ours = [bodies.body(row) for row in job_rows(user=partner.user)]
    theirs = json.loads(json.dumps(JobSerializer(job_list(user=partner.user), many=True).data))
    assert len(ours) == 3
    assert ours == theirs
    assert [list(body) for body in ours] == [list(body) for body in theirs]


@pytest.mark.parametrize("value", [WINTER, SUMMER, datetime.datetime(2026, 3, 29, 1, 0, 0, 1, tzinfo=datetime.UTC)])
def test_iso_datetime_is_drfs_format(value, settings):
    from django.utils import timezone
    from rest_framework import serializers

    assert iso_datetime(value, timezone.get_current_timezone()) == serializers.DateTimeField().to_representation(value)


@pytest.mark.parametrize(("value", "places"), [(Decimal("36483"), 2), (Decimal("0.5"), 1), (Decimal("12.345"), 2)])
def test_decimal_text_is_drfs_format(value, places):
    from rest_framework import serializers

    field = serializers.DecimalField(max_digits=10, decimal_places=places)
    assert decimal_text(value, places) == field.to_representation(value)


def test_link_template_gives_what_reverse_gives(rf):
    from django.urls import reverse

    template = link_template("api:application-document", request=rf.get("/"), pk=918273645546372819, kind="k-mark")
    assert template.format(pk=42, kind="cv") == "http://testserver" + reverse(
        "api:application-document", args=[42, "cv"]
    )


def test_link_template_refuses_a_marker_it_cannot_find_once():
    with pytest.raises(ValueError, match="not found once"):
        link_template("api:application-document", pk=1, kind="1")


def test_orjson_renderer_writes_what_drfs_renderer_writes():
    from django.utils.translation import gettext_lazy

    data = {
        "when": SUMMER,
        "day": datetime.date(2026, 7, 3),
        "amount": Decimal("12.50"),
        "label": gettext_lazy("Not found"),
        "nested": [{"a": 1, "b": None, "c": "é\u2028"}],
        1: "a number as a key",
    }
    assert json.loads(OrjsonRenderer().render(data)) == json.loads(JSONRenderer().render(data))
