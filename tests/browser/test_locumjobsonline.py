"""LocumJobsOnline in Chromium, with a real worker: the recruiter fills the locum fields (validated live by the
board's spec), includes the vacancy in the feed, presses "Sync now", and watches the import's progress update by
itself until the results are on the page; a job the board refused shows the board's message against its field.
Each page is checked with axe and saved as a screenshot."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from boards.models import BulkImport, Posting
from boards.registry import get_adapter
from boards.services.feeds import posting_feed_include
from tests.boards.factories import BoardAccountFactory, PostableVacancyFactory, sandbox_base_url
from tests.e2e.conftest import worker  # noqa: F401 - a fixture
from tests.factories import SuperUserFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("board_sessions_closed", "worker"),
]

BOARD = "locumjobsonline"


def test_include_sync_and_watch_the_import_complete(signed_in, live_server, screenshot, axe_check, csp_violations):
    page = signed_in
    BoardAccountFactory(board=BOARD, base_url=sandbox_base_url(live_server.url, BOARD))
    refused = PostableVacancyFactory()
    values = {**get_adapter(BOARD).initial_values(refused), "postalCode": "0"}
    posting_feed_include(vacancy=refused, board=BOARD, values=values, user=SuperUserFactory())
    vacancy = PostableVacancyFactory()

    page.goto(live_server.url + reverse("vacancy-detail", args=[vacancy.pk]))
    page.locator(".app-board-postings").get_by_role("link", name="LocumJobsOnline").click()
    expect(page.get_by_role("heading", name="Post to LocumJobsOnline")).to_be_visible()
    expect(page.locator(".app-feed-state")).to_contain_text("This job is not in the feed.")
    expect(page.get_by_role("button", name="Post the Job")).to_have_count(0)

    # The locum fields, and live validation from the board's spec (the pay range rule sits on both amounts).
    page.get_by_label("Shift type").select_option("night")
    page.get_by_label("Shifts per week").fill("4")
    page.get_by_label("Hours per shift").fill("12")
    page.get_by_label("Pay from (£)").fill("99999")
    page.get_by_label("Pay from (£)").blur()
    expect(page.locator("#errors-payAmountMin")).to_contain_text("The lowest pay must not be more than the highest.")
    expect(page.locator("#errors-payAmountMax")).to_contain_text("The lowest pay must not be more than the highest.")
    page.get_by_label("Pay from (£)").fill("31000")
    page.get_by_label("Pay from (£)").blur()
    expect(page.locator("#errors-payAmountMin")).to_be_empty()
    axe_check("locumjobsonline form")
    screenshot("locumjobsonline-form")

    page.get_by_role("button", name="Include in the feed").click()
    expect(page.locator(".app-message")).to_contain_text("In the LocumJobsOnline feed: the next sync sends it.")
    expect(page.locator(".app-feed-state")).to_contain_text("This job is in the feed.")
    expect(page.get_by_role("button", name="Remove from the feed")).to_be_visible()
    axe_check("locumjobsonline in the feed")
    screenshot("locumjobsonline-in-the-feed")

    page.get_by_role("button", name="Sync now").click()
    progress = page.locator(".app-bulk-import-list tbody tr").first
    expect(progress).to_have_attribute("data-status", re.compile("queued|sending|pending|running"))
    expect(page.locator("#bulk-imports")).to_have_attribute("hx-trigger", "every 2s")
    screenshot("locumjobsonline-syncing")
    # The panel polls while the import moves, then the page reloads with the results on the posting.
    expect(page.get_by_role("heading", name="Posted to LocumJobsOnline")).to_be_visible(timeout=60_000)
    expect(progress).to_have_attribute("data-status", "complete")
    expect(progress).to_contain_text("1 added, 0 updated, 0 unchanged, 0 deleted, 1 failed")
    expect(page.locator(".app-success")).to_contain_text("The job is live on LocumJobsOnline.")
    axe_check("locumjobsonline synced")
    screenshot("locumjobsonline-synced")
    assert BulkImport.objects.count() == 1
    assert Posting.objects.get(vacancy=vacancy).board_status == "live"

    page.goto(live_server.url + reverse("boards:post-to-board", args=[refused.pk, BOARD]))
    expect(page.get_by_role("heading", name="LocumJobsOnline did not take the job")).to_be_visible()
    expect(page.locator("#errors-postalCode")).to_contain_text("Zip is invalid. Value passed was: 0")
    axe_check("locumjobsonline refused")
    screenshot("locumjobsonline-refused")

    page.goto(f"{live_server.url}/sandbox/locumjobsonline/")
    expect(page.get_by_role("heading", name="LocumJobsOnline")).to_be_visible()
    expect(page.locator(".app-sandbox-imports")).to_contain_text("1 added, 0 updated, 0 unchanged, 0 deleted, 1 failed")
    axe_check("sandbox locumjobsonline")
    screenshot("locumjobsonline-sandbox")
    assert csp_violations == []
