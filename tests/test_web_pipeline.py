"""The applications pipeline: moving many applications, rejecting with a reason, refused moves, permissions."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from recruitment.models import Application, ApplicationStage, ApplicationStageChange, DbsCheck
from recruitment.web.pipeline import OVERVIEW_SIZE, STAGE_SIZE
from tests.factories import (
    AdvertisedVacancyFactory,
    ApplicationDocumentFactory,
    ApplicationFactory,
    DbsVacancyFactory,
    DivisionFactory,
)
from tests.test_web_support import htmx, make_user, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def division():
    return DivisionFactory()


@pytest.fixture
def vacancy(division):
    return AdvertisedVacancyFactory(division=division)


@pytest.fixture
def recruiter(division):
    return make_user(divisions=[division])


def test_pipeline_groups_applications_by_stage(recruiter, vacancy):
    ApplicationFactory(vacancy=vacancy, stage=ApplicationStage.SHORTLISTED, candidate__last_name="Shortlisted")
    response = signed_in(recruiter).get(reverse("pipeline", args=[vacancy.pk]))
    assert response.status_code == 200
    assert 'id="stage-shortlisted"' in response.text
    assert "Shortlisted" in response.text


def test_move_many_with_a_note(recruiter, vacancy):
    first, second = ApplicationFactory.create_batch(2, vacancy=vacancy)
    response = signed_in(recruiter).post(
        reverse("pipeline-move", args=[vacancy.pk]),
        {"applications": [first.pk, second.pk], "to_stage": "screening", "note": "Looks good"},
    )
    assert response.status_code == 302
    for application in (first, second):
        application.refresh_from_db()
        assert application.stage == ApplicationStage.SCREENING
    change = ApplicationStageChange.objects.get(application=first, to_stage="screening")
    assert change.note == "Looks good"
    assert change.changed_by == recruiter


def test_refused_transition_is_reported_not_a_crash(recruiter, vacancy):
    application = ApplicationFactory(vacancy=vacancy)
    client = signed_in(recruiter)
    response = client.post(
        reverse("pipeline-move", args=[vacancy.pk]),
        {"applications": [application.pk], "to_stage": "hired"},
        follow=True,
    )
    assert response.status_code == 200
    assert "application cannot move from New to Hired." in response.text
    application.refresh_from_db()
    assert application.stage == ApplicationStage.NEW


def test_htmx_move_returns_the_fragment_with_refusals(recruiter, vacancy):
    movable = ApplicationFactory(vacancy=vacancy)
    stuck = ApplicationFactory(vacancy=vacancy, stage=ApplicationStage.HIRED)
    response = htmx(
        signed_in(recruiter),
        reverse("pipeline-move", args=[vacancy.pk]),
        "post",
        applications=[movable.pk, stuck.pk],
        to_stage="shortlisted",
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="pipeline"' in response.text
    assert "Moved 1 application." in response.text
    assert f"{stuck.candidate.full_name}: " in response.text
    assert "cannot move from Hired to Shortlisted." in response.text


def test_reject_needs_a_reason(recruiter, vacancy):
    application = ApplicationFactory(vacancy=vacancy)
    client = signed_in(recruiter)
    url = reverse("pipeline-move", args=[vacancy.pk])
    response = client.post(url, {"applications": [application.pk], "to_stage": "rejected", "note": ""})
    assert response.status_code == 200
    assert "Enter the reason for rejecting the applications." in response.text
    assert f'value="{application.pk}" checked' in response.text  # the ticks are kept
    client.post(url, {"applications": [application.pk], "to_stage": "rejected", "note": "Not registered"})
    application.refresh_from_db()
    assert application.stage == ApplicationStage.REJECTED
    assert application.rejection_reason == "Not registered"


def test_move_form_errors_are_shown(recruiter, vacancy):
    response = signed_in(recruiter).post(reverse("pipeline-move", args=[vacancy.pk]), {"to_stage": ""})
    assert "Select at least one application to move." in response.text
    assert "Choose the stage to move the applications to." in response.text
    assert "nhsuk-error-summary" in response.text


def test_applications_of_another_vacancy_cannot_be_moved(recruiter, vacancy, division):
    other = ApplicationFactory(vacancy=AdvertisedVacancyFactory(division=division))
    response = signed_in(recruiter).post(
        reverse("pipeline-move", args=[vacancy.pk]), {"applications": [other.pk], "to_stage": "screening"}
    )
    assert response.status_code == 200  # the form refuses the unknown choice
    other.refresh_from_db()
    assert other.stage == ApplicationStage.NEW


def test_moving_to_pre_employment_checks_opens_the_dbs_check(recruiter, division):
    vacancy = DbsVacancyFactory(division=division)
    application = ApplicationFactory(vacancy=vacancy, stage=ApplicationStage.OFFER)
    response = signed_in(recruiter).post(
        reverse("pipeline-move", args=[vacancy.pk]),
        {"applications": [application.pk], "to_stage": "pre_employment_checks"},
        follow=True,
    )
    check = DbsCheck.objects.get(application=application)
    # The page says so and links to the check.
    expected = (
        f"A DBS check was opened for {application.candidate.full_name}: "
        f'<a href="{reverse("dbs-detail", args=[check.pk])}">open the DBS check</a>.'
    )
    assert expected in response.text


def test_the_htmx_move_says_which_dbs_checks_it_opened(recruiter, division):
    vacancy = DbsVacancyFactory(division=division)
    needs = ApplicationFactory(vacancy=vacancy, stage=ApplicationStage.OFFER)
    refused = ApplicationFactory(vacancy=vacancy, stage=ApplicationStage.NEW)
    response = htmx(
        signed_in(recruiter),
        reverse("pipeline-move", args=[vacancy.pk]),
        "post",
        applications=[needs.pk, refused.pk],
        to_stage="pre_employment_checks",
    )
    check = DbsCheck.objects.get()
    opened = response.text.split('class="app-dbs-opened"')
    assert len(opened) == 2  # one check, for the application that moved
    assert needs.candidate.full_name in opened[1]
    assert f'href="{reverse("dbs-detail", args=[check.pk])}"' in opened[1]


def test_no_dbs_message_when_the_post_needs_no_check(recruiter, vacancy):
    application = ApplicationFactory(vacancy=vacancy, stage=ApplicationStage.OFFER)
    response = signed_in(recruiter).post(
        reverse("pipeline-move", args=[vacancy.pk]),
        {"applications": [application.pk], "to_stage": "pre_employment_checks"},
        follow=True,
    )
    assert "A DBS check was opened" not in response.text
    assert not DbsCheck.objects.exists()


def test_move_needs_change_permission(division, vacancy):
    viewer = make_user(divisions=[division], permissions=("view_application",))
    application = ApplicationFactory(vacancy=vacancy)
    client = signed_in(viewer)
    assert client.get(reverse("pipeline", args=[vacancy.pk])).status_code == 200
    response = client.post(
        reverse("pipeline-move", args=[vacancy.pk]), {"applications": [application.pk], "to_stage": "screening"}
    )
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.stage == ApplicationStage.NEW
    assert not application.stage_changes.exists()


def test_out_of_scope_pipeline_is_404(vacancy):
    application = ApplicationFactory(vacancy=vacancy)
    outsider = make_user(divisions=[DivisionFactory()])
    client = signed_in(outsider)
    assert client.get(reverse("pipeline", args=[vacancy.pk])).status_code == 404
    move = {"applications": [application.pk], "to_stage": "screening"}
    assert client.post(reverse("pipeline-move", args=[vacancy.pk]), move).status_code == 404
    application.refresh_from_db()
    assert application.stage == ApplicationStage.NEW


def test_documents_only_for_permitted_users(division, vacancy):
    document = ApplicationDocumentFactory(application__vacancy=vacancy)
    url = reverse("pipeline", args=[vacancy.pk])
    link = reverse("document-download", args=[document.pk])
    assert link in signed_in(make_user(divisions=[division])).get(url).text
    without = make_user(divisions=[division], permissions=("view_application",))
    assert link not in signed_in(without).get(url).text
    assert signed_in(without).get(link).status_code == 403


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_pipeline_queries_do_not_grow_with_rows(recruiter, vacancy):
    client = signed_in(recruiter)
    url = reverse("pipeline", args=[vacancy.pk])
    ApplicationDocumentFactory(application__vacancy=vacancy)
    one = _queries(client, url)
    for _ in range(29):
        ApplicationDocumentFactory(application__vacancy=vacancy)
    assert _queries(client, url) == one


def test_application_list_filters_and_queries(recruiter, vacancy):
    waiting = ApplicationFactory(vacancy=vacancy, candidate__last_name="Waiting")
    done = ApplicationFactory(vacancy=vacancy, stage=ApplicationStage.HIRED, candidate__last_name="Hired")
    client = signed_in(recruiter)
    url = reverse("application-list")
    text = client.get(url, {"stage": "awaiting_decision"}).text
    assert waiting.candidate.full_name in text
    assert done.candidate.full_name not in text
    assert waiting.candidate.full_name in client.get(url, {"q": "waiting"}).text
    one_page = _queries(client, url)
    ApplicationFactory.create_batch(29, vacancy=vacancy)
    assert _queries(client, url) == one_page + 1  # the count: a one-page list counts its rows as it lists them
    ApplicationFactory.create_batch(25, vacancy=vacancy)
    assert _queries(client, url) == one_page + 1
    assert _queries(client, url + _link(client.get(url).text, "next")) == one_page + 1
    fragment = htmx(client, url, stage="hired")
    assert "<html" not in fragment.text
    assert done.candidate.full_name in fragment.text


def test_application_list_is_scoped(vacancy):
    ApplicationFactory(vacancy=vacancy, candidate__last_name="Hidden")
    outsider = make_user(divisions=[DivisionFactory()])
    assert "Hidden" not in signed_in(outsider).get(reverse("application-list")).text


def _link(text: str, css: str) -> str:
    return html.unescape(
        re.search(rf'<a href="([^"]+)" class="nhsuk-pagination__link nhsuk-pagination__link--{css}"', text).group(1)
    )


def _shown(text: str) -> list[str]:
    return re.findall(r'href="/candidates/(\d+)/"', text)


def test_application_list_pages_every_application_once_keeping_its_filters(recruiter, vacancy):
    """Newest first, paged by keyset: applications submitted at the same moment are each listed once."""
    ApplicationFactory.create_batch(27, vacancy=vacancy, candidate__last_name="Walker")
    ApplicationFactory(vacancy=vacancy, stage=ApplicationStage.HIRED, candidate__last_name="Walker")
    Application.objects.update(submitted_at=timezone.now())
    client = signed_in(recruiter)
    url = reverse("application-list")
    first = client.get(url, {"stage": "awaiting_decision", "q": "walker"})
    assert "27 applications" in first.text
    link = _link(first.text, "next")
    assert "stage=awaiting_decision" in link
    assert "q=walker" in link
    second = client.get(url + link)
    assert 'class="nhsuk-pagination__link nhsuk-pagination__link--next"' not in second.text
    pages = [_shown(first.text), _shown(second.text)]
    assert [len(page) for page in pages] == [25, 2]
    assert len(set(pages[0] + pages[1])) == 27
    back = client.get(url + _link(second.text, "prev"))
    assert _shown(back.text) == pages[0]
    fragment = htmx(client, url + link)
    assert "<html" not in fragment.text
    assert _shown(fragment.text) == pages[1]


def test_application_list_with_a_tampered_cursor_shows_the_first_page(recruiter, vacancy):
    application = ApplicationFactory(vacancy=vacancy)
    response = signed_in(recruiter).get(reverse("application-list"), {"cursor": "garbage", "stage": "new"})
    assert response.status_code == 200
    assert "The page you asked for is no longer there" in response.text
    assert _shown(response.text) == [str(application.candidate_id)]


def _rows(text: str) -> list[str]:
    return re.findall(r'data-application="(\d+)"', text)


def _stage_block(text: str, stage: str) -> str:
    """The part of the page from a stage's heading to the next heading."""
    start = text.index(f'id="stage-{stage}"')
    end = text.find('<h2 class="nhsuk-heading-m" id="stage-', start + 1)
    return text[start : end if end != -1 else len(text)]


