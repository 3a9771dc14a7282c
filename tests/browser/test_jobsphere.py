"""JobSphere in Chromium, end to end with a real worker: the recruiter posts from the vacancy page through the one
generic board page (live validation included), a candidate applies on the fake JobSphere with their own CV, and the
application appears in the vacancy's pipeline. Each page is checked with axe and saved as a screenshot."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from boards.sandbox.files import sample_cv_pdf
from recruitment.models import Application
from tests.boards.factories import BoardAccountFactory, PostableVacancyFactory, sandbox_base_url
from tests.e2e.conftest import wait_until, worker  # noqa: F401 - a fixture

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("board_sessions_closed", "worker"),
]


def test_post_to_jobsphere_then_a_candidate_applies_and_the_application_arrives(
    signed_in, live_server, screenshot, axe_check, csp_violations
):
    page = signed_in
    BoardAccountFactory(board="nhs-jobs", base_url=sandbox_base_url(live_server.url, "nhs-jobs"))
    BoardAccountFactory(board="jobsphere", base_url=sandbox_base_url(live_server.url, "jobsphere"))
    vacancy = PostableVacancyFactory()

    page.goto(live_server.url + reverse("vacancy-detail", args=[vacancy.pk]))
    boards = page.locator(".app-board-postings")
    expect(boards.locator('[data-board="jobsphere"]')).to_contain_text("Not posted")
    expect(boards.locator('[data-board="nhs-jobs"]')).to_contain_text("Not posted")
    boards.get_by_role("link", name="JobSphere").click()
    expect(page.get_by_role("heading", name="Post to JobSphere")).to_be_visible()

    # Live validation from JobSphere's own spec: the range rule puts its error on both amounts.
    page.get_by_label("Salary from (£ a year)").fill("90000")
    page.get_by_label("Salary from (£ a year)").blur()
    expect(page.locator("#errors-salary_min")).to_contain_text("The lowest salary must not be more than the highest.")
    page.get_by_label("Salary from (£ a year)").fill("31049")
    page.get_by_label("Salary from (£ a year)").blur()
    expect(page.locator("#errors-salary_min")).to_be_empty()
    axe_check("post to jobsphere")
    screenshot("jobsphere-post-form")

    page.get_by_role("button", name="Post the Job").click()
    expect(page.get_by_role("heading", name="Posted to JobSphere")).to_be_visible(timeout=30_000)
    expect(page.locator(".app-success")).to_contain_text("The job is live on JobSphere.")
    screenshot("jobsphere-posted")

    page.goto(f"{live_server.url}/sandbox/")
    expect(page.get_by_role("heading", name="Job board sandbox")).to_be_visible()
    axe_check("sandbox index")
    screenshot("sandbox-index")
    page.get_by_role("link", name="JobSphere", exact=True).click()
    page.get_by_role("link", name=f"Apply as a candidate for {vacancy.title_for_candidates}").click()
    page.get_by_label("First name").fill("Priya")
    page.get_by_label("Last name").fill("Shah")
    page.get_by_label("Email").fill("priya.shah@example.com")
    page.get_by_label("CV", exact=False).set_input_files(
        {"name": "priya-shah-cv.pdf", "mimeType": "application/pdf", "buffer": sample_cv_pdf()}
    )
    axe_check("sandbox apply")
    screenshot("jobsphere-sandbox-apply")
    page.get_by_role("button", name="Send the application").click()
    expect(page.locator(".app-message")).to_contain_text("sent: JobSphere tells the employer by webhook")
    axe_check("sandbox jobsphere")
    screenshot("jobsphere-sandbox")

    application = wait_until(lambda: Application.objects.filter(source="jobsphere", vacancy=vacancy).first())
    assert application.documents.get().original_name == "priya-shah-cv.pdf"
    page.goto(live_server.url + reverse("pipeline", args=[vacancy.pk]))
    expect(page.get_by_role("link", name="Priya Shah")).to_be_visible()
    expect(page.locator("table").get_by_text("JobSphere").first).to_be_visible()
    screenshot("jobsphere-application-in-pipeline")
    assert csp_violations == []
