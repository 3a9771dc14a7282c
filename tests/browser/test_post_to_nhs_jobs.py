"""The "Post to NHS Jobs" page in Chromium: counters, conditional fields, live errors, draft, post and update.

Sending runs inline (django-q's sync mode) against the sandbox served by the same live server, except in the last
test, where a real worker process sends while the page polls (the end-to-end tests in tests/e2e/ cover the retries).
"""

import re

import pytest
from django.urls import reverse
from django_q.conf import Conf
from playwright.sync_api import Page, expect

from boards.sandbox.models import SandboxFault, SandboxJob
from tests.boards.factories import (
    BoardAccountFactory,
    PostableVacancyFactory,
)
from tests.e2e.conftest import worker  # noqa: F401 - a fixture
from tests.factories import VacancyFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("board_sessions_closed")]


@pytest.fixture
def vacancy(live_server, monkeypatch, settings):
    monkeypatch.setattr(Conf, "SYNC", True)
    settings.BOARD_RETRY_BASE_SECONDS = 0.05
    BoardAccountFactory(base_url=f"{live_server.url}/sandbox/nhs-jobs")
    return PostableVacancyFactory()


def open_form(page: Page, live_server, vacancy) -> None:
    page.goto(live_server.url + reverse("boards:post-to-board", args=[vacancy.pk, "nhs-jobs"]))
    expect(page.get_by_role("heading", name="Post to NHS Jobs")).to_be_visible()


def group(page: Page, name: str):
    return page.locator(f'[data-field="{name}"]')


def test_refused_until_advertised_externally(signed_in, live_server, screenshot, axe_check, csp_violations):
    page = signed_in
    BoardAccountFactory()
    open_form(page, live_server, VacancyFactory())
    expect(page.get_by_text("Please advertise the job externally before posting to NHS Jobs")).to_be_visible()
    screenshot("boards-refused")
    axe_check("refused")
    assert csp_violations == []


def test_counters_conditional_fields_and_live_errors(
    signed_in, live_server, vacancy, screenshot, axe_check, csp_violations
):
    page = signed_in
    open_form(page, live_server, vacancy)
    axe_check("post form")

    overview = page.get_by_label("Job Overview")
    overview.fill("x" * 65)
    expect(group(page, "job_overview")).to_contain_text("Enter at least 35 more characters")
    expect(group(page, "job_overview")).to_contain_text("You have 1,435 characters remaining")
    expect(group(page, "job_overview")).to_contain_text(
        "Please Enter Job Overview. Character minLength: 100, maxLength: 1500."
    )
    overview.fill("x" * 120)
    expect(group(page, "job_overview")).not_to_contain_text("Enter at least")
    expect(page.locator("#errors-job_overview")).to_be_empty()

    page.get_by_label("Job Title").fill("")
    expect(page.locator("#errors-title")).to_have_text(re.compile("Please fill the required fields"))

    page.get_by_label("Job Description").fill("word " * 1001)
    expect(group(page, "job_description")).to_contain_text("You have 1 word too many")
    expect(page.locator("#errors-job_description")).to_contain_text(
        "You have exceeded the words max limit, max limit is 1000"
    )

    expect(group(page, "contract_duration_length")).to_be_hidden()
    page.get_by_label("Contract Type").select_option("fixed_term")
    expect(group(page, "contract_duration_length")).to_be_visible()
    expect(group(page, "hours_per_week")).to_be_hidden()
    page.get_by_label("Part time").check()
    expect(group(page, "hours_per_week")).to_be_visible()

    page.get_by_label("Salary Type").select_option("range")
    page.get_by_label("Salary (from)").fill("40000")
    page.get_by_label("Salary (to)").fill("30000")
    expect(page.locator("#errors-salary_max")).to_contain_text("The salary you have entered is not valid.")
    screenshot("boards-live-errors")
    axe_check("live errors")

    page.get_by_role("button", name="Post the Job").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Please fill the required fields")
    expect(page.locator("#errors-contract_duration_length")).to_contain_text("Please fill the required fields")
    expect(page.locator("#errors-hours_per_week")).to_contain_text("Please fill the required fields")
    assert SandboxJob.objects.count() == 0
    assert csp_violations == []


def test_save_as_draft_keeps_values_across_a_reload(signed_in, live_server, vacancy, screenshot, csp_violations):
    page = signed_in
    open_form(page, live_server, vacancy)
    page.get_by_label("Job Title").fill("Ward Sister, Acute Medicine")
    page.get_by_label("Contract Type").select_option("fixed_term")
    page.get_by_label("Contract Duration", exact=True).fill("12")
    page.get_by_label("Contract Duration unit").select_option("months")
    page.get_by_role("button", name="Save as Draft").click()
    expect(page.get_by_text("Draft saved. Nothing has been sent to NHS Jobs.")).to_be_visible()
    page.reload()
    expect(page.get_by_label("Job Title")).to_have_value("Ward Sister, Acute Medicine")
    expect(page.get_by_label("Contract Duration", exact=True)).to_have_value("12")
    expect(group(page, "contract_duration_length")).to_be_visible()
    screenshot("boards-draft-saved")
    assert SandboxJob.objects.count() == 0
    assert csp_violations == []


def test_post_the_job_then_update_the_draft_on_the_sandbox(
    signed_in, live_server, vacancy, screenshot, axe_check, csp_violations
):
    page = signed_in
    open_form(page, live_server, vacancy)
    page.get_by_role("button", name="Post the Job").click()
    expect(page.get_by_role("heading", name="Job Successfully Posted")).to_be_visible()
    screenshot("boards-posted")
    axe_check("posted")
    job = SandboxJob.objects.get()
    assert job.payload["reference"] == vacancy.reference
    expect(page.locator(".app-attempts")).to_contain_text("201")

    page.get_by_label("Job Title").fill("Senior Staff Nurse (Band 6)")
    page.get_by_role("button", name="Update").click()
    expect(page.get_by_role("heading", name="Job Successfully Posted")).to_be_visible()
    job.refresh_from_db()
    assert (job.payload["title"], job.update_count) == ("Senior Staff Nurse (Band 6)", 1)
    assert SandboxJob.objects.count() == 1

    page.goto(f"{live_server.url}/sandbox/nhs-jobs/")
    expect(page.locator(".app-sandbox-title")).to_have_text("Senior Staff Nurse (Band 6)")
    page.get_by_role("button", name=re.compile("Publish")).click()
    expect(page.locator(".nhsuk-tag")).to_have_text("published")
    screenshot("boards-sandbox-published")
    assert csp_violations == []


@pytest.mark.e2e
@pytest.mark.usefixtures("worker")
def test_post_the_job_shows_sending_then_success_with_a_real_worker(signed_in, live_server, screenshot, csp_violations):
    """The page polls while a real worker sends (the sandbox is told to answer slowly), then reloads."""
    BoardAccountFactory(base_url=f"{live_server.url}/sandbox/nhs-jobs")
    SandboxFault.objects.create(board="nhs-jobs", kind="slow", delay_seconds=1.5)
    page = signed_in
    open_form(page, live_server, PostableVacancyFactory())
    page.get_by_role("button", name="Post the Job").click()
    expect(page.locator(".app-sending")).to_contain_text("Sending to NHS Jobs")
    screenshot("boards-sending")
    expect(page.get_by_role("heading", name="Job Successfully Posted")).to_be_visible(timeout=30_000)
    assert SandboxJob.objects.count() == 1
    assert csp_violations == []
