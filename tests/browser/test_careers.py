"""The public careers site in Chromium: the job list and applying from an NHS Jobs advert link."""

import pytest
from playwright.sync_api import expect

from recruitment.models import Application, EqualOpportunities
from tests.factories import PDF_BYTES, AdvertisedVacancyFactory, OrganisationFactory

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


def test_the_cv_is_kept_after_an_error(page, live_server, screenshot, axe_check, csp_violations):
    """The CV survives an error in another field: shown as attached, sent with the corrected form, replaceable."""
    OrganisationFactory(name="Riverside NHS Trust", privacy_notice="We use your details to process your application.")
    vacancy = AdvertisedVacancyFactory(
        title_for_candidates="Staff Nurse", working_patterns=["part_time"], hours_per_week="22.5"
    )
    page.goto(f"{live_server.url}/careers/jobs/{vacancy.reference}/apply/")
    expect(page.locator("#employer-name")).to_have_text("Careers at Riverside NHS Trust")
    expect(page.locator("#job-summary")).to_contain_text("22.5 hours a week")
    page.get_by_label("First name").fill("Amara")
    page.get_by_label("Email address").fill("amara@example.com")
    page.get_by_label("Postcode").fill(" sw1a  1aa ")  # pasted with spaces: accepted as SW1A 1AA
    page.get_by_label("Professional registration").select_option("nmc")
    page.get_by_label("Upload your CV").set_input_files(
        files=[{"name": "Amara CV.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Send application").click()  # no last name, no registration number

    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Enter your last name.")
    expect(summary).to_contain_text("Enter your registration number")
    expect(summary).not_to_contain_text("CV")
    expect(page.locator("#held-cv")).to_contain_text("Your CV is attached: Amara CV.pdf")
    expect(page.get_by_label("Choose a different CV (optional)")).to_be_visible()  # a way to replace it
    expect(page.get_by_label("First name")).to_have_value("Amara")
    screenshot("careers-apply-cv-kept")
    axe_check("careers-apply-cv-kept")

    page.get_by_label("Last name").fill("Okafor")
    page.get_by_label("Registration number").fill("12A3456E")
    page.get_by_role("button", name="Send application").click()
    expect(page.get_by_role("heading", name="Application sent")).to_be_visible()
    application = Application.objects.get(vacancy=vacancy)
    document = application.documents.get()
    assert (document.kind, document.original_name) == ("cv", "Amara CV.pdf")
    assert document.file.read() == PDF_BYTES
    candidate = application.candidate
    assert (candidate.postcode, candidate.registration_body, candidate.registration_number) == (
        "SW1A 1AA",
        "nmc",
        "12A3456E",
    )
    assert csp_violations == []


def test_the_privacy_notice_is_linked_and_published(page, live_server, csp_violations):
    OrganisationFactory(name="Riverside NHS Trust", privacy_notice="We keep your details for 6 months.\n\nAsk us.")
    vacancy = AdvertisedVacancyFactory()
    page.goto(f"{live_server.url}/careers/jobs/{vacancy.reference}/apply/")
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Read our privacy notice (opens in a new tab)").click()
    notice = opened.value
    expect(notice.get_by_role("heading", name="Privacy notice for candidates")).to_be_visible()
    expect(notice.locator("#privacy-notice")).to_contain_text("We keep your details for 6 months.")
    assert csp_violations == []


def test_the_privacy_page_passes_axe(page, live_server, screenshot, axe_check):
    OrganisationFactory(name="Riverside NHS Trust", privacy_notice="We keep your details for 6 months.")
    page.goto(f"{live_server.url}/careers/privacy/")
    expect(page.get_by_role("heading", name="Privacy notice for candidates")).to_be_visible()
    screenshot("careers-privacy")
    axe_check("careers-privacy")
