"""The posting page on every board, through Django's test client (the server's half; the browser tests check the
page's own behaviour): what must be fixed before posting shows whatever was saved, errors carry the same marks
wherever they come from, every length-limited field has a character count, a range's error sits on both amounts,
a closed or cancelled vacancy is said to be so, and the status panel says what happens next."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from boards.adapters.jobsphere.spec import SALARY_RANGE_INVALID as JOBSPHERE_RANGE
from boards.adapters.locumjobsonline.spec import PAY_RANGE_INVALID
from boards.adapters.nhs_jobs.spec import SALARY_INVALID
from boards.adapters.nhsjob.spec import SALARY_RANGE_INVALID as NHSJOB_RANGE
from boards.forms import form_class_for
from boards.models import Posting, PostingStatus, PublishAttempt
from boards.registry import get_adapter
from boards.services.postings import posting_save_draft
from boards.types import BoardStatus, CallOutcome, Operation
from boards.validation import validate
from recruitment.models import VacancyStatus
from tests.boards.factories import BoardAccountFactory, PostableVacancyFactory
from tests.factories import SuperUserFactory, UserFactory

pytestmark = pytest.mark.django_db

BOARDS = ["nhs-jobs", "jobsphere", "nhsjob", "locumjobsonline"]
# What each board says of a blank title, and what the page's errors stand in the way of.
BLANK_TITLE = {
    "nhs-jobs": "Please fill the required fields",
    "jobsphere": "Enter Job title",
    "nhsjob": "Enter Job title",
    "locumjobsonline": "Enter Job title",
}
BLOCKED = {
    "nhs-jobs": "Before you can post this job",
    "jobsphere": "Before you can post this job",
    "nhsjob": "Before you can post this job",
    "locumjobsonline": "Before you can include this job in the feed",
}


@pytest.fixture
def client_in(client):
    client.force_login(SuperUserFactory())
    return client


def _page(board, vacancy) -> str:
    return reverse("boards:post-to-board", args=[vacancy.pk, board])


def _tag(html: str, element_id: str) -> str:
    """The opening tag of the element with this id."""
    match = re.search(rf'<[a-z]+[^>]*\bid="{element_id}"[^>]*>', html)
    assert match, f"no element #{element_id}"
    return match.group(0)


def _save_draft(board, vacancy, **changes) -> Posting:
    BoardAccountFactory(board=board)
    values = {**get_adapter(board).initial_values(vacancy), **changes}
    return posting_save_draft(vacancy=vacancy, board=board, values=values, user=UserFactory())


# --- What must be fixed before posting ----------------------------------------------------------------------------


@pytest.mark.parametrize("board", BOARDS)
def test_a_draft_saved_with_invalid_values_shows_what_to_fix_when_the_page_loads(board, client_in):
    vacancy = PostableVacancyFactory()
    _save_draft(board, vacancy, title="")
    response = client_in.get(_page(board, vacancy))
    assert response.status_code == 200
    html = response.text
    summary = html[html.index("app-error-summary") : html.index("app-board-form")]
    assert BLOCKED[board] in summary
    assert BLANK_TITLE[board] in summary
    assert 'href="#id_title"' in summary
    assert 'role="alert"' not in summary  # a checklist on arrival, not an alarm
    assert BLANK_TITLE[board] in html[html.index('id="errors-title"') :][:300]
    title = _tag(html, "id_title")
    assert 'aria-invalid="true"' in title
    assert "nhsuk-input--error" in title


@pytest.mark.parametrize("board", BOARDS)
def test_a_valid_draft_shows_no_errors_on_load(board, client_in):
    vacancy = PostableVacancyFactory()
    _save_draft(board, vacancy)
    html = client_in.get(_page(board, vacancy)).text
    assert "app-error-summary" not in html
    assert 'aria-invalid="true"' not in html


def test_values_the_vacancy_fills_are_checked_on_the_first_visit_too(client_in):
    BoardAccountFactory()
    vacancy = PostableVacancyFactory(attention_grabber="Join our ward.")
    html = client_in.get(_page("nhs-jobs", vacancy)).text
    assert "Before you can post this job" in html
    assert "Please Enter Job Overview. Character minLength: 100, maxLength: 1500." in html
    assert not Posting.objects.exists()


def test_a_refused_post_is_a_problem_announced_at_once(client_in):
    BoardAccountFactory()
    vacancy = PostableVacancyFactory()
    html = client_in.post(_page("nhs-jobs", vacancy), {"action": "post", "title": ""}).text
    summary = html[html.index("app-error-summary") : html.index("app-board-form")]
    assert "There is a problem" in summary
    assert 'role="alert"' in summary


# --- Error marks, counters, ranges --------------------------------------------------------------------------------


@pytest.mark.parametrize("board", BOARDS)
def test_every_length_limited_field_has_an_nhs_character_count(board, client_in):
    BoardAccountFactory(board=board)
    vacancy = PostableVacancyFactory()
    html = client_in.get(_page(board, vacancy)).text
    adapter = get_adapter(board)
    counted = [spec for spec in adapter.spec.fields if spec.editable and spec.max_chars]
    assert any(spec.name == "title" for spec in counted)
    for spec in counted:
        group = _tag(html.replace("\n", " "), f"id_{spec.name}")
        assert "nhsuk-js-character-count" in group, spec.name
        assert f"id_{spec.name}-info" in group  # aria-describedby names the count message
        assert f'id="id_{spec.name}-info"' in html
        assert re.search(rf'data-field="{spec.name}"[^>]*data-maxlength="{spec.max_chars}"', html.replace("\n", " "))


@pytest.mark.parametrize("board", BOARDS)
def test_the_live_validation_answer_and_the_server_render_describe_the_field_alike(board, client_in):
    BoardAccountFactory(board=board)
    vacancy = PostableVacancyFactory()
    url = reverse("boards:post-to-board-validate", args=[vacancy.pk, board])
    answer = client_in.post(url, {"title": ""}, headers={"HX-Trigger-Name": "title", "HX-Request": "true"}).text
    assert 'id="errors-title" hx-swap-oob="true"' in answer
    assert BLANK_TITLE[board] in answer
    form = form_class_for(type(get_adapter(board)))({"title": ""})
    form.is_valid()
    rendered = str(form["title"])
    assert 'aria-invalid="true"' in rendered
    assert re.search(r'aria-describedby="[^"]*\berrors-title"', rendered)  # the slot the live answer fills


SALARY = ("salary_min", "salary_max")
UPSIDE_DOWN = {"salary_min": "40000", "salary_max": "30000"}
PAY = ("payAmountMin", "payAmountMax")


@pytest.mark.parametrize(
    ("board", "values", "fields", "message"),
    [
        ("nhs-jobs", {"salary_type": "range", **UPSIDE_DOWN}, SALARY, SALARY_INVALID),
        ("jobsphere", UPSIDE_DOWN, SALARY, JOBSPHERE_RANGE),
        ("nhsjob", UPSIDE_DOWN, SALARY, NHSJOB_RANGE),
        ("locumjobsonline", {"payAmountMin": "60", "payAmountMax": "50"}, PAY, PAY_RANGE_INVALID),
    ],
)
def test_a_range_whose_lowest_is_above_its_highest_is_an_error_on_both_amounts(
    board, values, fields, message, client_in
):
    """Either amount may be the wrong one, so the message sits on both, whichever was changed last (their
    live-validation slots refresh together: one group)."""
    assert {name: validate(get_adapter(board).spec, values).errors.get(name) for name in fields} == {
        name: [message] for name in fields
    }
    BoardAccountFactory(board=board)
    vacancy = PostableVacancyFactory()
    url = reverse("boards:post-to-board-validate", args=[vacancy.pk, board])
    answer = client_in.post(url, values, headers={"HX-Trigger-Name": fields[0], "HX-Request": "true"}).text
    for name in fields:
        slot = answer[answer.index(f'id="errors-{name}"') :]
        assert message in slot[: slot.index("</div>")], name


@pytest.mark.parametrize(
    ("board", "values", "name", "message"),
    [
        ("jobsphere", {"title": "t" * 121}, "title", "Job title must be 120 characters or fewer"),
        ("nhsjob", {"description": "Too short"}, "description", "Description must be between 50 and 10,000 characters"),
        ("locumjobsonline", {"postalCode": "LS1 4AP 1234"}, "postalCode", "Postcode must be 10 characters or fewer"),
    ],
)
def test_a_length_is_worded_in_words_on_boards_without_a_guides_wording(board, values, name, message):
    assert validate(get_adapter(board).spec, values).errors[name] == [message]


# --- A closed or cancelled vacancy --------------------------------------------------------------------------------


@pytest.mark.parametrize("board", BOARDS)
@pytest.mark.parametrize(("status", "words"), [("closed", "is closed"), ("cancelled", "was cancelled")])
def test_a_closed_or_cancelled_vacancy_is_said_to_be_so(board, status, words, client_in):
    BoardAccountFactory(board=board)
    vacancy = PostableVacancyFactory(status=status)
    response = client_in.get(_page(board, vacancy))
    assert response.status_code == 200  # reading the page is fine; it says why nothing can be posted
    name = get_adapter(board).name
    assert f"This vacancy {words}, so it can" in response.text
    assert f"posted to {name}." in response.text
    assert "advertise the job externally" not in response.text
    assert "Post the Job" not in response.text


@pytest.mark.parametrize(("board", "live"), [("nhs-jobs", "published"), ("jobsphere", "open"), ("nhsjob", "open")])
def test_a_closed_vacancys_page_keeps_check_status_and_close_for_a_job_the_board_still_has(board, live, client_in):
    BoardAccountFactory(board=board)
    vacancy = PostableVacancyFactory(status=VacancyStatus.CLOSED)
    Posting.objects.create(
        vacancy=vacancy,
        account=BoardAccountFactory(board=board),
        status=PostingStatus.POSTED,
        board_id="J-1",
        board_status=BoardStatus.LIVE,
        board_status_raw=live,
    )
    html = " ".join(client_in.get(_page(board, vacancy)).text.split())
    name = get_adapter(board).name
    assert f"This vacancy is closed, so it can no longer be posted to {name}." in html
    assert f"{name} still has this job (its status there: live, reference J-1)." in html
    assert f"Check status on {name}" in html
    assert f"Close on {name}" in html


def test_a_closed_vacancys_page_on_a_bulk_board_shows_the_feed(client_in):
    BoardAccountFactory(board="locumjobsonline")
    vacancy = PostableVacancyFactory(status=VacancyStatus.CLOSED)
    html = client_in.get(_page("locumjobsonline", vacancy)).text
    assert "This vacancy is closed, so it can no longer be posted to LocumJobsOnline." in html
    assert "The LocumJobsOnline feed" in html
    assert "Sync now" in html


# --- The status panel ---------------------------------------------------------------------------------------------


def _posted(board="nhs-jobs", **fields) -> Posting:
    vacancy = PostableVacancyFactory()
    posting = _save_draft(board, vacancy)
    fields = {"status": PostingStatus.POSTED, "board_id": "V-1", "board_status": BoardStatus.DRAFT, **fields}
    Posting.objects.filter(pk=posting.pk).update(**fields)
    posting.refresh_from_db()
    return posting


def test_job_successfully_posted_says_it_is_a_draft_waiting_to_be_published_and_watches_it(client_in, settings):
    settings.BOARD_DRAFT_CHECK_SECONDS = 40
    posting = _posted(board_status_raw="draft")
    html = " ".join(client_in.get(_page("nhs-jobs", posting.vacancy)).text.split())
    assert "Job Successfully Posted" in html
    assert "NHS Jobs has it as a draft, waiting to be published: someone with an NHS Jobs login publishes it" in html
    status_url = reverse("boards:post-to-board-status", args=[posting.vacancy.pk, "nhs-jobs"])
    assert f'hx-get="{status_url}?watch=draft" hx-trigger="every 20s"' in html


@pytest.mark.parametrize(
    ("board", "status", "watched"),
    [
        ("nhs-jobs", BoardStatus.LIVE, False),
        ("jobsphere", BoardStatus.DRAFT, True),
        ("jobsphere", BoardStatus.LIVE, False),
        ("nhsjob", BoardStatus.LIVE, False),
    ],
)
def test_only_a_draft_waiting_on_its_board_is_watched(board, status, watched, client_in):
    posting = _posted(board, board_status=status)
    assert ("?watch=draft" in client_in.get(_page(board, posting.vacancy)).text) is watched


def test_a_retrying_send_says_when_the_next_try_is_in_local_time_and_refreshes_the_history(client_in, settings):
    settings.TIME_ZONE = "Europe/London"
    next_try = datetime.datetime(2031, 7, 1, 13, 4, 5, tzinfo=datetime.UTC)  # 14:04:05 BST
    posting = _posted(
        status=PostingStatus.RETRYING,
        operation=Operation.UPDATE,
        next_attempt_at=next_try,
        last_error="NHS Jobs answered 503. Trying again shortly.",
    )
    PublishAttempt.objects.create(
        account=posting.account,
        posting=posting,
        operation=Operation.UPDATE,
        method="PUT",
        url="https://example.invalid/vacancies/V-1",
        status_code=503,
        outcome=CallOutcome.TEMPORARY,
        duration_ms=12,
    )
    html = " ".join(client_in.get(_page("nhs-jobs", posting.vacancy)).text.split())
    assert "Next try at 14:04:05 BST on 1 July." in html
    assert 'hx-trigger="every 5s"' in html

    status_url = reverse("boards:post-to-board-status", args=[posting.vacancy.pk, "nhs-jobs"])
    answer = client_in.get(status_url, headers={"HX-Request": "true"})
    assert "Next try at 14:04:05 BST" in answer.text
    assert '<div id="posting-history" class="app-posting-history" hx-swap-oob="true">' in answer.text
    assert "503" in answer.text[answer.text.index("posting-history") :]
    assert "HX-Refresh" not in answer.headers


def test_the_next_try_today_gives_the_time_only(client_in):
    soon = timezone.now() + datetime.timedelta(minutes=2)
    posting = _posted(status=PostingStatus.RETRYING, next_attempt_at=soon, last_error="Timed out.")
    html = client_in.get(_page("nhs-jobs", posting.vacancy)).text
    assert f"Next try at {timezone.localtime(soon):%H:%M:%S}" in html
    assert re.search(r"Next try at [0-9:]+ [A-Z]+\.", html)
