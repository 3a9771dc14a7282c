"""The recruiter back-office in Chromium: sign in, vacancies through approval, pipeline, DBS, scope, API password.

Every page is screenshotted into var/screenshots/ and checked with axe-core; no CSP violation is allowed.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from recruitment.models import ApplicationStage, DbsStage, Vacancy, VacancyStatus
from tests.browser.conftest import SCREENSHOTS
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
    """The whole form: named errors, the department list narrowed by the division as it changes, the NHS.UK date
    input, conditional fields; then submitted, refused to its own recruiter's approval, approved by a colleague."""
    department = DepartmentFactory(division=division, name="Theatres")
    other = DivisionFactory(name="Medicine")
    recruiter.data_scope.divisions.add(other)
    DepartmentFactory(division=other, name="Cardiology")
    LocationFactory(name="St James's")
    JobCategoryFactory(name="Nursing")
    EmploymentTypeFactory(name="Fixed term", contract_kind="fixed_term")
    make_user(divisions=[division], username="approver", first_name="Sam", last_name="Okoye")
    sign_in(page, live_server)
    page.get_by_role("link", name="Create a vacancy").first.click()
    expect(page.get_by_role("heading", name="Create a vacancy")).to_be_visible()
    expect(page.get_by_role("button", name="Update the department list")).to_be_hidden()  # JavaScript does it
    visit(page, "vacancy-create", screenshot, axe_check)

    page.get_by_label("Internal job title").fill("Theatre nurse")
    page.get_by_role("button", name="Create draft vacancy").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Enter the title for candidates.")
    expect(summary).to_contain_text("Select the division.")
    expect(summary).to_contain_text("Enter the closing date.")
    expect(summary).not_to_contain_text("This field is required.")
    expect(page.get_by_label("Internal job title")).to_have_value("Theatre nurse")  # kept
    visit(page, "vacancy-create-errors", screenshot, axe_check)

    department_select = page.get_by_label("Department", exact=True)
    page.get_by_label("Division", exact=True).select_option(label="Medicine")
    expect(department_select.locator("option")).to_have_text(["Select a department", "Cardiology"])
    page.get_by_label("Division", exact=True).select_option(label="Surgery")
    expect(department_select.locator("option")).to_have_text(["Select a department", "Theatres"])
    department_select.select_option(label=department.name)
    page.get_by_label("Title for candidates").fill("Theatre Staff Nurse")
    page.get_by_label("Location", exact=True).select_option(label="St James's")
    page.get_by_label("Job category").select_option(label="Nursing")
    page.get_by_label("Employment type").select_option(label="Fixed term")
    expect(page.locator("label[for=id_contract_duration_length]")).to_have_text("Contract length")  # not "optional"
    closing = timezone.localdate() + datetime.timedelta(days=21)
    dates = page.get_by_role("group", name="Closing date")
    dates.get_by_label("Day").fill(str(closing.day))
    dates.get_by_label("Year").fill(str(closing.year))  # the month forgotten
    page.get_by_label("Reply-to email address").fill("theatres@example.nhs.uk")
    page.get_by_label("Lowest salary (£)").fill("29970")
    page.get_by_label("Highest salary (£)").fill("36483")
    page.get_by_label("Part time").check()
    page.get_by_label("Hours per week").fill("22.5")
    page.get_by_label("Contract length", exact=True).fill("12")
    page.get_by_label("Advert text").fill("<p>Join our theatres team.</p><script>alert(1)</script>")
    page.get_by_role("button", name="Create draft vacancy").click()

    expect(summary).to_contain_text("Closing date must include a month.")
    expect(summary).to_contain_text("Select the contract length unit")
    expect(dates.get_by_label("Month")).to_have_class(re.compile(r"nhsuk-input--error"))
    expect(dates.get_by_label("Day")).not_to_have_class(re.compile(r"nhsuk-input--error"))
    expect(dates.get_by_label("Day")).to_have_value(str(closing.day))
    summary.get_by_role("link", name="Closing date must include a month.").click()
    expect(dates.get_by_label("Month")).to_be_focused()
    visit(page, "vacancy-create-date-error", screenshot, axe_check)
    dates.get_by_label("Month").fill(str(closing.month))
    page.get_by_label("Contract length unit").select_option(label="Months")
    page.get_by_role("button", name="Create draft vacancy").click()

    expect(page.locator("#vacancy-status")).to_have_text("Draft")
    vacancy = Vacancy.objects.get(title="Theatre nurse")
    assert vacancy.closing_date == closing
    assert (vacancy.contract_duration_length, vacancy.contract_duration_unit) == (12, "months")
    assert "<script>" not in vacancy.advert_html
    visit(page, "vacancy-detail-draft", screenshot, axe_check)
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.locator("#vacancy-status")).to_have_text("Awaiting approval")
    # Self-approval refused: no Approve button for the recruiter, and the page says why.
    expect(page.get_by_role("button", name="Approve", exact=True)).to_have_count(0)
    expect(page.locator("#approval-refusal")).to_contain_text("Another person must approve this vacancy")
    visit(page, "vacancy-awaiting-own-approval", screenshot, axe_check)

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, username="approver")
    page.goto(f"{live_server.url}/vacancies/{vacancy.pk}/")
    page.get_by_role("button", name="Approve", exact=True).click()
    expect(page.locator("#vacancy-status")).to_have_text("Approved")
    expect(page.locator("#vacancy-approval")).to_contain_text("By Sam Okoye on")
    page.get_by_role("button", name="Advertise externally").click()
    expect(page.locator("#vacancy-status")).to_have_text("Advertised externally")
    details = page.locator("#vacancy-details")
    expect(details).to_contain_text("Part time")
    expect(details).to_contain_text("22.5 hours a week")
    expect(details).to_contain_text("12 months")
    expect(details).to_contain_text("£29,970 to £36,483 per annum")
    expect(details).to_contain_text("theatres@example.nhs.uk")
    expect(page.locator("#vacancy-history")).to_contain_text("Sam Okoye")
    visit(page, "vacancy-detail-advertised", screenshot, axe_check)
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.ADVERTISED_EXTERNAL
    assert vacancy.approved_by.username == "approver"

    page.get_by_role("link", name="Vacancies", exact=True).first.click()
    page.get_by_label("Search").fill("Theatre")
    expect(page.locator("#vacancy-results")).to_contain_text(vacancy.reference)
    visit(page, "vacancy-list", screenshot, axe_check)
    page.get_by_label("Status").select_option("draft")  # htmx swaps the results in place
    expect(page.locator("#vacancy-results")).to_contain_text("No vacancies match these filters.")
    assert csp_violations == []


