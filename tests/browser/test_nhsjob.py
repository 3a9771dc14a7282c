"""NHSJob in Chromium, end to end with a real worker: the recruiter posts from the vacancy page through the generic
board page, checks that NHSJob lists the job, a candidate applies on the fake NHSJob, and the application appears in
the vacancy's pipeline. Each page is checked with axe and saved as a screenshot."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from recruitment.models import Application
from tests.boards.factories import BoardAccountFactory, PostableVacancyFactory, sandbox_base_url
from tests.e2e.conftest import wait_until, worker  # noqa: F401 - a fixture

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("board_sessions_closed", "worker"),
]


def test_post_to_nhsjob_check_the_listing_then_a_candidate_applies(
    signed_in, live_server, screenshot, axe_check, csp_violations
):
    page = signed_in
    BoardAccountFactory(board="nhsjob", base_url=sandbox_base_url(live_server.url, "nhsjob"))
    vacancy = PostableVacancyFactory()

    page.goto(live_server.url + reverse("vacancy-detail", args=[vacancy.pk]))
    page.locator(".app-board-postings").get_by_role("link", name="NHSJob", exact=True).click()
    expect(page.get_by_role("heading", name="Post to NHSJob")).to_be_visible()
    expect(page.get_by_label("Contract type")).to_have_value("permanent")
    axe_check("post to nhsjob")
    screenshot("nhsjob-post-form")

    page.get_by_role("button", name="Post the Job").click()
    expect(page.get_by_role("heading", name="Posted to NHSJob")).to_be_visible(timeout=30_000)
    expect(page.locator(".app-success")).to_contain_text("The job is live on NHSJob.")
    page.get_by_role("button", name="Check the job is listed on NHSJob").click()
    expect(page.locator(".app-message")).to_contain_text("NHSJob lists job job_")
    axe_check("nhsjob listed")
    screenshot("nhsjob-posted-and-listed")

    page.goto(f"{live_server.url}/sandbox/nhsjob/")
    page.get_by_role("link", name=f"Apply as a candidate for {vacancy.title_for_candidates}").click()
    page.get_by_label("First name").fill("Priya")
    page.get_by_label("Last name").fill("Shah")
    page.get_by_label("Email").fill("priya.shah@example.com")
    axe_check("nhsjob sandbox apply")
    screenshot("nhsjob-sandbox-apply")
    page.get_by_role("button", name="Send the application").click()
    expect(page.locator(".app-message")).to_contain_text("sent: NHSJob tells the employer by webhook")
    expect(page.locator(".app-sandbox-tokens")).to_contain_text("sandbox-nhsjob-client")
    axe_check("sandbox nhsjob")
    screenshot("nhsjob-sandbox")

    application = wait_until(lambda: Application.objects.filter(source="nhsjob", vacancy=vacancy).first())
    assert application.documents.get().content_type == "application/pdf"
    page.goto(live_server.url + reverse("pipeline", args=[vacancy.pk]))
    expect(page.get_by_role("link", name="Priya Shah")).to_be_visible()
    expect(page.locator("table").get_by_text("NHSJob").first).to_be_visible()
    screenshot("nhsjob-application-in-pipeline")
    assert csp_violations == []
