"""DBS checks in the back-office: list by stage, advancing, certificate number and decision, scope and permissions."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from recruitment.models import DbsCheckEvent, DbsStage
from tests.factories import DbsCheckFactory, DbsVacancyFactory, DivisionFactory
from tests.test_web_support import htmx, make_user, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def division():
    return DivisionFactory()


@pytest.fixture
def recruiter(division):
    return make_user(divisions=[division])


def _check(division, **fields):
    return DbsCheckFactory(application__vacancy=DbsVacancyFactory(division=division), **fields)


def test_list_by_stage(recruiter, division):
    waiting = _check(division)
    done = _check(division, stage=DbsStage.CANCELLED)
    client = signed_in(recruiter)
    text = client.get(reverse("dbs-list"), {"stage": "waiting"}).text
    assert waiting.application.candidate.full_name in text
    assert done.application.candidate.full_name not in text
    text = client.get(reverse("dbs-list"), {"stage": "cancelled"}).text
    assert done.application.candidate.full_name in text
    assert "Awaiting candidate (1)" in client.get(reverse("dbs-list")).text
    assert "Enhanced" in text  # the level required, from the vacancy


def test_list_is_scoped_and_constant_in_queries(recruiter, division):
    outside = _check(DivisionFactory())
    _check(division)
    client = signed_in(recruiter)
    assert outside.application.candidate.full_name not in client.get(reverse("dbs-list")).text
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("dbs-list"))
    for _ in range(29):
        _check(division)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("dbs-list"))
    assert len(many) == len(one)
    assert "<html" not in htmx(client, reverse("dbs-list"), stage="waiting").text


def test_detail_out_of_scope_is_404(recruiter):
    check = _check(DivisionFactory())
    assert signed_in(recruiter).get(reverse("dbs-detail", args=[check.pk])).status_code == 404


def test_advance_one_stage(recruiter, division):
    check = _check(division)
    response = signed_in(recruiter).post(
        reverse("dbs-detail", args=[check.pk]), {"to_stage": "id_verified", "note": "Passport seen"}
    )
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.stage == DbsStage.ID_VERIFIED
    assert DbsCheckEvent.objects.filter(dbs_check=check, to_stage="id_verified", actor=recruiter).exists()


def test_eleven_digit_certificate_number_is_refused_next_to_the_field(recruiter, division):
    check = _check(division, stage=DbsStage.WITH_DBS)
    today = timezone.localdate().isoformat()
    response = signed_in(recruiter).post(
        reverse("dbs-detail", args=[check.pk]),
        {"to_stage": "certificate_issued", "certificate_number": "00123456789", "certificate_issue_date": today},
    )
    assert response.status_code == 200
    assert 'id="id_certificate_number-error"' in response.text
    assert "Enter the certificate number: exactly 12 digits." in response.text
    assert 'value="00123456789"' in response.text
    assert 'href="#id_certificate_number"' in response.text
    check.refresh_from_db()
    assert check.stage == DbsStage.WITH_DBS


def test_certificate_issued_needs_number_and_date(recruiter, division):
    check = _check(division, stage=DbsStage.WITH_DBS)
    response = signed_in(recruiter).post(reverse("dbs-detail", args=[check.pk]), {"to_stage": "certificate_issued"})
    assert "Enter the certificate number: exactly 12 digits." in response.text
    assert "Enter the date the certificate was issued." in response.text


def test_record_certificate_and_decision(recruiter, division):
    check = _check(division, stage=DbsStage.WITH_DBS)
    client = signed_in(recruiter)
    url = reverse("dbs-detail", args=[check.pk])
    issued = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    client.post(
        url, {"to_stage": "certificate_issued", "certificate_number": "001234567890", "certificate_issue_date": issued}
    )
    client.post(url, {"to_stage": "clear"})
    response = client.post(url, {"to_stage": "decision_recorded"})
    assert "Choose the recruitment decision." in response.text
    client.post(url, {"to_stage": "decision_recorded", "decision": "proceed"})
    check.refresh_from_db()
    assert check.certificate_number == "001234567890"
    assert check.stage == DbsStage.DECISION_RECORDED
    assert check.decision == "proceed"
    assert check.decision_by == recruiter


def test_a_stage_not_allowed_is_refused(recruiter, division):
    check = _check(division)
    response = signed_in(recruiter).post(reverse("dbs-detail", args=[check.pk]), {"to_stage": "clear"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.text


def test_advance_needs_change_permission(division):
    viewer = make_user(divisions=[division], permissions=("view_dbscheck",))
    check = _check(division)
    client = signed_in(viewer)
    page = client.get(reverse("dbs-detail", args=[check.pk]))
    assert page.status_code == 200
    assert "Advance the check" not in page.text
    assert client.post(reverse("dbs-detail", args=[check.pk]), {"to_stage": "id_verified"}).status_code == 403
    check.refresh_from_db()
    assert check.stage == DbsStage.AWAITING_CANDIDATE
    assert not DbsCheckEvent.objects.filter(dbs_check=check).exists()


def test_list_needs_view_permission(division):
    assert signed_in(make_user(divisions=[division], permissions=())).get(reverse("dbs-list")).status_code == 403
