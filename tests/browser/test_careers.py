"""The public careers site in Chromium: the job list and applying from an NHS Jobs advert link."""

import pytest
from playwright.sync_api import expect

from recruitment.models import Application, EqualOpportunities
from tests.factories import PDF_BYTES, AdvertisedVacancyFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_apply_from_nhs_jobs_records_the_source(page, live_server, screenshot, axe_check, csp_violations):
    vacancy = AdvertisedVacancyFactory(title_for_candidates="Community Staff Nurse")
    page.goto(f"{live_server.url}/careers/")
    expect(page.get_by_role("link", name="Community Staff Nurse")).to_be_visible()
    screenshot("careers-list")
    axe_check("careers-list")

    page.goto(f"{live_server.url}/careers/jobs/{vacancy.reference}/apply/?source=nhs-jobs")
    expect(page.get_by_role("heading", name="Community Staff Nurse")).to_be_visible()
    screenshot("careers-apply")
    axe_check("careers-apply")

    page.get_by_role("button", name="Send application").click()  # nothing filled in
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Enter your first name.")
    expect(summary).to_contain_text("Select your CV.")
    expect(summary).to_contain_text("Confirm that you have read the privacy notice.")
    screenshot("careers-apply-errors")
    axe_check("careers-apply-errors")

    page.get_by_label("First name").fill("Amara")
    page.get_by_label("Last name").fill("Okafor")
    page.get_by_label("Email address").fill("amara@example.com")
    page.get_by_label("Upload your CV").set_input_files(
        files=[{"name": "cv.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    page.get_by_label("Cover letter").fill("I have five years of community nursing.")
    page.get_by_label("Sex", exact=True).select_option("female")
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Send application").click()
    expect(page.get_by_role("heading", name="Application sent")).to_be_visible()
    screenshot("careers-applied")
    axe_check("careers-applied")

    application = Application.objects.get(vacancy=vacancy)
    assert application.source == "nhs-jobs"
    assert application.candidate.email == "amara@example.com"
    assert EqualOpportunities.objects.get(application=application).sex == "female"

    page.goto(f"{live_server.url}/careers/jobs/{vacancy.reference}/apply/?source=nhs-jobs")
    page.get_by_label("First name").fill("Amara")
    page.get_by_label("Last name").fill("Okafor")
    page.get_by_label("Email address").fill("amara@example.com")
    page.get_by_label("Upload your CV").set_input_files(
        files=[{"name": "cv.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Send application").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("You have already applied for this job")
    assert Application.objects.filter(vacancy=vacancy).count() == 1
    assert csp_violations == []
