"""The board page's behaviour in Chromium (issue 12, "Board postings"): the drift warning on the board page and the
vacancy page with its one action, what must be fixed shown again after a reload, live errors marked like the
server's (classes, aria-invalid, aria-describedby) with a counter on every length-limited field, a closed vacancy's
page, a posted draft that the page checks by itself, and a retrying send's next try with its history refreshing.

Sending runs inline (django-q's sync mode) against the sandbox served by the same live server. Each page is checked
with axe and saved as a screenshot.
"""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_q.conf import Conf
from playwright.sync_api import Page, expect

from boards.models import Posting, PostingStatus, PublishAttempt
from boards.registry import get_adapter
from boards.sandbox.models import SandboxJob
from boards.services.postings import posting_save_draft
from boards.types import BoardStatus, CallOutcome, Operation
from recruitment.models import Vacancy, VacancyStatus
from recruitment.services.vacancies import vacancy_update
from tests.boards.factories import BoardAccountFactory, PostableVacancyFactory, sandbox_base_url
from tests.factories import SuperUserFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("board_sessions_closed")]

NEW_TITLE = "Senior Staff Nurse, Acute Medicine"


@pytest.fixture
def signed_in(page: Page, live_server, settings, monkeypatch):
    """A signed-in recruiter (an admin here), by session cookie; sends run inline against the live sandbox."""
    monkeypatch.setattr(Conf, "SYNC", True)
    settings.SITE_URL = live_server.url
    settings.BOARD_RETRY_BASE_SECONDS = 0.05
    client = Client()
    client.force_login(SuperUserFactory())
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return page


def account(live_server, board: str = "nhs-jobs"):
    return BoardAccountFactory(board=board, base_url=sandbox_base_url(live_server.url, board))


def open_board(page: Page, live_server, vacancy: Vacancy, board: str = "nhs-jobs") -> None:
    page.goto(live_server.url + reverse("boards:post-to-board", args=[vacancy.pk, board]))
    expect(page.get_by_role("heading", name=f"Post to {get_adapter(board).name}")).to_be_visible()


def field(page: Page, name: str):
    return page.locator(f'[data-field="{name}"]')


def expect_marked(page: Page, name: str, *, error: bool) -> None:
    """The field's error marks, as the server renders them for an error (or their absence)."""
    group, control = field(page, name), page.locator(f"#id_{name}")
    if error:
        expect(group).to_have_class(_has("nhsuk-form-group--error"))
        expect(control).to_have_class(_has("nhsuk-(input|textarea|select)--error"))
        expect(control).to_have_attribute("aria-invalid", "true")
    else:
        expect(group).not_to_have_class(_has("nhsuk-form-group--error"))
        expect(control).not_to_have_class(_has("nhsuk-(input|textarea|select)--error"))
        expect(control).not_to_have_attribute("aria-invalid", "true")
    expect(control).to_have_attribute("aria-describedby", _has(f"errors-{name}"))


def _has(pattern: str):
    return re.compile(rf"(^|\s){pattern}(\s|$)")


def changed(vacancy: Vacancy, **changes) -> Vacancy:
    vacancy_update(vacancy=vacancy, changes=changes)
    return Vacancy.objects.get(pk=vacancy.pk)


# --- Drift --------------------------------------------------------------------------------------------------------


