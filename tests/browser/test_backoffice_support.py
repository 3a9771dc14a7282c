"""Helpers for the back-office and careers browser tests (no tests here)."""

from playwright.sync_api import Page, expect

from tests.factories import PASSWORD


def sign_in(page: Page, live_server, username: str = "recruiter") -> None:
    """Sign in through the sign-in page and land on the dashboard."""
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
