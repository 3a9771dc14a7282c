"""The recruiter back-office in Chromium: sign in, vacancies through approval, pipeline, DBS, scope, API password.

Every page is screenshotted into var/screenshots/ and checked with axe-core; no CSP violation is allowed.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from recruitment.models import ApplicationStage, DbsStage, Vacancy, VacancyStatus
from tests.browser.test_backoffice_support import sign_in
from tests.factories import (
    PASSWORD,
    AdvertisedVacancyFactory,
    ApplicationFactory,
    DbsCheckFactory,
    DbsVacancyFactory,
    DepartmentFactory,
    DivisionFactory,
    EmploymentTypeFactory,
    JobCategoryFactory,
    LocationFactory,
    VacancyFactory,
)
from tests.test_web_support import make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def division():
    return DivisionFactory(name="Surgery")


@pytest.fixture
def recruiter(division):
    return make_user(divisions=[division], username="recruiter")


def visit(page: Page, name: str, screenshot, axe_check) -> None:
    """Screenshot the current page and check it for accessibility."""
    screenshot(name)
    axe_check(name)


def test_sign_in_with_throttle_message_and_dashboard(
    page, live_server, recruiter, screenshot, axe_check, csp_violations
):
    page.goto(f"{live_server.url}/vacancies/")
    expect(page).to_have_url(re.compile(r"/sign-in/\?next=/vacancies/"))
    page.get_by_label("Username").fill("recruiter")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter a correct username and password")
    visit(page, "sign-in-error", screenshot, axe_check)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Vacancies", exact=True)).to_be_visible()
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("link", name="My open vacancies")).to_be_visible()
    visit(page, "dashboard", screenshot, axe_check)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert csp_violations == []


def test_create_vacancy_and_take_it_to_advertised(
    page, live_server, recruiter, division, screenshot, axe_check, csp_violations
):
    department = DepartmentFactory(division=division, name="Theatres")
    LocationFactory(name="St James's")
    JobCategoryFactory(name="Nursing")
    EmploymentTypeFactory(name="Permanent")
    sign_in(page, live_server)
    page.get_by_role("link", name="Create a vacancy").first.click()
    expect(page.get_by_role("heading", name="Create a vacancy")).to_be_visible()
    visit(page, "vacancy-create", screenshot, axe_check)

    page.get_by_label("Internal job title").fill("Theatre nurse")
    page.get_by_role("button", name="Create draft vacancy").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("This field is required.")
    expect(page.get_by_label("Internal job title")).to_have_value("Theatre nurse")  # kept
    visit(page, "vacancy-create-errors", screenshot, axe_check)

    page.get_by_label("Title for candidates").fill("Theatre Staff Nurse")
    page.get_by_label("Division", exact=True).select_option(label="Surgery")
    page.get_by_label("Department", exact=True).select_option(label=department.name)
    page.get_by_label("Location", exact=True).select_option(label="St James's")
    page.get_by_label("Job category").select_option(label="Nursing")
    page.get_by_label("Employment type").select_option(label="Permanent")
    closing = (timezone.localdate() + datetime.timedelta(days=21)).isoformat()
    page.get_by_label("Closing date").fill(closing)
    page.get_by_label("Reply to email").fill("theatres@example.nhs.uk")
    page.get_by_label("Lowest salary (£)").fill("29970")
    page.get_by_label("Highest salary (£)").fill("36483")
    page.get_by_label("Full time").check()
    page.get_by_label("Advert text").fill("<p>Join our theatres team.</p><script>alert(1)</script>")
    page.get_by_role("button", name="Create draft vacancy").click()

    expect(page.locator("#vacancy-status")).to_have_text("Draft")
    vacancy = Vacancy.objects.get(title="Theatre nurse")
    assert "<script>" not in vacancy.advert_html
    visit(page, "vacancy-detail-draft", screenshot, axe_check)
    for button, status in [
        ("Submit for approval", "Awaiting approval"),
        ("Approve", "Approved"),
        ("Advertise externally", "Advertised externally"),
    ]:
        page.get_by_role("button", name=button).click()
        expect(page.locator("#vacancy-status")).to_have_text(status)
    visit(page, "vacancy-detail-advertised", screenshot, axe_check)
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.ADVERTISED_EXTERNAL

    page.get_by_role("link", name="Vacancies", exact=True).first.click()
    page.get_by_label("Search").fill("Theatre")
    expect(page.locator("#vacancy-results")).to_contain_text(vacancy.reference)
    visit(page, "vacancy-list", screenshot, axe_check)
    page.get_by_label("Status").select_option("draft")  # htmx swaps the results in place
    expect(page.locator("#vacancy-results")).to_contain_text("No vacancies match these filters.")
    assert csp_violations == []


def test_pipeline_moves_and_a_refused_transition(
    page, live_server, recruiter, division, screenshot, axe_check, csp_violations
):
    vacancy = AdvertisedVacancyFactory(division=division, title="Ward nurse")
    first = ApplicationFactory(vacancy=vacancy, candidate__first_name="Ada", candidate__last_name="First")
    second = ApplicationFactory(vacancy=vacancy, candidate__first_name="Ben", candidate__last_name="Second")
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/vacancies/{vacancy.pk}/pipeline/")
    visit(page, "pipeline", screenshot, axe_check)

    page.get_by_label("Select Ada First").check()
    page.get_by_label("Select Ben Second").check()
    page.get_by_label("Move to stage").select_option("screening")
    page.get_by_label("Note").fill("Both meet the criteria")
    page.get_by_role("button", name="Move selected").click()
    expect(page.locator(".app-outcome")).to_contain_text("Moved 2 applications.")
    expect(page.locator("#stage-screening")).to_contain_text("(2)")

    page.get_by_label("Select Ada First").check()
    page.get_by_label("Move to stage").select_option("hired")
    page.get_by_role("button", name="Move selected").click()
    expect(page.locator(".app-outcome")).to_contain_text("cannot move from Screening to Hired")
    visit(page, "pipeline-refused", screenshot, axe_check)

    page.get_by_label("Select Ben Second").check()
    page.get_by_label("Move to stage").select_option("rejected")
    page.get_by_role("button", name="Move selected").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter the reason for rejecting")
    page.get_by_label("Note").fill("Not registered with the NMC")
    page.get_by_role("button", name="Move selected").click()
    expect(page.locator("#stage-rejected")).to_contain_text("(1)")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.stage == ApplicationStage.SCREENING
    assert second.stage == ApplicationStage.REJECTED
    assert second.rejection_reason == "Not registered with the NMC"

    page.get_by_role("link", name="Ben Second").click()
    expect(page.get_by_role("heading", name="Ben Second")).to_be_visible()
    expect(page.locator("body")).to_contain_text("Not registered with the NMC")
    visit(page, "candidate", screenshot, axe_check)
    page.goto(f"{live_server.url}/applications/?stage=awaiting_decision")
    visit(page, "applications", screenshot, axe_check)
    assert csp_violations == []


def test_dbs_certificate_number(page, live_server, recruiter, division, screenshot, axe_check, csp_violations):
    check = DbsCheckFactory(
        application__vacancy=DbsVacancyFactory(division=division),
        application__candidate__first_name="Cara",
        application__candidate__last_name="Check",
        stage=DbsStage.WITH_DBS,
    )
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/dbs-checks/")
    visit(page, "dbs-list", screenshot, axe_check)
    page.get_by_role("link", name="Cara Check").click()
    expect(page.get_by_role("heading", name="Cara Check")).to_be_visible()
    visit(page, "dbs-detail", screenshot, axe_check)

    page.get_by_label("Move to").select_option("certificate_issued")
    page.get_by_label("Certificate number").fill("00123456789")
    page.get_by_label("Certificate issue date").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#id_certificate_number-error")).to_contain_text("exactly 12 digits")
    expect(page.get_by_label("Certificate number")).to_have_value("00123456789")
    visit(page, "dbs-detail-error", screenshot, axe_check)

    page.get_by_label("Certificate number").fill("001234567890")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#dbs-stage")).to_have_text("Certificate issued")
    expect(page.locator("#certificate-number")).to_have_text("001234567890")
    check.refresh_from_db()
    assert check.certificate_number == "001234567890"
    assert csp_violations == []


def test_another_divisions_vacancy_is_refused(page, live_server, recruiter, screenshot, csp_violations):
    elsewhere = VacancyFactory(title="Secret post")
    sign_in(page, live_server)
    response = page.goto(f"{live_server.url}/vacancies/{elsewhere.pk}/")
    assert response.status == 404
    screenshot("vacancy-other-division-404")
    page.goto(f"{live_server.url}/vacancies/")
    expect(page.locator("#vacancy-results")).not_to_contain_text("Secret post")
    assert csp_violations == []


def test_api_password_generated_once(page, live_server, recruiter, screenshot, axe_check, csp_violations):
    sign_in(page, live_server)
    page.get_by_role("link", name="recruiter").click()
    expect(page.get_by_role("heading", name="Your API password")).to_be_visible()
    visit(page, "api-password", screenshot, axe_check)
    page.get_by_role("button", name="Generate an API password").click()
    secret = page.get_by_test_id("api-password").inner_text()
    assert len(secret) >= 24
    visit(page, "api-password-generated", screenshot, axe_check)
    page.goto(page.url)  # a fresh visit never shows it again
    expect(page.locator("body")).not_to_contain_text(secret)
    page.get_by_role("button", name="Revoke API password").click()
    expect(page.locator("#api-password-status")).to_have_text("No API password")
    assert csp_violations == []