def test_drift_is_shown_with_one_action_and_nhs_jobs_after_publishing_says_what_to_do(
    signed_in, live_server, screenshot, axe_check, csp_violations
):
    page = signed_in
    account(live_server)
    vacancy = PostableVacancyFactory()
    open_board(page, live_server, vacancy)
    page.get_by_role("button", name="Post the Job").click()
    expect(page.get_by_role("heading", name="Job Successfully Posted")).to_be_visible()
    expect(page.locator(".app-drift")).to_have_count(0)

    new_date = timezone.localdate() + datetime.timedelta(days=45)
    vacancy = changed(vacancy, closing_date=new_date)
    page.reload()
    drift = page.locator(".app-drift")
    expect(drift).to_contain_text("Different from the vacancy now")
    expect(drift.locator('[data-drift="closing_date"]')).to_contain_text(f"{new_date:%-d %B %Y}")
    axe_check("board page with drift")
    screenshot("boards-drift-update")

    drift.get_by_role("button", name="Update NHS Jobs with the vacancy's values").click()
    expect(page.get_by_role("heading", name="Job Successfully Posted")).to_be_visible()
    expect(page.locator(".app-drift")).to_have_count(0)
    job = SandboxJob.objects.get(board="nhs-jobs")
    assert (job.payload["closing_date"], job.update_count) == (new_date.isoformat(), 1)

    # Someone publishes the draft on NHS Jobs; NHS Jobs takes no more updates.
    job.status = "published"
    job.save()
    Posting.objects.filter(vacancy=vacancy).update(board_status=BoardStatus.LIVE, board_status_raw="published")
    vacancy = changed(vacancy, title_for_candidates=NEW_TITLE)
    page.reload()
    expect(drift.locator('[data-drift="title"]')).to_contain_text(NEW_TITLE)
    expect(drift).to_contain_text(
        "NHS Jobs has published this job, so it can no longer be updated from here: edit it on NHS Jobs, "
        "or copy the vacancy and post the copy again."
    )
    expect(drift.get_by_role("button", name="Update NHS Jobs with the vacancy's values")).to_have_count(0)
    axe_check("board page with drift, published")
    screenshot("boards-drift-published")
    drift.get_by_role("button", name="Use the vacancy's values on this page").click()
    saved = "The vacancy's values are saved on this page. Nothing was sent to NHS Jobs."
    expect(page.get_by_text(saved)).to_be_visible()
    expect(page.locator(".app-drift")).to_have_count(0)
    assert SandboxJob.objects.get(board="nhs-jobs").update_count == 1
    assert csp_violations == []


def test_the_vacancy_page_lists_the_drift_and_takes_the_vacancys_values_in_one_click(
    signed_in, live_server, screenshot, axe_check, csp_violations
):
    page = signed_in
    for board in ("nhs-jobs", "jobsphere", "nhsjob", "locumjobsonline"):
        account(live_server, board)
    vacancy = PostableVacancyFactory()
    for board in ("jobsphere", "locumjobsonline"):
        adapter = get_adapter(board)
        posting_save_draft(vacancy=vacancy, board=board, values=adapter.initial_values(vacancy), user=UserFactory())
    vacancy = changed(vacancy, title_for_candidates=NEW_TITLE)

    page.goto(live_server.url + reverse("vacancy-detail", args=[vacancy.pk]))
    rows = page.locator(".app-drift-row")
    expect(rows).to_have_count(2)
    jobsphere = page.locator('[data-drift-board="jobsphere"]')
    expect(jobsphere).to_contain_text("Different from the vacancy")
    expect(jobsphere).to_contain_text("JobSphere (saved values): Job title.")
    axe_check("vacancy page with drift")
    screenshot("vacancy-board-drift")

    jobsphere.get_by_role("button", name="Use the vacancy's values for JobSphere").click()
    expect(page.get_by_role("heading", name="Post to JobSphere")).to_be_visible()
    expect(page.get_by_text("The vacancy's values are saved on this page.")).to_be_visible()
    expect(page.get_by_label("Job title")).to_have_value(NEW_TITLE)
    page.goto(live_server.url + reverse("vacancy-detail", args=[vacancy.pk]))
    expect(page.locator(".app-drift-row")).to_have_count(1)
    expect(page.locator('[data-drift-board="locumjobsonline"]')).to_be_visible()
    assert csp_violations == []


