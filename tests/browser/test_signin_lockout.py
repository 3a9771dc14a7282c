"""The sign-in lockout in Chromium: the back-office page says what happened and what to do, accessibly."""

import pytest
from playwright.sync_api import expect

from recruitment.lockout import locked_message
from tests.factories import PASSWORD
from tests.test_web_support import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_locked_sign_in_says_what_to_do(page, live_server, screenshot, axe_check, csp_violations):
    make_user(username="nurse")
    page.goto(f"{live_server.url}/sign-in/")
    for _ in range(5):
        page.get_by_label("Username").fill("nurse")
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text(locked_message())
    page.get_by_label("Username").fill("nurse")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(summary).to_contain_text(locked_message())  # the right password too, while locked
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    screenshot("sign-in-locked")
    axe_check("sign-in-locked")
    assert csp_violations == []