def test_close_asks_for_confirmation_and_a_reason(
    page, live_server, recruiter, division, screenshot, axe_check, csp_violations
):
    vacancy = AdvertisedVacancyFactory(division=division, title="Porter")
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/vacancies/{vacancy.pk}/")
    page.get_by_role("link", name="Close", exact=True).click()  # a link to the confirmation: nothing happens yet
    expect(page.get_by_role("heading", name="Close this vacancy?")).to_be_visible()
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.ADVERTISED_EXTERNAL
    visit(page, "vacancy-close-confirm", screenshot, axe_check)
    page.get_by_role("link", name="Keep the vacancy open").click()
    expect(page.locator("#vacancy-status")).to_have_text("Advertised externally")

    page.get_by_role("link", name="Close", exact=True).click()
    page.get_by_role("button", name="Close the vacancy").click()  # no reason
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter the reason for closing the vacancy.")
    expect(page.get_by_label("Why are you closing the vacancy?")).to_have_attribute("aria-invalid", "true")
    visit(page, "vacancy-close-error", screenshot, axe_check)
    page.get_by_label("Why are you closing the vacancy?").fill("Enough applications to shortlist")
    page.get_by_role("button", name="Close the vacancy").click()
    expect(page.locator("#vacancy-status")).to_have_text("Closed")
    expect(page.locator("#vacancy-history")).to_contain_text("Enough applications to shortlist")
    visit(page, "vacancy-closed-history", screenshot, axe_check)
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.CLOSED
    assert vacancy.events.get(action="closed").note == "Enough applications to shortlist"
    assert csp_violations == []


def test_without_javascript_the_department_list_is_narrowed_by_a_button(browser, live_server, recruiter, division):
    other = DivisionFactory(name="Medicine")
    recruiter.data_scope.divisions.add(other)
    DepartmentFactory(division=division, name="Theatres")
    DepartmentFactory(division=other, name="Cardiology")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/vacancies/new/")
    department = page.get_by_label("Department", exact=True)
    expect(department.locator("optgroup")).to_have_count(2)  # grouped by division until one is chosen
    page.get_by_label("Internal job title").fill("Cardiac nurse")
    page.get_by_label("Division", exact=True).select_option(label="Medicine")
    page.get_by_role("button", name="Update the department list").click()
    expect(department.locator("option")).to_have_text(["Select a department", "Cardiology"])
    expect(page.get_by_label("Internal job title")).to_have_value("Cardiac nurse")
    expect(page.locator(".nhsuk-error-summary")).to_have_count(0)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "vacancy-create-no-javascript.png"), full_page=True)
    # The same markup as the page with JavaScript, which the test above checks with axe.
    context.close()


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