# --- What must be fixed, after a reload -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("board", "field_name", "invalid", "message", "blocked"),
    [
        ("nhs-jobs", "job_overview", "Too short", "Please Enter Job Overview. Character minLength: 100", "post"),
        ("locumjobsonline", "title", "", "Enter Job title", "include this job in the feed"),
    ],
)
def test_draft_errors_are_shown_again_after_a_reload(
    board, field_name, invalid, message, blocked, signed_in, live_server, screenshot, axe_check, csp_violations
):
    page = signed_in
    account(live_server, board)
    vacancy = PostableVacancyFactory()
    open_board(page, live_server, vacancy, board)
    page.locator(f"#id_{field_name}").fill(invalid)
    page.get_by_role("button", name="Save as Draft").click()
    expect(page.get_by_text(f"Draft saved. Nothing has been sent to {get_adapter(board).name}.")).to_be_visible()
    page.reload()
    summary = page.locator(".app-error-summary")
    expect(summary.get_by_role("heading")).to_contain_text(f"Before you can {blocked}")
    expect(summary).to_contain_text(message)
    expect(page.locator(f"#errors-{field_name}")).to_contain_text(message)
    expect_marked(page, field_name, error=True)
    axe_check(f"{board} draft with errors")
    screenshot(f"boards-draft-errors-{board}")
    summary.get_by_role("link", name=message).first.click()
    expect(page.locator(f"#id_{field_name}")).to_be_focused()
    assert Posting.objects.get().status == PostingStatus.DRAFT
    assert csp_violations == []


# --- Live errors --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("board", ["nhs-jobs", "jobsphere", "nhsjob", "locumjobsonline"])
def test_live_errors_mark_the_field_like_the_servers_and_the_title_has_a_counter(
    board, signed_in, live_server, screenshot, axe_check, csp_violations
):
    page = signed_in
    account(live_server, board)
    vacancy = PostableVacancyFactory()
    open_board(page, live_server, vacancy, board)
    limit = get_adapter(board).spec.field("title").max_chars
    title = page.locator("#id_title")
    expect(field(page, "title")).to_contain_text(f"You have {limit - len(vacancy.title_for_candidates)} characters")
    expect_marked(page, "title", error=False)

    title.fill("")
    expect(page.locator("#errors-title")).not_to_be_empty()
    expect_marked(page, "title", error=True)
    title.fill("x" * (limit + 2))
    expect(field(page, "title")).to_contain_text("You have 2 characters too many")
    expect_marked(page, "title", error=True)
    axe_check(f"{board} live errors")
    screenshot(f"boards-live-errors-{board}")
    title.fill("Ward nurse")
    expect(page.locator("#errors-title")).to_be_empty()
    expect_marked(page, "title", error=False)
    assert csp_violations == []


@pytest.mark.parametrize(
    ("board", "low", "high", "message"),
    [
        ("nhs-jobs", "salary_min", "salary_max", "The salary you have entered is not valid."),
        ("jobsphere", "salary_min", "salary_max", "The lowest salary must not be more than the highest."),
        ("nhsjob", "salary_min", "salary_max", "The lowest salary must not be more than the highest."),
        ("locumjobsonline", "payAmountMin", "payAmountMax", "The lowest pay must not be more than the highest."),
    ],
)
def test_a_range_error_marks_both_amounts_and_clears_from_both(
    board, low, high, message, signed_in, live_server, screenshot, csp_violations
):
    page = signed_in
    account(live_server, board)
    open_board(page, live_server, PostableVacancyFactory(), board)
    if board == "nhs-jobs":
        page.get_by_label("Salary Type").select_option("range")
    page.locator(f"#id_{high}").fill("30")
    page.locator(f"#id_{low}").fill("40")
    for name in (low, high):
        expect(page.locator(f"#errors-{name}")).to_contain_text(message)
        expect_marked(page, name, error=True)
    screenshot(f"boards-range-error-{board}")
    page.locator(f"#id_{low}").fill("20")
    for name in (low, high):
        expect(page.locator(f"#errors-{name}")).to_be_empty()
        expect_marked(page, name, error=False)
    assert csp_violations == []


