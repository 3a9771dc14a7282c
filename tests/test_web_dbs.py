"""DBS checks in the back-office: list by stage, advancing, certificate number and decision, scope and permissions."""

import datetime
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from recruitment.models import DbsCheckEvent, DbsStage
from tests.factories import DbsCheckFactory, DbsVacancyFactory, DivisionFactory
from tests.test_web_support import date_parts, htmx, make_user, signed_in

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


def _queries(client, url: str, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


def test_list_is_scoped_and_constant_in_queries(recruiter, division):
    """The same queries for a list of one page, of two and of three, on its first page and its last: the list is
    paged by keyset (no OFFSET), its size is the sum of the counts by stage the tabs show, and a search (whose size
    those counts do not give) counts its matches no further than the limit, in one query more."""
    outside = _check(DivisionFactory())
    _check(division)
    client = signed_in(recruiter)
    url = reverse("dbs-list")
    assert outside.application.candidate.full_name not in client.get(url).text
    one_page = _queries(client, url)
    for _ in range(54):
        _check(division)
    first = client.get(url)
    assert "55 checks" in first.text
    assert _queries(client, url) == one_page
    assert _queries(client, f"{url}{_next_link(first.text)}") == one_page
    searched = client.get(url, {"q": "okafor"})
    assert "55 checks" in searched.text
    assert _queries(client, f"{url}{_next_link(searched.text)}") == one_page + 1
    assert "<html" not in htmx(client, url, stage="waiting").text


def _next_link(text: str) -> str:
    return html.unescape(
        re.search(r'<a href="([^"]+)" class="nhsuk-pagination__link nhsuk-pagination__link--next"', text).group(1)
    )


def test_pages_walk_every_check_once_keeping_search_stage_and_sort(recruiter, division):
    for number in range(30):
        _check(division, application__candidate__last_name=f"Walker{number}")
    _check(division, application__candidate__last_name="Other")
    client = signed_in(recruiter)
    url = reverse("dbs-list")
    params = {"q": "walker", "stage": "awaiting_candidate", "sort": "recent"}
    first = client.get(url, params)
    assert "30 checks" in first.text
    assert "Previous" not in first.text
    link = _next_link(first.text)
    assert all(f"{name}={value}" in link for name, value in params.items())
    second = client.get(f"{url}{link}")
    shown = [re.findall(r'data-check="(\d+)"', page.text) for page in (first, second)]
    assert len(shown[0]) == 25
    assert len(shown[1]) == 5
    assert len(set(shown[0] + shown[1])) == 30
    assert 'class="nhsuk-pagination__link nhsuk-pagination__link--prev"' in second.text
    assert 'class="nhsuk-pagination__link nhsuk-pagination__link--next"' not in second.text


def test_a_tampered_page_link_shows_the_first_page_and_says_so(recruiter, division):
    check = _check(division)
    response = signed_in(recruiter).get(reverse("dbs-list"), {"cursor": "eyJ2IjpbMV0sImIiOjB9", "sort": "waiting"})
    assert response.status_code == 200
    assert "The page you asked for is no longer there" in response.text
    assert f'data-check="{check.pk}"' in response.text


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
    today = date_parts("certificate_issue_date", timezone.localdate())
    response = signed_in(recruiter).post(
        reverse("dbs-detail", args=[check.pk]),
        {"to_stage": "certificate_issued", "certificate_number": "00123456789", **today},
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
    assert "Enter the certificate number: the 12 digits printed on the certificate." in response.text
    assert "Enter the certificate issue date." in response.text


def test_every_error_of_the_form_is_reported_at_once(recruiter, division):
    """A malformed number, a date without its month and a decision the stage does not take: three errors on one save
    (the form used to stop at the first kind it found)."""
    check = _check(division, stage=DbsStage.WITH_DBS)
    response = signed_in(recruiter).post(
        reverse("dbs-detail", args=[check.pk]),
        {
            "to_stage": "certificate_issued",
            "certificate_number": "123",
            "certificate_issue_date_day": "3",
            "certificate_issue_date_year": "2026",
            "decision": "proceed",
        },
    )
    summary = response.text.split("nhsuk-error-summary__list")[1].split("</ul>")[0]
    assert "Enter the certificate number: exactly 12 digits." in summary
    assert "Certificate issue date must include a month." in summary
    assert "The recruitment decision is recorded only when the check moves to Decision recorded" in summary
    assert 'href="#id_certificate_issue_date_month"' in summary  # the part that is missing
    check.refresh_from_db()
    assert (check.stage, check.decision, check.certificate_number) == (DbsStage.WITH_DBS, "", "")


def test_a_certificate_number_typed_for_another_stage_is_refused_not_dropped(recruiter, division):
    check = _check(division, stage=DbsStage.WITH_DBS)
    response = signed_in(recruiter).post(
        reverse("dbs-detail", args=[check.pk]), {"to_stage": "cancelled", "certificate_number": "001234567890"}
    )
    assert response.status_code == 200
    assert (
        "The certificate number is recorded only when the check moves to Certificate issued, not Cancelled: "
        "clear it, or choose Certificate issued." in response.text
    )
    assert 'value="001234567890"' in response.text  # still there, to move or clear
    check.refresh_from_db()
    assert check.stage == DbsStage.WITH_DBS


def test_the_fields_of_a_stage_sit_under_its_radio(recruiter, division):
    check = _check(division, stage=DbsStage.WITH_DBS)
    text = signed_in(recruiter).get(reverse("dbs-detail", args=[check.pk])).text
    conditional = text.split('id="conditional-certificate_issued"')[1].split("</fieldset>")[0]
    assert 'name="certificate_number"' in conditional
    assert 'name="certificate_issue_date_day"' in conditional
    assert 'data-app-conditional="conditional-certificate_issued"' in text
    assert "(optional)" not in conditional  # needed for this stage, not optional


def test_record_certificate_and_decision(recruiter, division):
    check = _check(division, stage=DbsStage.WITH_DBS)
    client = signed_in(recruiter)
    url = reverse("dbs-detail", args=[check.pk])
    issued = date_parts("certificate_issue_date", timezone.localdate() - datetime.timedelta(days=1))
    client.post(url, {"to_stage": "certificate_issued", "certificate_number": "0012 3456 7890", **issued})
    client.post(url, {"to_stage": "clear"})
    response = client.post(url, {"to_stage": "decision_recorded"})
    assert "Select the recruitment decision." in response.text
    client.post(url, {"to_stage": "decision_recorded", "decision": "proceed"})
    check.refresh_from_db()
    assert check.certificate_number == "001234567890"
    assert check.certificate_issue_date == timezone.localdate() - datetime.timedelta(days=1)
    assert check.stage == DbsStage.DECISION_RECORDED
    assert check.decision == "proceed"
    assert check.decision_by == recruiter


def test_a_stage_not_allowed_is_refused(recruiter, division):
    check = _check(division)
    response = signed_in(recruiter).post(reverse("dbs-detail", args=[check.pk]), {"to_stage": "clear"})
    assert response.status_code == 200
    assert "Select a stage this check can move to now." in response.text
    check.refresh_from_db()
    assert check.stage == DbsStage.AWAITING_CANDIDATE


def test_the_check_page_links_to_the_candidate_and_the_application(recruiter, division):
    check = _check(division)
    text = signed_in(recruiter).get(reverse("dbs-detail", args=[check.pk])).text
    candidate_url = reverse("candidate-detail", args=[check.application.candidate_id])
    assert f'href="{candidate_url}"' in text
    assert f'href="{candidate_url}#application-{check.application_id}"' in text
    assert f'href="{reverse("pipeline", args=[check.application.vacancy_id])}"' in text


def test_the_log_and_the_decision_show_names_not_usernames(recruiter, division):
    recruiter.first_name, recruiter.last_name = "Priya", "Shah"
    recruiter.save()
    check = _check(division, stage=DbsStage.CLEAR)
    signed_in(recruiter).post(
        reverse("dbs-detail", args=[check.pk]), {"to_stage": "decision_recorded", "decision": "proceed"}
    )
    text = signed_in(recruiter).get(reverse("dbs-detail", args=[check.pk])).text
    log = text.split("Log of the DBS check")[1]
    assert "Priya Shah" in log
    assert recruiter.username not in log
    assert "(Priya Shah, " in text


def test_search_by_candidate_vacancy_and_whole_certificate_number(recruiter, division):
    ada = _check(division, application__candidate__first_name="Ada", application__candidate__last_name="Lovelace")
    ben = _check(division, stage=DbsStage.CERTIFICATE_ISSUED, certificate_number="001234567890")
    client = signed_in(recruiter)

    def found(q: str) -> set[int]:
        text = client.get(reverse("dbs-list"), {"q": q}).text
        return {check.pk for check in (ada, ben) if f'data-check="{check.pk}"' in text}

    assert found("ada lovelace") == {ada.pk}
    assert found(ben.application.vacancy.reference) == {ben.pk}
    assert found("0012 3456 7890") == {ben.pk}
    assert found("001234") == set()  # a part of a number finds nothing: no guessing digit by digit


def test_the_list_puts_what_needs_action_first(recruiter, division):
    now = timezone.now()
    with_dbs = _check(division, stage=DbsStage.WITH_DBS, stage_changed_at=now - datetime.timedelta(days=30))
    review = _check(division, stage=DbsStage.NEEDS_REVIEW, stage_changed_at=now)
    awaiting = _check(division, stage=DbsStage.AWAITING_CANDIDATE, stage_changed_at=now - datetime.timedelta(days=2))
    done = _check(division, stage=DbsStage.DECISION_RECORDED, stage_changed_at=now - datetime.timedelta(days=90))
    client = signed_in(recruiter)

    def order(**params) -> list[int]:
        text = client.get(reverse("dbs-list"), params).text
        rows = [check for check in (with_dbs, review, awaiting, done) if f'data-check="{check.pk}"' in text]
        return [check.pk for check in sorted(rows, key=lambda c: text.index(f'data-check="{c.pk}"'))]

    assert order() == [review.pk, awaiting.pk, with_dbs.pk, done.pk]
    assert order(sort="waiting") == [with_dbs.pk, awaiting.pk, review.pk, done.pk]  # ended checks wait for nothing
    assert order(sort="recent") == [review.pk, awaiting.pk, with_dbs.pk, done.pk]
    assert order(sort="nonsense") == order()


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


def test_a_note_over_several_lines_is_counted_as_the_page_counts_it(recruiter, division):
    """500 characters as the character count shows them (line breaks count one), 749 as the browser sends them."""
    check = _check(division)
    note = "\r\n".join(["a"] * 250)
    response = signed_in(recruiter).post(
        reverse("dbs-detail", args=[check.pk]), {"to_stage": "id_verified", "note": note}
    )
    assert response.status_code == 302
    assert check.events.get(to_stage="id_verified").note == "\n".join(["a"] * 250)
