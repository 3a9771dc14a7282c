"""The "Post to NHS Jobs" page through Django's test client: no JavaScript, the server renders everything."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from boards.models import Posting, PostingStatus
from boards.sandbox.models import SandboxJob
from tests.boards.factories import BoardAccountFactory, PostableVacancyFactory, PostingFactory
from tests.factories import (
    ApplicationFactory,
    DataScopeFactory,
    DivisionFactory,
    SuperUserFactory,
    UserFactory,
    VacancyFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_in(client):
    client.force_login(SuperUserFactory())
    return client


def _url(vacancy):
    return reverse("boards:post-to-board", args=[vacancy.pk, "nhs-jobs"])


def test_a_vacancy_not_advertised_externally_is_refused_in_the_guides_words(client_in):
    BoardAccountFactory()
    vacancy = VacancyFactory()
    response = client_in.get(_url(vacancy))
    assert response.status_code == 200
    assert "Please advertise the job externally before posting to NHS Jobs" in response.text
    refused = client_in.post(_url(vacancy), {"action": "post"})
    assert refused.status_code == 409
    assert "Please advertise the job externally before posting to NHS Jobs" in refused.text
    assert not Posting.objects.exists()


def test_fields_are_auto_filled_from_the_vacancy(client_in):
    BoardAccountFactory()
    vacancy = PostableVacancyFactory()
    response = client_in.get(_url(vacancy))
    form = response.context["form"]
    assert form["title"].value() == vacancy.title_for_candidates
    assert form["reference"].value() == vacancy.reference
    assert form["postcode"].value() == vacancy.location.postcode
    assert form["job_overview"].value() == vacancy.attention_grabber
    assert f"/careers/jobs/{vacancy.reference}/apply/?source=nhs-jobs" in response.text


def test_without_javascript_the_server_renders_the_guides_errors(client_in):
    BoardAccountFactory()
    vacancy = PostableVacancyFactory()
    data = {"action": "post", "title": "", "job_overview": "Too short", "job_description": "word " * 1001}
    response = client_in.post(_url(vacancy), data)
    assert response.status_code == 400
    text = response.text
    assert "Please fill the required fields" in text
    assert "Please Enter Job Overview. Character minLength: 100, maxLength: 1500." in text
    assert "You have exceeded the words max limit, max limit is 1000" in text
    assert not Posting.objects.filter(status=PostingStatus.QUEUED).exists()


def test_save_as_draft_keeps_incomplete_values_and_sends_nothing(client_in):
    BoardAccountFactory()
    vacancy = PostableVacancyFactory()
    response = client_in.post(_url(vacancy), {"action": "save", "title": "Ward nurse", "job_overview": "Short"})
    assert response.status_code == 302
    posting = Posting.objects.get()
    assert (posting.status, posting.values["title"], posting.values["job_overview"]) == ("draft", "Ward nurse", "Short")
    assert client_in.get(_url(vacancy)).context["form"]["title"].value() == "Ward nurse"
    assert SandboxJob.objects.count() == 0


def test_live_validation_answers_the_changed_field_and_its_group(client_in):
    BoardAccountFactory()
    vacancy = PostableVacancyFactory()
    url = reverse("boards:post-to-board-validate", args=[vacancy.pk, "nhs-jobs"])
    data = {"salary_type": "range", "salary_min": "40000", "salary_max": "30000"}
    response = client_in.post(url, data, headers={"HX-Trigger-Name": "salary_max", "HX-Request": "true"})
    assert 'id="errors-salary_max" hx-swap-oob="true"' in response.text
    assert 'id="errors-salary_min"' in response.text
    assert "The salary you have entered is not valid." in response.text


def test_board_errors_are_shown_against_their_fields(client_in):
    posting = PostingFactory(
        vacancy=PostableVacancyFactory(),
        status=PostingStatus.FAILED,
        last_error="400 Error: NHS Jobs rejected some of the data.",
        field_errors={"salary_type": ["The salary you have entered is not valid."]},
    )
    response = client_in.get(_url(posting.vacancy))
    assert response.context["form"].errors["salary_type"] == ["The salary you have entered is not valid."]
    assert "400 Error" in response.text


def test_the_status_fragment_reloads_the_page_once_settled(client_in):
    posting = PostingFactory(vacancy=PostableVacancyFactory(), status=PostingStatus.POSTED, board_id="7")
    url = reverse("boards:post-to-board-status", args=[posting.vacancy.pk, "nhs-jobs"])
    response = client_in.get(url, headers={"HX-Request": "true"})
    assert response["HX-Refresh"] == "true"
    assert "Job Successfully Posted" in response.text


def test_the_page_keeps_to_permission_and_data_scope(client):
    BoardAccountFactory()
    vacancy = PostableVacancyFactory()
    user = UserFactory()
    client.force_login(user)
    assert client.get(_url(vacancy)).status_code == 403
    user.user_permissions.add(Permission.objects.get(codename="change_vacancy", content_type__app_label="recruitment"))
    DataScopeFactory(user=user, divisions=[DivisionFactory()])
    client.force_login(type(user).objects.get(pk=user.pk))
    assert client.get(_url(vacancy)).status_code == 404


def _validate(client, vacancy, data):
    url = reverse("boards:post-to-board-validate", args=[vacancy.pk, "nhs-jobs"])
    return client.post(url, data, headers={"HX-Trigger-Name": "title", "HX-Request": "true"})


@pytest.fixture
def division_client(client):
    """A client signed in as a user who may change vacancies of one division; (client, division)."""
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="change_vacancy", content_type__app_label="recruitment"))
    division = DivisionFactory()
    DataScopeFactory(user=user, divisions=[division])
    client.force_login(user)
    return client, division


def test_live_validation_reads_no_vacancy_and_its_queries_do_not_grow(division_client):
    """Asked on every change as the recruiter types: the session, the user, their permissions and scope, and one
    EXISTS for the vacancy, however much the vacancy has (applications, postings) and whatever was typed."""
    client, division = division_client
    small = PostableVacancyFactory(division=division)
    big = PostableVacancyFactory(division=division)
    ApplicationFactory.create_batch(5, vacancy=big)
    PostingFactory(vacancy=big)
    counts = []
    for vacancy, data in ((small, {"title": ""}), (big, {"title": "Ward nurse", "job_overview": "Short"})):
        with CaptureQueriesContext(connection) as queries:
            assert _validate(client, vacancy, data).status_code == 200
        counts.append(len(queries))
        vacancy_reads = [query["sql"] for query in queries.captured_queries if '"recruitment_vacancy"' in query["sql"]]
        assert len(vacancy_reads) == 1
        assert vacancy_reads[0].startswith("SELECT 1 AS")
    assert counts[0] == counts[1] <= 7


def test_live_validation_refuses_a_vacancy_out_of_scope(division_client):
    client, division = division_client
    assert _validate(client, PostableVacancyFactory(), {"title": ""}).status_code == 404
    assert _validate(client, PostableVacancyFactory(division=division), {"title": ""}).status_code == 200


def test_the_closing_date_is_the_nhs_date_input_and_its_parts_make_the_date(client_in):
    BoardAccountFactory()
    vacancy = PostableVacancyFactory()
    page = client_in.get(_url(vacancy)).text
    closing = vacancy.closing_date
    for part, value in (("day", closing.day), ("month", closing.month), ("year", closing.year)):
        assert f'name="closing_date_{part}" type="text" inputmode="numeric" value="{value}"' in page
    assert 'type="date"' not in page
    parts = {"closing_date_day": "5", "closing_date_month": "3", "closing_date_year": "2031"}
    assert client_in.post(_url(vacancy), {"action": "save", **parts}).status_code == 302
    assert Posting.objects.get().values["closing_date"] == "2031-03-05"


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        (("1", "13", "2027"), "2027-13-01", ("01", "13", "2027")),  # no such month
        (("7", "", "2027"), "2027--07", ("07", "", "2027")),  # the month left out: its box stays empty, not "00"
    ],
)
def test_a_draft_saved_with_a_date_that_is_not_one_shows_it_as_typed(client_in, typed, stored, shown):
    BoardAccountFactory()
    vacancy = PostableVacancyFactory()
    parts = {f"closing_date_{part}": value for part, value in zip(("day", "month", "year"), typed, strict=True)}
    assert client_in.post(_url(vacancy), {"action": "save", **parts}).status_code == 302
    assert Posting.objects.get().values["closing_date"] == stored
    page = client_in.get(_url(vacancy)).text
    for part, value in zip(("day", "month", "year"), shown, strict=True):
        assert f'name="closing_date_{part}" type="text" inputmode="numeric" value="{value}"' in page
    assert "Please Enter Closing Date as a valid date." in page


def test_a_date_with_a_part_missing_gets_the_boards_message_live_and_on_save(client_in):
    BoardAccountFactory()
    vacancy = PostableVacancyFactory()
    url = reverse("boards:post-to-board-validate", args=[vacancy.pk, "nhs-jobs"])
    parts = {"closing_date_day": "5", "closing_date_month": "", "closing_date_year": "2031"}
    live = client_in.post(url, parts, headers={"HX-Trigger-Name": "closing_date_year", "HX-Request": "true"})
    assert 'id="errors-closing_date" hx-swap-oob="true"' in live.text
    assert "Please Enter Closing Date as a valid date." in live.text
    posted = client_in.post(_url(vacancy), {"action": "post", **parts})
    assert posted.status_code == 400
    assert "Please Enter Closing Date as a valid date." in posted.text
    assert 'name="closing_date_day" type="text" inputmode="numeric" value="5"' in posted.text  # kept as typed


@pytest.mark.parametrize(
    ("operation", "said"),
    [("status", "<strong>Asking NHS Jobs for the job's status…</strong></p>"), ("update", "Sending to NHS Jobs…")],
)
def test_the_page_says_what_is_in_flight(client_in, operation, said):
    vacancy = PostableVacancyFactory()
    PostingFactory(
        vacancy=vacancy, account=BoardAccountFactory(), status=PostingStatus.QUEUED, operation=operation, board_id="10"
    )
    page = client_in.get(_url(vacancy)).text
    assert said in page  # a status check is not "Queued to send"