# --- A closed vacancy ---------------------------------------------------------------------------------------------


def test_a_closed_vacancys_page_says_so_and_keeps_check_status_and_close(
    signed_in, live_server, screenshot, axe_check, csp_violations
):
    page = signed_in
    board_account = account(live_server)
    vacancy = PostableVacancyFactory(status=VacancyStatus.CLOSED)
    Posting.objects.create(
        vacancy=vacancy,
        account=board_account,
        status=PostingStatus.POSTED,
        board_id="V-1",
        board_status=BoardStatus.LIVE,
        board_status_raw="published",
    )
    open_board(page, live_server, vacancy)
    expect(page.get_by_text("This vacancy is closed, so it can no longer be posted to NHS Jobs.")).to_be_visible()
    expect(page.get_by_text("advertise the job externally")).to_have_count(0)
    expect(page.locator(".app-board-job")).to_contain_text("NHS Jobs still has this job")
    expect(page.get_by_role("button", name="Check status on NHS Jobs")).to_be_visible()
    expect(page.get_by_role("button", name="Close on NHS Jobs")).to_be_visible()
    axe_check("closed vacancy")
    screenshot("boards-closed-vacancy")
    assert csp_violations == []


# --- What happens next ------------------------------------------------------------------------------------------


def test_a_posted_draft_is_checked_by_the_page_until_it_is_published(
    signed_in, live_server, settings, screenshot, axe_check, csp_violations
):
    settings.BOARD_DRAFT_CHECK_SECONDS = 2  # the page asks every second, the board is read every two
    page = signed_in
    account(live_server)
    open_board(page, live_server, PostableVacancyFactory())
    page.get_by_role("button", name="Post the Job").click()
    card = page.locator(".app-success")
    expect(card.get_by_role("heading", name="Job Successfully Posted")).to_be_visible()
    expect(card).to_contain_text("NHS Jobs has it as a draft, waiting to be published")
    expect(card).to_contain_text("This page checks NHS Jobs by itself and says when it is published.")
    axe_check("posted draft")
    screenshot("boards-posted-draft")

    SandboxJob.objects.filter(board="nhs-jobs").update(status="published")
    expect(card).to_contain_text("It is published on NHS Jobs.", timeout=20_000)
    expect(page.locator(".app-attempts")).to_contain_text("Read status")
    assert Posting.objects.get().board_status == BoardStatus.LIVE
    assert csp_violations == []


def test_a_retrying_send_says_when_the_next_try_is_and_its_history_refreshes(
    signed_in, live_server, screenshot, axe_check, csp_violations
):
    page = signed_in
    board_account = account(live_server)
    vacancy = PostableVacancyFactory()
    next_try = timezone.now() + datetime.timedelta(minutes=10)
    posting = Posting.objects.create(
        vacancy=vacancy,
        account=board_account,
        status=PostingStatus.RETRYING,
        operation=Operation.PUBLISH,
        next_attempt_at=next_try,
        attempt_count=1,
        last_error="NHS Jobs answered 503 Service unavailable. Trying again shortly.",
        values=get_adapter("nhs-jobs").initial_values(vacancy),
    )
    open_board(page, live_server, vacancy)
    status = page.locator("#posting-status")
    expect(status).to_contain_text(f"Next try at {timezone.localtime(next_try):%H:%M:%S}")
    axe_check("retrying")
    screenshot("boards-retrying")

    PublishAttempt.objects.create(
        account=board_account,
        posting=posting,
        operation=Operation.PUBLISH,
        method="POST",
        url=f"{board_account.base_url}/vacancies",
        status_code=503,
        outcome=CallOutcome.TEMPORARY,
        duration_ms=8,
        error="Service unavailable",
    )
    expect(page.locator(".app-attempts")).to_contain_text("Service unavailable", timeout=15_000)
    assert csp_violations == []
