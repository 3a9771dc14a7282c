"""The advert's headings and lists reach every board as it accepts them, by the one mapping of `boards.adverts`:
text boards (NHS Jobs, NHSJob) get a line per heading and paragraph and "• " list items, HTML boards (JobSphere,
LocumJobsOnline) the tags they allow. Sent over real HTTP to each board's sandbox, which keeps what it received."""

import pytest

from boards.adapters.jobsphere.mapping import DESCRIPTION_TAGS
from boards.registry import get_adapter
from boards.sandbox.models import SandboxJob
from boards.services.feeds import posting_feed_include
from boards.services.imports import feed_sync_now
from boards.services.postings import posting_send
from tests.boards.factories import BoardAccountFactory, PostableVacancyFactory, sandbox_base_url
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("board_sessions_closed")]

ADVERT = (
    "<h2>About the role</h2><p>Caring for adults on an acute medical ward.</p>"
    "<h3>What we offer</h3><ul><li>A structured preceptorship</li><li>A flexible rota</li></ul>"
    "<ol><li>Apply online</li><li>Meet the team</li></ol>"
)
AS_TEXT = (
    "About the role\n\nCaring for adults on an acute medical ward.\n\nWhat we offer\n\n"
    "• A structured preceptorship\n• A flexible rota\n\n1. Apply online\n2. Meet the team"
)
AS_HTML = (
    "<p>About the role</p><p>Caring for adults on an acute medical ward.</p><p>What we offer</p>"
    "<ul><li>A structured preceptorship</li><li>A flexible rota</li></ul>"
    "<ol><li>Apply online</li><li>Meet the team</li></ol>"
)


@pytest.fixture
def on_sandbox(live_server, queued_tasks, fast_retries, settings):
    """Send a vacancy with the advert to a board's sandbox, as the page does; returns the job the board keeps."""
    settings.SITE_URL = live_server.url

    def send(board: str) -> SandboxJob:
        account = BoardAccountFactory(board=board, base_url=sandbox_base_url(live_server.url, board))
        vacancy = PostableVacancyFactory(advert_html=ADVERT)
        values = get_adapter(board).initial_values(vacancy)
        if board == "locumjobsonline":
            posting_feed_include(vacancy=vacancy, board=board, values=values, user=UserFactory())
            feed_sync_now(account=account, user=None)
        else:
            posting_send(vacancy=vacancy, board=board, values=values, user=UserFactory())
        queued_tasks.drain()
        return SandboxJob.objects.get(board=board)

    return send


@pytest.mark.parametrize(("board", "field"), [("nhs-jobs", "job_description"), ("nhsjob", "description")])
def test_a_text_board_gets_a_line_per_heading_and_bullet_lines(board, field, on_sandbox):
    job = on_sandbox(board)
    assert job.payload[field] == AS_TEXT


def test_jobsphere_gets_the_html_it_allows(on_sandbox):
    job = on_sandbox("jobsphere")
    assert job.payload["description"] == AS_HTML
    assert {"p", "ul", "ol", "li"} <= DESCRIPTION_TAGS


def test_locumjobsonline_gets_html_in_its_feed(on_sandbox):
    job = on_sandbox("locumjobsonline")
    assert job.payload["description"] == AS_HTML
