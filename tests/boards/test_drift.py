"""Drift: a posting whose vacancy changed after its values were saved says which fields differ, on the board page and
the vacancy page, with one action to take the vacancy's values (an update where the board takes one, the feed's
update on a bulk board, else saved here, with the board's own words on what to do instead). Every board."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from boards.drift import DriftAction, drift_action, posting_drift, vacancy_baseline
from boards.models import Posting, PostingStatus
from boards.registry import get_adapter
from boards.services.feeds import posting_feed_include
from boards.services.postings import posting_save_draft
from boards.types import BoardStatus, Operation
from recruitment.models import Vacancy
from recruitment.services.vacancies import vacancy_update
from tests.boards.factories import BoardAccountFactory, PostableVacancyFactory
from tests.factories import SuperUserFactory, UserFactory

pytestmark = pytest.mark.django_db

BOARDS = ["nhs-jobs", "jobsphere", "nhsjob", "locumjobsonline"]
# The boards whose form holds the vacancy's closing date.
CLOSING_DATE_BOARDS = ["nhs-jobs", "jobsphere", "nhsjob"]
NEW_TITLE = "Senior Staff Nurse, Acute Medicine"


@pytest.fixture
def client_in(client):
    client.force_login(SuperUserFactory())
    return client


def _saved(board: str, vacancy: Vacancy, **changes) -> Posting:
    """The vacancy's values (changed as given) saved as a draft through the page's service."""
    BoardAccountFactory(board=board)
    values = {**get_adapter(board).initial_values(vacancy), **changes}
    return posting_save_draft(vacancy=vacancy, board=board, values=values, user=UserFactory())


def _changed(vacancy: Vacancy, **changes) -> Vacancy:
    vacancy_update(vacancy=vacancy, changes=changes)
    return Vacancy.objects.select_related("location", "job_category", "employment_type", "salary_band").get(
        pk=vacancy.pk
    )


def _drift(board: str, vacancy: Vacancy) -> list[tuple[str, str, str]]:
    posting = Posting.objects.get(vacancy=vacancy, account__board=board)
    return [
        (field.name, field.saved, field.vacancy)
        for field in posting_drift(adapter=get_adapter(board), vacancy=vacancy, posting=posting)
    ]


def _page(board: str, vacancy: Vacancy) -> str:
    return reverse("boards:post-to-board", args=[vacancy.pk, board])


@pytest.mark.parametrize("board", BOARDS)
def test_a_title_changed_on_the_vacancy_drifts_on_every_board(board):
    vacancy = PostableVacancyFactory()
    old = vacancy.title_for_candidates
    _saved(board, vacancy)
    assert _drift(board, vacancy) == []
    vacancy = _changed(vacancy, title_for_candidates=NEW_TITLE)
    assert _drift(board, vacancy) == [("title", old, NEW_TITLE)]


@pytest.mark.parametrize("board", CLOSING_DATE_BOARDS)
def test_a_moved_closing_date_drifts_and_reads_as_a_date(board):
    vacancy = PostableVacancyFactory(closing_date=datetime.date(2031, 5, 5))
    _saved(board, vacancy)
    vacancy = _changed(vacancy, closing_date=datetime.date(2031, 6, 12))
    assert _drift(board, vacancy) == [("closing_date", "5 May 2031", "12 June 2031")]


@pytest.mark.parametrize("board", BOARDS)
def test_a_value_changed_on_purpose_is_not_drift_until_the_vacancy_changes_it_too(board):
    vacancy = PostableVacancyFactory()
    _saved(board, vacancy, title="Ward nurse")
    assert _drift(board, vacancy) == []
    vacancy = _changed(vacancy, title_for_candidates=NEW_TITLE)
    assert _drift(board, vacancy) == [("title", "Ward nurse", NEW_TITLE)]


def test_values_are_compared_by_meaning_not_by_spelling():
    vacancy = PostableVacancyFactory(salary_band=None, salary_min=Decimal("31049.00"), salary_max=Decimal("36483.00"))
    _saved("nhs-jobs", vacancy, salary_min="31,049", postcode=vacancy.location.postcode.lower().replace(" ", ""))
    posting = Posting.objects.get()
    posting.vacancy_values = {}  # no baseline: compared with the vacancy directly
    posting.save()
    assert _drift("nhs-jobs", vacancy) == []


def test_a_posting_saved_before_baselines_compares_with_the_vacancy_for_the_fields_it_fills():
    vacancy = PostableVacancyFactory()
    posting = _saved("nhs-jobs", vacancy, title="Ward nurse", pay_scheme="medical_dental", grade="consultant")
    posting.vacancy_values = {}
    posting.save()
    drifted = {name: saved for name, saved, _ in _drift("nhs-jobs", vacancy)}
    # The vacancy fills the title and the pay scheme; it says nothing of a grade, so the grade is the recruiter's.
    assert drifted == {"title": "Ward nurse", "pay_scheme": "Medical and Dental"}


@pytest.mark.parametrize("board", BOARDS)
def test_no_drift_is_shown_once_the_vacancy_is_closed(board):
    vacancy = PostableVacancyFactory()
    _saved(board, vacancy)
    vacancy = _changed(vacancy, title_for_candidates=NEW_TITLE)
    Vacancy.objects.filter(pk=vacancy.pk).update(status="closed")
    vacancy.refresh_from_db()
    assert _drift(board, vacancy) == []


@pytest.mark.parametrize(
    ("board", "state", "action"),
    [
        ("nhs-jobs", {}, DriftAction.SAVE),
        ("nhs-jobs", {"board_id": "V1", "status": "posted", "board_status": BoardStatus.DRAFT}, DriftAction.UPDATE),
        ("nhs-jobs", {"board_id": "V1", "status": "posted", "board_status": BoardStatus.LIVE}, "save_here_only"),
        ("jobsphere", {"board_id": "job_1", "status": "posted", "board_status": BoardStatus.LIVE}, DriftAction.UPDATE),
        ("nhsjob", {"board_id": "J1", "status": "posted", "board_status": BoardStatus.LIVE}, DriftAction.UPDATE),
        ("locumjobsonline", {}, DriftAction.SAVE),
        ("locumjobsonline", {"in_feed": True}, DriftAction.FEED),
    ],
)
def test_what_taking_the_vacancys_values_does_follows_what_the_board_takes(board, state, action):
    vacancy = PostableVacancyFactory()
    posting = _saved(board, vacancy)
    Posting.objects.filter(pk=posting.pk).update(**state)
    posting.refresh_from_db()
    assert drift_action(get_adapter(board), posting) == action


# --- The board page ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("board", BOARDS)
def test_the_board_page_lists_the_drift_and_taking_the_vacancys_values_keeps_the_rest(board, client_in):
    vacancy = PostableVacancyFactory()
    old = vacancy.title_for_candidates
    own_choice = {"specialty": "Acute medicine"} if board in ("nhsjob", "locumjobsonline") else {}
    _saved(board, vacancy, **own_choice)
    vacancy = _changed(vacancy, title_for_candidates=NEW_TITLE)
    text = client_in.get(_page(board, vacancy)).text
    assert "Different from the vacancy now" in text
    assert 'data-drift="title"' in text
    assert old in text
    assert NEW_TITLE in text
    assert "Use the vacancy's values" in text

    response = client_in.post(_page(board, vacancy), {"action": "take_vacancy"})
    assert response.status_code == 302
    posting = Posting.objects.get()
    assert posting.values["title"] == NEW_TITLE
    assert posting.vacancy_values["title"] == NEW_TITLE
    if board in ("nhsjob", "locumjobsonline"):
        assert posting.values["specialty"] == "Acute medicine"  # what the recruiter chose stays
    assert posting.status == PostingStatus.DRAFT
    assert "Different from the vacancy now" not in client_in.get(_page(board, vacancy)).text


@pytest.mark.parametrize(("board", "board_id"), [("nhs-jobs", "V1"), ("jobsphere", "job_1"), ("nhsjob", "J1")])
def test_where_the_board_takes_updates_the_action_queues_one_with_the_vacancys_values(
    board, board_id, client_in, queued_tasks, django_capture_on_commit_callbacks
):
    vacancy = PostableVacancyFactory()
    posting = _saved(board, vacancy)
    status = BoardStatus.DRAFT if board == "nhs-jobs" else BoardStatus.LIVE
    Posting.objects.filter(pk=posting.pk).update(status="posted", board_id=board_id, board_status=status)
    vacancy = _changed(vacancy, title_for_candidates=NEW_TITLE)
    text = client_in.get(_page(board, vacancy)).text
    assert f"Update {get_adapter(board).name} with the vacancy's values" in text

    with django_capture_on_commit_callbacks(execute=True):
        assert client_in.post(_page(board, vacancy), {"action": "take_vacancy"}).status_code == 302
    posting.refresh_from_db()
    assert (posting.status, posting.operation, posting.values["title"]) == ("queued", Operation.UPDATE, NEW_TITLE)
    assert queued_tasks.funcs() == ["boards.tasks.deliver_posting"]

    with django_capture_on_commit_callbacks(execute=True):
        again = client_in.post(_page(board, vacancy), {"action": "take_vacancy"}, follow=True)
    assert "The values here already match the vacancy." in again.text
    assert queued_tasks.funcs() == ["boards.tasks.deliver_posting"]  # pressed twice, sent once


def test_nhs_jobs_after_publishing_says_what_to_do_instead_and_sends_nothing(
    client_in, queued_tasks, django_capture_on_commit_callbacks
):
    vacancy = PostableVacancyFactory()
    posting = _saved("nhs-jobs", vacancy)
    Posting.objects.filter(pk=posting.pk).update(status="posted", board_id="V1", board_status=BoardStatus.LIVE)
    vacancy = _changed(vacancy, closing_date=timezone.localdate() + datetime.timedelta(days=60))
    text = client_in.get(_page("nhs-jobs", vacancy)).text
    assert 'data-drift="closing_date"' in text
    assert (
        "NHS Jobs has published this job, so it can no longer be updated from here: edit it on NHS Jobs, "
        "or copy the vacancy and post the copy again." in text
    )
    assert "Update NHS Jobs with the vacancy" not in text
    assert "Use the vacancy's values on this page" in text

    with django_capture_on_commit_callbacks(execute=True):
        client_in.post(_page("nhs-jobs", vacancy), {"action": "take_vacancy"})
    posting.refresh_from_db()
    assert (posting.status, posting.values["closing_date"]) == ("posted", vacancy.closing_date.isoformat())
    assert queued_tasks == []


def test_on_a_bulk_board_in_the_feed_the_action_updates_the_feed(client_in, queued_tasks):
    vacancy = PostableVacancyFactory(salary_band=None)
    BoardAccountFactory(board="locumjobsonline")
    adapter = get_adapter("locumjobsonline")
    posting_feed_include(
        vacancy=vacancy, board="locumjobsonline", values=adapter.initial_values(vacancy), user=UserFactory()
    )
    vacancy = _changed(vacancy, title_for_candidates=NEW_TITLE)
    assert "Update the feed with the vacancy's values" in client_in.get(_page("locumjobsonline", vacancy)).text
    client_in.post(_page("locumjobsonline", vacancy), {"action": "take_vacancy"})
    posting = Posting.objects.get()
    assert (posting.in_feed, posting.values["title"]) == (True, NEW_TITLE)


def test_vacancy_values_the_board_refuses_are_shown_against_their_fields_and_nothing_changes(client_in):
    vacancy = PostableVacancyFactory()
    old = vacancy.title_for_candidates
    posting = _saved("nhs-jobs", vacancy)
    Posting.objects.filter(pk=posting.pk).update(status="posted", board_id="V1", board_status=BoardStatus.DRAFT)
    vacancy = _changed(
        vacancy, title_for_candidates="A title far longer than the seventy characters NHS Jobs takes for one job advert"
    )
    response = client_in.post(_page("nhs-jobs", vacancy), {"action": "take_vacancy"})
    assert response.status_code == 400
    assert "Please Enter Job Title. Character maxLength: 70." in response.text
    posting.refresh_from_db()
    assert (posting.status, posting.values["title"]) == ("posted", old)


# --- The vacancy page -------------------------------------------------------------------------------------------


def test_the_vacancy_page_names_the_drifted_fields_of_each_board_with_the_action(client_in, queued_tasks):
    vacancy = PostableVacancyFactory(closing_date=datetime.date(2031, 5, 5))
    _saved("jobsphere", vacancy)
    published = _saved("nhs-jobs", vacancy)
    Posting.objects.filter(pk=published.pk).update(status="posted", board_id="V1", board_status=BoardStatus.LIVE)
    _saved("nhsjob", vacancy)
    vacancy = _changed(vacancy, closing_date=datetime.date(2031, 6, 12), title_for_candidates=NEW_TITLE)
    _saved("nhsjob", vacancy)  # saved again since: in step
    text = " ".join(client_in.get(reverse("vacancy-detail", args=[vacancy.pk])).text.split())
    assert 'data-drift-board="jobsphere"' in text
    assert 'data-drift-board="nhs-jobs"' in text
    assert 'data-drift-board="nhsjob"' not in text
    assert "JobSphere (saved values): Job title, Closing date." in text
    assert "NHS Jobs: Job Title, Closing Date. NHS Jobs has published this job" in text
    assert "Use the vacancy's values for JobSphere" in text
    assert "Use the vacancy's values on our NHS Jobs page" in text
    assert f'action="{_page("jobsphere", vacancy)}"' in text

    client_in.post(_page("jobsphere", vacancy), {"action": "take_vacancy"})
    assert Posting.objects.get(account__board="jobsphere").values["closing_date"] == "2031-06-12"
    assert 'data-drift-board="jobsphere"' not in client_in.get(reverse("vacancy-detail", args=[vacancy.pk])).text


def test_the_baseline_is_what_the_vacancy_said_when_the_values_were_saved():
    vacancy = PostableVacancyFactory()
    posting = _saved("jobsphere", vacancy, title="Ward nurse")
    adapter = get_adapter("jobsphere")
    assert posting.vacancy_values == vacancy_baseline(adapter, vacancy)
    assert posting.vacancy_values["title"] == vacancy.title_for_candidates
    assert "apply_url" not in posting.vacancy_values  # filled by us, never drifts
