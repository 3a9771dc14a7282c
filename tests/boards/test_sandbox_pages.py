"""The fake boards' pages as a person uses them: the apply form's labels, and what the webhook switch says happens."""

import re

import pytest

from boards.sandbox.models import SandboxBoardSettings, SandboxJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def job():
    return SandboxJob.objects.create(board="jobsphere", public_id="job_walk", status="open", payload={"title": "Nurse"})


def test_the_apply_form_says_the_sample_cv_is_sent_without_one(client, job):
    page = client.get(f"/sandbox/jobsphere/jobs/{job.public_id}/apply/").text
    label = re.search(r'<label[^>]*for="id_cv"[^>]*>\s*(.*?)\s*</label>', page, re.S).group(1)
    assert " ".join(label.split()) == "CV (optional)"
    assert "Without one, JobSphere&#x27;s sample CV is sent." in page
    assert "polling" not in page  # JobSphere applications reach the employer by webhook alone


@pytest.mark.parametrize(
    ("board", "said"),
    [
        ("jobsphere", "the employer is not told of applications, since it does not poll this board"),
        ("nhsjob", "the employer finds applications by polling"),
    ],
)
def test_the_webhook_switch_says_what_happens_when_it_is_off(client, board, said):
    assert said in client.get(f"/sandbox/{board}/").text


def test_applying_with_webhooks_off_on_a_board_we_never_poll_says_nobody_is_told(client, job):
    switches = SandboxBoardSettings.for_board("jobsphere")
    switches.webhooks_enabled = False
    switches.save()
    data = {"first_name": "Poll", "last_name": "Only", "email": "poll.only@example.com"}
    page = client.post(f"/sandbox/jobsphere/jobs/{job.public_id}/apply/", data, follow=True).text
    assert "webhooks are switched off and the employer does not poll JobSphere: it is not told" in page
    assert "finds it by polling" not in page