def test_pipeline_shows_the_first_of_each_stage_and_the_rest_a_page_at_a_time(recruiter, vacancy):
    """Every stage: its count and its oldest few, then "Show more" for that stage alone from its start, a page at a
    time, no row on two pages (the applications share their submission time: the id orders them)."""
    total = OVERVIEW_SIZE + STAGE_SIZE + 5
    new = ApplicationFactory.create_batch(total, vacancy=vacancy)
    Application.objects.filter(pk__in=[application.pk for application in new]).update(submitted_at=timezone.now())
    ApplicationFactory.create_batch(3, vacancy=vacancy, stage=ApplicationStage.SCREENING)
    client = signed_in(recruiter)
    page = client.get(reverse("pipeline", args=[vacancy.pk])).text
    block = _stage_block(page, "new")
    assert "New <span" in block
    assert f"({total})" in block
    overview = _rows(block)
    assert overview == [str(application.pk) for application in new[:OVERVIEW_SIZE]]
    assert len(_rows(_stage_block(page, "screening"))) == 3
    assert "Show more" not in _stage_block(page, "screening")
    more = html.unescape(re.search(r'<a href="([^"]+)">Show more', block).group(1))
    assert "stage=new" in more
    second = client.get(more).text
    assert 'id="stage-new"' in second
    assert 'id="stage-screening"' not in second
    assert f"({total})" in second  # the stage's count, not the page's
    assert _rows(second) == [str(application.pk) for application in new[:STAGE_SIZE]]
    assert 'class="nhsuk-pagination__link nhsuk-pagination__link--prev"' not in second
    last = client.get(_link(second, "next")).text
    assert _rows(last) == [str(application.pk) for application in new[STAGE_SIZE:]]
    assert 'class="nhsuk-pagination__link nhsuk-pagination__link--next"' not in last
    assert _rows(client.get(_link(last, "prev")).text) == _rows(second)