def test_a_big_pipeline_and_list_page_a_stage_at_a_time(
    page, live_server, recruiter, division, screenshot, axe_check, csp_violations
):
    """More applications than a page holds: the pipeline's "Show more" opens the stage alone, and the lists' NHS.UK
    Previous and Next links walk the pages, keeping the filter (checked with axe on the paged pages)."""
    vacancy = AdvertisedVacancyFactory(division=division, title="Ward nurse")
    for number in range(30):
        ApplicationFactory(vacancy=vacancy, candidate__first_name="Cand", candidate__last_name=f"Number{number:02d}")
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/vacancies/{vacancy.pk}/pipeline/")
    expect(page.locator("#stage-new")).to_contain_text("(30)")
    expect(page.locator("tr[data-application]")).to_have_count(10)
    page.get_by_role("link", name="Show more applications in New").click()
    expect(page.locator("tr[data-application]")).to_have_count(25)  # the stage alone, from its start
    expect(page.locator("#stage-screening")).to_have_count(0)
    visit(page, "pipeline-stage", screenshot, axe_check)
    page.get_by_label("Select Cand Number10").check()  # moving works from a stage alone, which it returns to
    page.get_by_label("Move to stage").select_option("screening")
    page.get_by_role("button", name="Move selected").click()
    expect(page.locator(".app-outcome")).to_contain_text("Moved 1 application.")
    expect(page.locator("#stage-new")).to_contain_text("(29)")

    page.goto(f"{live_server.url}/applications/?stage=new")
    expect(page.locator("#application-results tbody tr")).to_have_count(25)
    page.get_by_role("link", name="Next page").click()
    expect(page.locator("#application-results tbody tr")).to_have_count(4)
    assert "stage=new" in page.url
    visit(page, "applications-page-2", screenshot, axe_check)
    page.get_by_role("link", name="Previous page").click()
    expect(page.locator("#application-results tbody tr")).to_have_count(25)
    assert csp_violations == []


def test_moving_to_pre_employment_checks_says_a_dbs_check_was_opened(
    page, live_server, recruiter, division, screenshot, axe_check, csp_violations
):
    vacancy = DbsVacancyFactory(division=division)
    ApplicationFactory(
        vacancy=vacancy, stage=ApplicationStage.OFFER, candidate__first_name="Eve", candidate__last_name="Offer"
    )
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/vacancies/{vacancy.pk}/pipeline/")
    page.get_by_label("Select Eve Offer").check()
    page.get_by_label("Move to stage").select_option("pre_employment_checks")
    page.get_by_role("button", name="Move selected").click()
    expect(page.locator(".app-dbs-opened")).to_contain_text("A DBS check was opened for Eve Offer")
    visit(page, "pipeline-dbs-opened", screenshot, axe_check)
    page.get_by_role("link", name="open the DBS check").click()
    expect(page.get_by_role("heading", name="Eve Offer")).to_be_visible()
    expect(page.locator("#dbs-stage")).to_have_text("Awaiting candidate")
    assert csp_violations == []


def test_dbs_certificate_number(page, live_server, recruiter, division, screenshot, axe_check, csp_violations):
    check = DbsCheckFactory(
        application__vacancy=DbsVacancyFactory(division=division),
        application__candidate__first_name="Cara",
        application__candidate__last_name="Check",
        stage=DbsStage.WITH_DBS,
    )
    DbsCheckFactory(application__vacancy=DbsVacancyFactory(division=division), application__candidate__first_name="Dan")
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/dbs-checks/")
    page.get_by_label("Search", exact=True).fill("cara check")
    expect(page.locator("#dbs-results tbody tr")).to_have_count(1)
    visit(page, "dbs-list", screenshot, axe_check)
    page.get_by_role("link", name="Cara Check").click()
    expect(page.get_by_role("heading", name="Cara Check")).to_be_visible()
    # Only the chosen stage's fields show.
    number = page.get_by_label("Certificate number")
    expect(number).to_be_hidden()
    visit(page, "dbs-detail", screenshot, axe_check)

    page.get_by_label("Certificate issued").check()
    expect(number).to_be_visible()
    number.fill("00123456789")
    page.get_by_label("Cancelled").check()  # changed their mind: the number is hidden, and not sent
    expect(number).to_be_hidden()
    page.get_by_label("Certificate issued").check()
    expect(number).to_have_value("00123456789")
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Enter the certificate number: exactly 12 digits.")
    expect(summary).to_contain_text("Enter the certificate issue date.")  # every error at once
    expect(page.get_by_label("Certificate number")).to_have_value("00123456789")
    visit(page, "dbs-detail-error", screenshot, axe_check)

    page.get_by_label("Certificate number").fill("0012 3456 7890")
    today = timezone.localdate()
    dates = page.get_by_role("group", name="Certificate issue date")
    dates.get_by_label("Day").fill(str(today.day))
    dates.get_by_label("Month").fill(str(today.month))
    dates.get_by_label("Year").fill(str(today.year))
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#dbs-stage")).to_have_text("Certificate issued")
    expect(page.locator("#certificate-number")).to_have_text("001234567890")
    check.refresh_from_db()
    assert (check.certificate_number, check.certificate_issue_date) == ("001234567890", today)
    page.get_by_role("link", name="Cara Check").last.click()  # the check links to the candidate
    expect(page.get_by_role("heading", name="Cara Check")).to_be_visible()
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
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="API password").click()
    expect(page.get_by_role("heading", name="Your API password")).to_be_visible()
    visit(page, "api-password", screenshot, axe_check)
    page.get_by_role("button", name="Generate an API password").click()
    secret = page.get_by_test_id("api-password").input_value()
    assert len(secret) >= 24
    visit(page, "api-password-generated", screenshot, axe_check)
    page.goto(page.url)  # a fresh visit never shows it again
    expect(page.locator("body")).not_to_contain_text(secret)
    page.get_by_role("button", name="Revoke API password").click()
    expect(page.locator("#api-password-status")).to_have_text("No API password")
    assert csp_violations == []