def test_pipeline_queries_do_not_grow_with_applications_on_any_view(recruiter, vacancy):
    client = signed_in(recruiter)
    url = reverse("pipeline", args=[vacancy.pk])
    ApplicationFactory(vacancy=vacancy)
    ApplicationFactory(vacancy=vacancy, stage=ApplicationStage.SCREENING)
    overview, stage = _queries(client, url), _queries(client, f"{url}?stage=new")
    ApplicationFactory.create_batch(60, vacancy=vacancy)
    ApplicationFactory.create_batch(30, vacancy=vacancy, stage=ApplicationStage.SCREENING)
    assert _queries(client, url) == overview
    assert _queries(client, f"{url}?stage=new") == stage
    deeper = _link(client.get(f"{url}?stage=new").text, "next")
    assert _queries(client, deeper) == stage


def test_a_move_from_one_stage_returns_to_that_stage(recruiter, vacancy):
    application = ApplicationFactory(vacancy=vacancy)
    client = signed_in(recruiter)
    move = reverse("pipeline-move", args=[vacancy.pk])
    page = client.get(reverse("pipeline", args=[vacancy.pk]), {"stage": "new"}).text
    assert f'action="{move}?stage=new"' in page
    response = client.post(f"{move}?stage=new", {"applications": [application.pk], "to_stage": "screening"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('pipeline', args=[vacancy.pk])}?stage=new"
    fragment = htmx(client, f"{move}?stage=screening", "post", applications=[application.pk], to_stage="shortlisted")
    assert 'id="stage-screening"' in fragment.text
    assert 'id="stage-new"' not in fragment.text
    assert "Moved 1 application." in fragment.text


def test_a_tampered_stage_page_link_shows_the_stage_from_its_start(recruiter, vacancy):
    application = ApplicationFactory(vacancy=vacancy)
    url = reverse("pipeline", args=[vacancy.pk])
    response = signed_in(recruiter).get(url, {"stage": "new", "cursor": "eyJ2IjpbXX0"})
    assert response.status_code == 200
    assert "The page you asked for is no longer there" in response.text
    assert _rows(response.text) == [str(application.pk)]
    every = signed_in(recruiter).get(url, {"stage": "no-such-stage"})
    assert 'id="stage-hired"' in every.text  # an unknown stage: every stage
